import Foundation
import PopCode
import PopCodeRunner
import Synchronization

/// One experiment folder as the dashboard last saw it.
struct ExperimentSnapshot: Sendable {
    let name: String
    /// The run folders, in the plan's order (`experiment.json`), then by name.
    let runs: [ReportRun]
    /// What the checkpoints of runs without metrics.json say, by folder name.
    let checkpoints: [String: CheckpointProgress]
    let record: ExperimentRecord?
    /// Why `experiment.json` could not be read, when it exists but cannot.
    let recordProblem: String?
    /// Changes whenever anything above changes.
    let version: Int
    /// A stand-in while the experiment's folder is read for the first time (no runs yet).
    var isBeingRead = false

    /// The stand-in for `name` while its first reading is under way.
    static func beingRead(_ name: String) -> ExperimentSnapshot {
        ExperimentSnapshot(name: name, runs: [], checkpoints: [:], record: nil, recordProblem: nil, version: 0,
                           isBeingRead: true)
    }

    /// Planned runs (experiment.json) that have no folder yet.
    var notStarted: Int {
        guard let record else { return 0 }
        let present = Set(runs.map { $0.folder.url.lastPathComponent })
        return record.runs.filter { !present.contains($0.label) }.count
    }

    func count(_ status: ReportRun.Status) -> Int { runs.filter { $0.status == status }.count }
}

/// How far an unfinished run got, from its last checkpoint.
struct CheckpointProgress: Sendable {
    let epochsDone: Int
    let epochs: Int
    let history: History
}

/// The experiment folders under the runs folder, read once and then kept up to date by
/// looking at file stamps (`stat`), not contents: a file is read again only when its size,
/// time or inode changed.
///
/// Each look at an experiment (at most every `interval` seconds) costs one `stat` of its
/// folder, one of `experiment.json` and one or two per unfinished run. Finished runs are
/// stamped again only when the folder changed (a run folder appeared or vanished) or every
/// `fullCheckInterval` seconds (a run redone with `--force`), so thousands of finished runs
/// cost nothing on most looks.
final class RunsCatalog: Sendable {
    let paths: SafePath
    let interval: Double
    let fullCheckInterval: Double

    private struct CachedRun: Sendable {
        var metricsStamp: FileStamp?
        var checkpointStamp: FileStamp?
        var run: ReportRun
        var progress: CheckpointProgress?
        /// Has metrics.json (completed, failed or unreadable): stamped only on full checks.
        var settled: Bool { metricsStamp != nil }
    }

    private struct CachedExperiment: Sendable {
        var folderStamp: FileStamp?
        var recordStamp: FileStamp?
        var record: ExperimentRecord?
        var recordProblem: String?
        var names: [String] = []
        var runs: [String: CachedRun] = [:]
        var lastLook = Date.distantPast
        var lastFullCheck = Date.distantPast
        var version = 0
        var snapshot: ExperimentSnapshot?
    }

    private struct State: Sendable {
        var experiments: [String: CachedExperiment] = [:]
        var nextVersion = 1
    }

    private let state = Mutex(State())
    /// The last snapshot of each experiment, for pages that must not wait for a reading.
    private let published = Mutex<[String: ExperimentSnapshot]>([:])

    init(paths: SafePath, interval: Double = 0.5, fullCheckInterval: Double = 10) {
        self.paths = paths
        self.interval = interval
        self.fullCheckInterval = fullCheckInterval
    }

    /// The names of the experiment folders: subfolders of the runs folder that hold an
    /// `experiment.json` or at least one run folder, in natural order.
    func experimentNames() -> [String] {
        Self.subfolders(of: paths.root).filter { name in
            let folder = paths.root + "/" + name
            guard paths.contains(folder) else { return false }
            if FileStamp(path: folder + "/" + ExperimentRecord.fileName)?.kind == .file { return true }
            return Self.subfolders(of: folder).contains { Self.isRun(folder + "/" + $0) }
        }
    }

    /// The experiment `name` as `experiment(_:now:)` gives it, or, while another request (or
    /// the server's start-up reading) holds the catalog, without waiting: its last snapshot,
    /// or a stand-in (`isBeingRead`) before the first. For the index, which shows counts and
    /// must not wait seconds for a first reading of thousands of runs; it updates live.
    func experimentWithoutWaiting(_ name: String, now: Date = Date()) -> ExperimentSnapshot? {
        guard paths.resolve([name]) != nil else { return nil }
        let free = state.withLockIfAvailable { _ in true } ?? false
        if free { return experiment(name, now: now) }
        return published.withLock { $0[name] } ?? .beingRead(name)
    }

    /// `body`'s result, computed while the catalog is held as by a long reading (for tests of
    /// what does not wait for one).
    func whileHeld<T>(_ body: () -> T) -> T {
        state.withLock { _ in body() }
    }

    /// The experiment `name` (an already decoded URL segment) as it is now, nil when there is
    /// no such folder inside the runs folder.
    func experiment(_ name: String, now: Date = Date()) -> ExperimentSnapshot? {
        guard let folder = paths.resolve([name]), FileStamp(path: folder)?.kind == .folder else {
            state.withLock { _ = $0.experiments.removeValue(forKey: name) }
            return nil
        }
        return state.withLock { state in
            var cached = state.experiments[name] ?? CachedExperiment()
            if let snapshot = cached.snapshot, now.timeIntervalSince(cached.lastLook) < interval { return snapshot }
            let changed = refresh(&cached, folder: folder, now: now)
            if changed || cached.snapshot == nil {
                cached.version = state.nextVersion
                state.nextVersion += 1
                cached.snapshot = snapshot(of: cached, name: name)
            }
            state.experiments[name] = cached
            if let snapshot = cached.snapshot { published.withLock { $0[name] = snapshot } }
            return cached.snapshot
        }
    }

    // MARK: - Refreshing

    /// Brings `cached` up to date with the folder; true when anything changed.
    private func refresh(_ cached: inout CachedExperiment, folder: String, now: Date) -> Bool {
        cached.lastLook = now
        var changed = false
        let folderStamp = FileStamp(path: folder)
        let full = folderStamp != cached.folderStamp || now.timeIntervalSince(cached.lastFullCheck) >= fullCheckInterval
        if folderStamp != cached.folderStamp {
            cached.folderStamp = folderStamp
            let names = Self.subfolders(of: folder).filter { paths.contains(folder + "/" + $0) }
            if names != cached.names {
                cached.names = names
                changed = true
            }
        }
        if full { cached.lastFullCheck = now }

        let recordStamp = FileStamp(path: folder + "/" + ExperimentRecord.fileName)
        if recordStamp != cached.recordStamp {
            cached.recordStamp = recordStamp
            changed = true
            if recordStamp == nil {
                (cached.record, cached.recordProblem) = (nil, nil)
            } else {
                do {
                    cached.record = try ExperimentRecord.read(from: URL(fileURLWithPath: folder))
                    cached.recordProblem = nil
                } catch {
                    cached.record = nil
                    cached.recordProblem = "\(ExperimentRecord.fileName) cannot be read: \(error)"
                }
            }
        }

        // The runs to look at, looked at on every core: the first look at a folder of
        // thousands of runs reads every metrics.json.
        let experiment = URL(fileURLWithPath: folder).lastPathComponent
        let toLook = cached.names.filter { name in !(cached.runs[name]?.settled == true && !full) }
            .map { (name: $0, old: cached.runs[$0]) }
        let looked = Dictionary(uniqueKeysWithValues: zip(toLook.map(\.name), toLook.concurrentMap { name, old in
            self.look(at: folder + "/" + name, experiment: experiment, old: old)
        }))
        var runs: [String: CachedRun] = [:]
        for name in cached.names {
            guard let lookedAt = looked[name] else {
                runs[name] = cached.runs[name]
                continue
            }
            let fresh = lookedAt
            if fresh?.metricsStamp != cached.runs[name]?.metricsStamp
                || fresh?.checkpointStamp != cached.runs[name]?.checkpointStamp
                || (fresh == nil) != (cached.runs[name] == nil) {
                changed = true
            }
            runs[name] = fresh
        }
        cached.runs = runs
        return changed
    }

    /// The run in `folder`, read again only where its stamps changed since `old`; nil when
    /// the folder is not a run (no metrics, checkpoint or artifacts).
    private func look(at folder: String, experiment: String, old: CachedRun?) -> CachedRun? {
        let runFolder = RunFolder(URL(fileURLWithPath: folder))
        let name = runFolder.url.lastPathComponent
        if let metricsStamp = FileStamp(path: runFolder.metricsURL.path) {
            if let old, old.metricsStamp == metricsStamp { return old }
            guard paths.contains(runFolder.metricsURL.path), metricsStamp.kind == .file else {
                return CachedRun(metricsStamp: metricsStamp, run: ReportRun(
                    folder: runFolder, experiment: experiment, name: name, metrics: nil,
                    readError: "not a file inside the runs folder (not read)"))
            }
            do {
                let metrics = try runFolder.metrics()
                return CachedRun(metricsStamp: metricsStamp, run: ReportRun(
                    folder: runFolder, experiment: experiment, name: metrics?.label ?? name, metrics: metrics))
            } catch {
                return CachedRun(metricsStamp: metricsStamp, run: ReportRun(
                    folder: runFolder, experiment: experiment, name: name, metrics: nil, readError: error.reason))
            }
        }
        let checkpointStamp = FileStamp(path: runFolder.checkpointURL.path)
        guard checkpointStamp != nil || Self.isRun(folder) else { return nil }
        if let old, old.metricsStamp == nil, old.checkpointStamp == checkpointStamp { return old }
        let unfinished = ReportRun(folder: runFolder, experiment: experiment, name: name, metrics: nil)
        guard checkpointStamp?.kind == .file, paths.contains(runFolder.checkpointURL.path),
              let checkpoint = try? runFolder.checkpoint() else {
            return CachedRun(checkpointStamp: checkpointStamp, run: unfinished)
        }
        let state = checkpoint.state
        return CachedRun(checkpointStamp: checkpointStamp, run: unfinished, progress: CheckpointProgress(
            epochsDone: state.epochsDone, epochs: state.spec.epochs, history: state.history))
    }

    private func snapshot(of cached: CachedExperiment, name: String) -> ExperimentSnapshot {
        // The plan's order first, then the rest by name (as the report orders them).
        let rank = Dictionary((cached.record?.runs ?? []).enumerated().map { ($1.label, $0) },
                              uniquingKeysWith: { a, _ in a })
        let ordered = cached.names.enumerated()
            .filter { cached.runs[$0.element] != nil }
            .sorted { (rank[$0.element] ?? Int.max, $0.offset) < (rank[$1.element] ?? Int.max, $1.offset) }
            .map(\.element)
        let runs = ordered.compactMap { cached.runs[$0] }
        var checkpoints: [String: CheckpointProgress] = [:]
        for (folderName, run) in zip(ordered, runs) where run.metricsStamp == nil {
            checkpoints[folderName] = run.progress
        }
        let reportRuns = runs.map(\.run)
        return ExperimentSnapshot(name: name, runs: reportRuns, checkpoints: checkpoints,
                                  record: cached.record, recordProblem: cached.recordProblem,
                                  version: cached.version)
    }

    // MARK: - Folders

    /// Subfolders of `path` in natural order (`seed=2` before `seed=10`), hidden ones skipped.
    static func subfolders(of path: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { !$0.hasPrefix(".") && FileStamp(path: path + "/" + $0)?.kind == .folder }
            .sorted { $0.compare($1, options: [.numeric]) == .orderedAscending }
    }

    static func isRun(_ folder: String) -> Bool {
        RunFolder(URL(fileURLWithPath: folder)).markerURLs.contains { FileStamp(path: $0.path) != nil }
    }
}
