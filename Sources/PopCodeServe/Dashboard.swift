import PopCodeSVG
import Foundation
import Hummingbird
import PopCodeRunner

/// The dashboard's routes over a runs folder and a queue database, read-only:
///
///     GET /                                          experiments and the queue
///     GET /live                                      their live parts, as JSON
///     GET /experiments/E                             one experiment
///     GET /experiments/E/live?v=N                    its live parts (the heavy ones only when
///                                                    the experiment changed since version N)
///     GET /experiments/E/files/F                     comparison.csv, experiment.yaml, ...
///     GET /experiments/E/runs/R                      one run
///     GET /experiments/E/runs/R/live?v=N
///     GET /experiments/E/runs/R/files/F              a run's file, as a download
///
/// Every name is checked and resolved inside the runs folder first (`SafePath`); anything
/// else answers 404 without reading. Query strings other than `v=<digits>` on live routes
/// answer 400. A corrupt or half-written run shows as such on its page.
public struct Dashboard: Sendable {
    let paths: SafePath
    let catalog: RunsCatalog
    let queue: QueueReader
    let renders: RenderCache

    /// Nil when `runsFolder` does not exist. Folders and the queue are looked at again at
    /// most every `refreshInterval` seconds, however many pages ask; finished runs every
    /// `fullCheckInterval` seconds (see `RunsCatalog`).
    public init?(runsFolder: String, database: String, refreshInterval: Double = 0.5, fullCheckInterval: Double = 10) {
        guard let paths = SafePath(root: runsFolder) else { return nil }
        self.paths = paths
        catalog = RunsCatalog(paths: paths, interval: refreshInterval, fullCheckInterval: fullCheckInterval)
        queue = QueueReader(path: database, interval: refreshInterval)
        renders = RenderCache(costFactor: refreshInterval > 0 ? 40 : 0)
    }

    /// The canonical runs folder.
    public var root: String { paths.root }

    public func router(allowedHosts: Set<String>? = nil) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: DashboardMiddleware(allowedHosts: allowedHosts))
        router.get("/") { request, _ in try self.respond(request) { self.indexPage() } }
        router.get("/live") { request, _ in
            try self.respond(request) {
                Responses.json(LiveUpdate(v: "", light: DashboardPages.indexParts(experiments: self.experiments(),
                                                                                     queue: self.queue.read())))
            }
        }
        router.get("/experiments/:experiment") { request, context in
            try self.respond(request) {
                // Without waiting for the first reading of the experiment (thousands of runs):
                // the page then comes with its tables and plots to follow by the live update.
                guard let name = SafePath.name(context.parameters.get("experiment") ?? ""),
                      let snapshot = self.catalog.experimentWithoutWaiting(name) else { return Responses.notFound }
                let heavy = snapshot.isBeingRead ? RenderCache.Parts.toFollow : self.heavyParts(snapshot)
                return Responses.html(DashboardPages.experiment(
                    snapshot, light: DashboardPages.experimentLightParts(snapshot, queue: self.queue.read()),
                    heavy: heavy))
            }
        }
        router.get("/experiments/:experiment/live") { request, context in
            try self.respond(request, liveVersion: true) { query in
                guard let snapshot = self.experiment(context) else { return Responses.notFound }
                let heavy = self.heavyParts(snapshot)
                let light = DashboardPages.experimentLightParts(snapshot, queue: self.queue.read())
                return Responses.json(LiveUpdate(v: "\(heavy.version)", light: light,
                                                 heavy: query["v"] == "\(heavy.version)" ? [:] : heavy.parts))
            }
        }
        router.get("/experiments/:experiment/files/:file") { request, context in
            try self.respond(request) {
                guard let experiment = SafePath.name(context.parameters.get("experiment") ?? ""),
                      let file = SafePath.name(context.parameters.get("file") ?? "") else { return Responses.notFound }
                return self.download([experiment, file])
            }
        }
        router.get("/experiments/:experiment/runs/:run") { request, context in
            try self.respond(request) {
                guard let (snapshot, index) = self.run(context) else { return Responses.notFound }
                return Responses.html(DashboardPages.run(snapshot, index: index, files: self.files(of: snapshot.runs[index])))
            }
        }
        router.get("/experiments/:experiment/runs/:run/live") { request, context in
            try self.respond(request, liveVersion: true) { query in
                guard let (snapshot, index) = self.run(context) else { return Responses.notFound }
                let changed = query["v"] != "\(snapshot.version)"
                return Responses.json(LiveUpdate(v: "\(snapshot.version)",
                                                 light: changed ? ["run": DashboardPages.runPart(snapshot, index: index)] : [:]))
            }
        }
        router.get("/experiments/:experiment/runs/:run/files/:file") { request, context in
            try self.respond(request) {
                guard let experiment = SafePath.name(context.parameters.get("experiment") ?? ""),
                      let run = SafePath.name(context.parameters.get("run") ?? ""),
                      let file = SafePath.name(context.parameters.get("file") ?? "") else { return Responses.notFound }
                return self.download([experiment, run, file])
            }
        }
        return router
    }

    // MARK: - Reading

    /// Every experiment as the index shows it: without waiting for a reading in progress
    /// (`RunsCatalog.experimentWithoutWaiting`).
    func experiments() -> [ExperimentSnapshot] {
        catalog.experimentNames().compactMap { catalog.experimentWithoutWaiting($0) }
    }

    /// Reads every experiment and renders its heavy parts, so that the first pages come from
    /// the cache: the server does this once when it starts.
    func warmUp() {
        for name in catalog.experimentNames() {
            guard let snapshot = catalog.experiment(name) else { continue }
            _ = heavyParts(snapshot)
        }
    }

    private func heavyParts(_ snapshot: ExperimentSnapshot) -> RenderCache.Parts {
        renders.parts(for: snapshot, render: DashboardPages.experimentHeavyParts)
    }

    private func indexPage() -> Response {
        Responses.html(DashboardPages.index(root: paths.root, experiments: experiments(), queue: queue.read()))
    }

    private func experiment(_ context: BasicRequestContext) -> ExperimentSnapshot? {
        guard let name = SafePath.name(context.parameters.get("experiment") ?? "") else { return nil }
        return catalog.experiment(name)
    }

    private func run(_ context: BasicRequestContext) -> (ExperimentSnapshot, Int)? {
        guard let snapshot = experiment(context), let name = SafePath.name(context.parameters.get("run") ?? ""),
              let index = snapshot.runs.firstIndex(where: { $0.folder.url.lastPathComponent == name }) else { return nil }
        return (snapshot, index)
    }

    /// The regular files of a run's folder that lie inside the runs folder.
    private func files(of run: ReportRun) -> [(name: String, size: Int64)] {
        let folder = run.folder.url.path
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        return names.compactMap { name in
            guard SafePath.name(name) == name, paths.contains(folder + "/" + name),
                  let stamp = FileStamp(path: folder + "/" + name), stamp.kind == .file else { return nil }
            return (name, stamp.size)
        }
    }

    private func download(_ names: [String]) -> Response {
        guard let path = paths.resolve(names), FileStamp(path: path)?.kind == .file,
              let data = FileManager.default.contents(atPath: path) else { return Responses.notFound }
        return Responses.file(data, name: names.last!)
    }

    // MARK: - Answering

    /// Checks the query string (none allowed, or only `v=<digits>` on live routes), then answers
    /// with `body`; a bad query is 400.
    private func respond(_ request: Request, liveVersion: Bool = false,
                         _ body: ([String: String]) -> Response) throws -> Response {
        let query: [String: String]
        do {
            query = try QueryString.parse(request.uri.query, allowed: liveVersion ? ["v": QueryString.digits] : [:])
        } catch {
            return Responses.badRequest(error.reason)
        }
        return body(query)
    }

    private func respond(_ request: Request, _ body: () -> Response) throws -> Response {
        try respond(request, liveVersion: false) { _ in body() }
    }
}

/// What a page asks for every 2 seconds: the version of what it shows, and the parts of the
/// page that changed, by element id.
struct LiveUpdate: Encodable {
    let v: String
    let parts: [String: String]

    init(v: String, light: [String: Markup], heavy: [String: Markup.Rendered] = [:]) {
        self.v = v
        parts = light.mapValues { $0.rendered() }.merging(heavy.mapValues(\.text)) { a, _ in a }
    }
}
