import PopCodeSVG
import Foundation
import PopCode
import PopCodeRunner

/// The dashboard's pages and the parts of them that update live, drawn with the report's
/// code (`ReportSections`): every string goes through `Markup`, which escapes it.
enum DashboardPages {
    // MARK: - Addresses

    /// `/experiments/<name>[/runs/<run>[/files/<file>]]`, each name percent-encoded.
    static func address(experiment: String, run: String? = nil, file: String? = nil) -> String {
        var path = "/experiments/" + encode(experiment)
        if let run { path += "/runs/" + encode(run) }
        if let file { path += "/files/" + encode(file) }
        return path
    }

    /// Experiment-level files (`/experiments/<name>/files/<file>`).
    static func address(experiment: String, experimentFile: String) -> String {
        "/experiments/" + encode(experiment) + "/files/" + encode(experimentFile)
    }

    private static let segmentCharacters: CharacterSet = {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~=,+")
        return allowed
    }()

    static func encode(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? ""
    }

    // MARK: - Index

    static func index(root: String, experiments: [ExperimentSnapshot], queue: QueueReader.Reading) -> String {
        let main = HTML.element("main", attributes: [.init("data-live", "/live")], [
            HTML.element("header", [
                HTML.text("h1", "popcode dashboard"),
                HTML.element("p", class: "sub", [
                    .text("Runs folder \(root). "), liveState,
                ]),
            ]),
            HTML.element("section", [HTML.text("h2", "Queue"), HTML.element("div", id: "queue", [queuePart(queue)])]),
            HTML.element("section", [
                HTML.text("h2", "Experiments"),
                HTML.element("div", id: "experiments", [experimentsPart(experiments, queue: queue)]),
            ]),
        ])
        return ReportSections.page(title: "popcode dashboard", body: [main], extraStyle: DashboardScript.style,
                                   script: DashboardScript.source)
    }

    static func indexParts(experiments: [ExperimentSnapshot], queue: QueueReader.Reading) -> [String: Markup] {
        ["queue": queuePart(queue), "experiments": experimentsPart(experiments, queue: queue)]
    }

    static func queuePart(_ reading: QueueReader.Reading) -> Markup {
        switch reading {
        case .none:
            return HTML.text("p", "No queue in this runs folder (popcode queue add creates one).", class: "note")
        case .problem(let reason):
            return HTML.element("div", class: "callout", [.text("The queue cannot be read: \(reason)")])
        case .status(let status):
            let states = QueuedRun.State.allCases
            var parts: [Markup] = [
                HTML.table(class: "counts", header: states.map { HTML.text("th", $0.rawValue) } + [HTML.text("th", "total")],
                           rows: [HTML.element("tr", states.map { state in
                               HTML.element("td", id: "queue-\(state.rawValue)", [.text("\(status.counts[state])")])
                           } + [HTML.element("td", id: "queue-total", [.text("\(status.counts.total)")])])]),
                HTML.element("p", id: "queue-eta", [
                    .text(QueueStatusRenderer.estimateLine(status.estimate, counts: status.counts) + " "),
                    .text(status.throughput.map(QueueStatusRenderer.throughputLine)
                        ?? "No run finished in the last \(Int(QueueStatus.Throughput.window / 60)) minutes."),
                ]),
            ]
            if !status.running.isEmpty {
                parts.append(HTML.text("h3", "Running now"))
                parts.append(HTML.table(class: "running", header: [
                    HTML.text("th", "run", class: "name"), HTML.text("th", "experiment", class: "name"),
                    HTML.text("th", "epoch"), HTML.text("th", "train MSE"), HTML.text("th", "worker", class: "name"),
                ], rows: status.running.map { run in
                    var worker = "pid \(run.pid) on \(run.host)"
                    if run.workerAlive == false { worker += " (dead: reclaimed when a worker starts)" }
                    if run.cancelRequested { worker += " (cancelling)" }
                    return HTML.element("tr", [
                        HTML.element("td", class: "name", [link(run.label, address(experiment: run.experiment, run: run.label))]),
                        HTML.text("td", run.experiment, class: "name"),
                        HTML.text("td", run.epochsDone.map { "\($0)/\(run.epochs)" } ?? "starting"),
                        HTML.text("td", run.mse.map { String(format: "%.5f", $0) } ?? "—"),
                        HTML.text("td", worker, class: "name"),
                    ])
                }))
            }
            if !status.failed.isEmpty {
                parts.append(HTML.text("h3", "Failed (popcode queue retry puts them back)"))
                parts.append(HTML.element("ul", class: "failures", status.failed.map { failure in
                    HTML.element("li", [
                        link("\(failure.experiment)/\(failure.label)", address(experiment: failure.experiment, run: failure.label)),
                        .text(": " + (failure.error ?? "no reason recorded")),
                    ])
                }))
            }
            return .group(parts)
        }
    }

    static func experimentsPart(_ experiments: [ExperimentSnapshot], queue: QueueReader.Reading) -> Markup {
        guard !experiments.isEmpty else {
            return HTML.text("p", "No experiments yet: popcode run FILE or popcode queue add FILE writes them here.",
                             class: "note")
        }
        var queued: [String: QueueStatus.Counts] = [:]
        if case .status(let status) = queue {
            for experiment in status.experiments { queued[experiment.name] = experiment.counts }
        }
        let header = ["experiment", "runs", "completed", "failed", "unfinished", "unreadable", "not started",
                      "queued (pending / running)", "best test MSE"].enumerated().map { i, name in
            HTML.text("th", name, class: i == 0 ? "name" : nil)
        }
        let rows = experiments.map { experiment -> Markup in
            guard !experiment.isBeingRead else {
                return HTML.element("tr", attributes: [.init("data-experiment", experiment.name)], [
                    HTML.element("td", class: "name", [link(experiment.name, address(experiment: experiment.name))]),
                    HTML.element("td", class: "note", attributes: [.init("colspan", "8")],
                                 [.text("reading its run folders… (this row fills in by itself)")]),
                ])
            }
            let best = experiment.runs.compactMap { $0.final?.testMSE }.filter(\.isFinite).min()
            let q = queued[experiment.name]
            return HTML.element("tr", attributes: [.init("data-experiment", experiment.name)], [
                HTML.element("td", class: "name", [link(experiment.name, address(experiment: experiment.name))]),
                HTML.text("td", "\(experiment.runs.count)"),
                HTML.text("td", "\(experiment.count(.completed))"),
                HTML.text("td", "\(experiment.count(.failed))"),
                HTML.text("td", "\(experiment.count(.unfinished))"),
                HTML.text("td", "\(experiment.count(.unreadable))"),
                HTML.text("td", "\(experiment.notStarted)"),
                HTML.text("td", q.map { "\($0.pending) / \($0.running)" } ?? "—"),
                HTML.text("td", best.map { String(format: "%.5f", $0) } ?? "—"),
            ])
        }
        return HTML.table(class: "experiments", header: header, rows: rows)
    }

    // MARK: - Experiment

    /// The page of an experiment: its live parts (`light`) and the tables and plots
    /// rendered for some version of it (`heavy`, cached by `RenderCache`).
    static func experiment(_ snapshot: ExperimentSnapshot, light: [String: Markup], heavy: RenderCache.Parts) -> String {
        func part(_ id: String) -> Markup {
            HTML.element("div", id: id, light[id].map { [$0] } ?? heavy.parts[id].map { [.placing($0)] } ?? [])
        }
        let main = HTML.element("main", attributes: [
            .init("data-live", address(experiment: snapshot.name) + "/live"), .init("data-version", "\(heavy.version)"),
        ], [
            HTML.element("header", [
                HTML.element("p", class: "sub", [link("← all experiments", "/")]),
                HTML.text("h1", "Experiment \(snapshot.name)"),
                HTML.element("p", class: "sub", [liveState]),
                part("summary"),
            ]),
            HTML.element("section", [HTML.text("h2", "In training"), part("training")]),
            HTML.element("section", [part("search")]),
            HTML.element("section", [HTML.text("h2", "Runs"),
                                     HTML.text("p", "Click a column's header to sort by it.", class: "sub"),
                                     part("runs")]),
            HTML.element("section", [HTML.text("h2", "Grouped over seeds"), part("groups")]),
            HTML.element("section", [HTML.text("h2", "Training curves"), part("curves")]),
            HTML.element("section", [HTML.text("h2", "Final metrics by configuration"), part("finals")]),
            HTML.element("section", [HTML.text("h2", "Files"), part("files")]),
        ])
        return ReportSections.page(title: "popcode: \(snapshot.name)", body: [main], extraStyle: DashboardScript.style,
                                   script: DashboardScript.source)
    }

    /// The parts of an experiment's page that are cheap and change while runs train: the
    /// counts and the runs in training.
    static func experimentLightParts(_ snapshot: ExperimentSnapshot, queue: QueueReader.Reading) -> [String: Markup] {
        ["summary": summary(snapshot), "training": training(snapshot, queue: queue)]
    }

    /// The parts that change only when a run finishes (or a search decides): tables, the
    /// report's plots, the search, the files.
    static func experimentHeavyParts(_ snapshot: ExperimentSnapshot) -> [String: Markup] {
        // Arranged here, once per rendered version (`RenderCache`), not on every change.
        let sweep = ReportSweep(runs: snapshot.runs)
        let name = snapshot.name
        var parts: [String: Markup] = [:]
        parts["runs"] = sweep.runs.isEmpty
            ? HTML.text("p", "No run folder yet.", class: "note")
            : ReportSections.runsTable(sweep, link: { address(experiment: name, run: $0.folder.url.lastPathComponent) })
        var groups = [ReportSections.configurations(sweep)]
        if let contrasts = ReportSections.contrasts(sweep) {
            groups += [HTML.text("h3", "Differences (B − A, Welch p)"), contrasts]
        }
        parts["groups"] = .group(groups)
        parts["curves"] = .group(ReportSections.curves(sweep))
        parts["finals"] = .group(ReportSections.finals(sweep))
        parts["files"] = experimentFiles(snapshot)
        // Only for a search: a halving search's rounds and survivors as they are decided, and
        // the report's search plots (ladder, parallel coordinates, slices).
        parts["search"] = .group(snapshot.record.map { record in
            let plots = ReportSections.searchPlots(record, sweep: sweep)
            guard record.search != nil || !plots.isEmpty else { return [] }
            return [HTML.text("h2", "Search")] + (record.search.map(ReportSections.search) ?? []) + plots
        } ?? [])
        return parts
    }

    static func summary(_ snapshot: ExperimentSnapshot) -> Markup {
        guard !snapshot.isBeingRead else {
            return HTML.text("p", "Reading the run folders… the tables and plots appear here by themselves.", class: "note")
        }
        var children: [Markup] = [.text("\(snapshot.runs.count) run folders: ")]
        let statuses: [ReportRun.Status] = [.completed, .failed, .unfinished, .unreadable]
        for (i, status) in statuses.enumerated() {
            children.append(HTML.element("span", id: "count-\(status.rawValue)", [.text("\(snapshot.count(status))")]))
            children.append(.text(" \(status.rawValue)" + (i < statuses.count - 1 ? ", " : "")))
        }
        if snapshot.notStarted > 0 { children.append(.text("; \(snapshot.notStarted) planned runs not started")) }
        children.append(.text("."))
        var out = [HTML.element("p", children)]
        if let problem = snapshot.recordProblem {
            out.append(HTML.element("div", class: "callout", [.text(problem)]))
        }
        return .group(out)
    }

    /// The unfinished runs: epoch and MSE (the queue's latest, else the checkpoint's) and
    /// their curves so far.
    static func training(_ snapshot: ExperimentSnapshot, queue: QueueReader.Reading) -> Markup {
        guard !snapshot.isBeingRead else { return .group([]) }
        var running: [String: QueueStatus.Running] = [:]
        if case .status(let status) = queue {
            for run in status.running where run.experiment == snapshot.name { running[run.label] = run }
        }
        let unfinished = snapshot.runs.filter { $0.status == .unfinished }
        guard !unfinished.isEmpty || !running.isEmpty else {
            return HTML.text("p", "Nothing is training in this experiment now.", class: "note")
        }
        let rows = unfinished.map { run -> Markup in
            let folder = run.folder.url.lastPathComponent
            let queued = running[folder]
            let checkpoint = snapshot.checkpoints[folder]
            let epochs = queued?.epochs ?? checkpoint?.epochs
            // Whichever is further along: the worker's last report or the last checkpoint.
            let fromQueue = (queued?.epochsDone ?? -1) >= (checkpoint?.epochsDone ?? -1)
            let done = fromQueue ? queued?.epochsDone : checkpoint?.epochsDone
            let mse = fromQueue ? queued?.mse : checkpoint?.history.mse.last
            let state = queued.map { $0.workerAlive == false ? "worker dead" : "running (pid \($0.pid))" }
                ?? "checkpoint only (not in the queue's running runs)"
            return HTML.element("tr", attributes: [.init("data-run", folder)], [
                HTML.element("td", class: "name", [link(folder, address(experiment: snapshot.name, run: folder))]),
                HTML.text("td", done.map { d in epochs.map { "\(d)/\($0)" } ?? "\(d)" } ?? "starting"),
                HTML.text("td", mse.map { String(format: "%.5f", $0) } ?? "—"),
                HTML.text("td", state, class: "name"),
            ])
        }
        let table = HTML.table(class: "training", header: [
            HTML.text("th", "run", class: "name"), HTML.text("th", "epoch"), HTML.text("th", "train MSE"),
            HTML.text("th", "state", class: "name"),
        ], rows: rows)
        let live = unfinished.compactMap { run -> ReportSections.LiveRun? in
            let folder = run.folder.url.lastPathComponent
            return snapshot.checkpoints[folder].map { ReportSections.LiveRun(name: folder, history: $0.history) }
        }
        let note = HTML.text("p", "Curves come from each run's last checkpoint (every --checkpoint-every epochs, "
                             + "at least --checkpoint-min-seconds apart); "
                             + "epoch and MSE from its worker's last report.", class: "sub")
        return .group([table, note] + ReportSections.liveCurves(live))
    }

    static func experimentFiles(_ snapshot: ExperimentSnapshot) -> Markup {
        let folder = snapshot.runs.first?.folder.url.deletingLastPathComponent().path
        let names = ["experiment.json", "experiment.yaml", "comparison.md", "comparison.csv", "comparison.json",
                     "report.html"]
        let present = names.filter { name in folder.map { FileStamp(path: $0 + "/" + name)?.kind == .file } ?? false }
        guard !present.isEmpty else { return HTML.text("p", "No experiment files yet.", class: "note") }
        return HTML.element("p", present.enumerated().flatMap { i, name -> [Markup] in
            (i > 0 ? [Markup.text(" · ")] : []) + [link(name, address(experiment: snapshot.name, experimentFile: name))]
        })
    }

    // MARK: - Run

    static func run(_ snapshot: ExperimentSnapshot, index: Int, files: [(name: String, size: Int64)]) -> String {
        let run = snapshot.runs[index]
        let folder = run.folder.url.lastPathComponent
        let main = HTML.element("main", attributes: [
            .init("data-live", address(experiment: snapshot.name, run: folder) + "/live"),
            .init("data-version", "\(snapshot.version)"),
        ], [
            HTML.element("header", [
                HTML.element("p", class: "sub", [link("← all experiments", "/"), .text(" · "),
                                                 link("experiment \(snapshot.name)", address(experiment: snapshot.name))]),
                HTML.text("h1", "Run \(snapshot.name)/\(run.name)"),
                HTML.element("p", class: "sub", [liveState]),
            ]),
            HTML.element("div", id: "run", [runPart(snapshot, index: index)]),
            HTML.element("section", [HTML.text("h2", "Files"), filesList(snapshot.name, folder, files)]),
        ])
        return ReportSections.page(title: "popcode: \(snapshot.name)/\(run.name)", body: [main],
                                   extraStyle: DashboardScript.style, script: DashboardScript.source)
    }

    /// Status, spec, metrics, curves and pictures of one run.
    static func runPart(_ snapshot: ExperimentSnapshot, index: Int) -> Markup {
        let run = snapshot.runs[index]
        let single = ReportSweep(runs: [run])
        let folder = run.folder.url.lastPathComponent
        var parts: [Markup] = []
        if run.status == .unfinished {
            let checkpoint = snapshot.checkpoints[folder]
            let done = checkpoint.map { "epoch \($0.epochsDone) of \($0.epochs) at the last checkpoint" }
                ?? "no checkpoint read yet"
            parts.append(HTML.element("div", class: "missing", [.text("Unfinished: no metrics.json yet (\(done)).")]))
            if let checkpoint {
                parts += ReportSections.liveCurves([.init(name: folder, history: checkpoint.history)])
            }
            return .group(parts)
        }
        parts += ReportSections.runDetail(single, index: 0, why: "in experiment \(snapshot.name)")
        if run.metrics != nil {
            parts.append(HTML.text("h2", "Training curves"))
            parts += ReportSections.curves(single)
        }
        return .group(parts)
    }

    static func filesList(_ experiment: String, _ run: String, _ files: [(name: String, size: Int64)]) -> Markup {
        guard !files.isEmpty else { return HTML.text("p", "No files.", class: "note") }
        return HTML.table(class: "files", header: [HTML.text("th", "file", class: "name"), HTML.text("th", "size")],
                          rows: files.map { file in
            HTML.element("tr", [
                HTML.element("td", class: "name", [link(file.name, address(experiment: experiment, run: run, file: file.name))]),
                HTML.text("td", ByteCountFormatter.string(fromByteCount: file.size, countStyle: .file)),
            ])
        })
    }

    // MARK: - Helpers

    /// Where the script says whether the page is up to date.
    static let liveState = HTML.element("span", class: "live", id: "live-state", [.text("live")])

    static func link(_ text: String, _ href: String) -> Markup {
        HTML.element("a", attributes: [.init("href", href)], [.text(text)])
    }
}
