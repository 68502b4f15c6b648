import Dispatch
import Foundation
import PopCode
import Synchronization

/// A worker: claims pending runs one at a time per slot, trains them `jobs` at a time with
/// `Scheduler` and `RunExecutor` (the same outputs as `popcode run`), records how each ended,
/// and refreshes the comparison files of their experiments.
///
/// On start it reclaims the runs of dead workers. While it trains it records each run's
/// progress every `heartbeatInterval`, and reads back cancel requests. Without `wait` it
/// returns when nothing is pending; with `wait` it polls for new runs until `stop` fires.
/// On `stop`, running runs checkpoint and go back to pending.
public final class QueueWorker: Sendable {
    public struct Options: Sendable, Hashable {
        /// Runs trained at once.
        public var jobs: Int
        /// When running runs save a checkpoint (a stop always saves one).
        public var checkpoints: CheckpointPolicy
        /// Keep polling for new runs when none is pending.
        public var wait: Bool
        public var pollInterval: Duration
        /// How often progress is recorded and cancel requests are read.
        public var heartbeatInterval: Duration

        public init(jobs: Int = 1, checkpoints: CheckpointPolicy = .everyTenEpochs, wait: Bool = false,
                    pollInterval: Duration = .seconds(2), heartbeatInterval: Duration = .seconds(2)) {
            precondition(jobs >= 1 && heartbeatInterval > .zero && pollInterval > .zero,
                         "QueueWorker: jobs ≥ 1, intervals > 0")
            self.jobs = jobs
            self.checkpoints = checkpoints
            self.wait = wait
            self.pollInterval = pollInterval
            self.heartbeatInterval = heartbeatInterval
        }
    }

    /// What a worker did, from start to return.
    public struct Summary: Sendable, Hashable {
        public var completed = 0
        public var failed = 0
        public var cancelled = 0
        /// Runs given back to pending when stopped.
        public var released = 0
        /// Runs taken back from dead workers.
        public var reclaimed = 0
        /// The database error that made the worker stop claiming runs.
        public var databaseError: String?
    }

    public let database: QueueDatabase
    public let options: Options
    public let owner: QueueOwner

    /// Set when a cancel request for the run arrives.
    private final class CancelFlag: Sendable {
        let raised = Atomic<Bool>(false)
    }

    private struct ActiveRun {
        var run: QueuedRun
        var cancel: CancelFlag
        var progress: QueuedRun.Progress?
        var started: ContinuousClock.Instant
    }

    private struct State {
        var nextIndex = 0
        var active: [Int: ActiveRun] = [:]
        var summary = Summary()
        var waiting = false
    }

    private let state = Mutex(State())

    public init(database: QueueDatabase, options: Options, owner: QueueOwner = .current()) {
        self.database = database
        self.options = options
        self.owner = owner
    }

    /// Works until nothing is pending (or, with `wait`, until `stop` fires); `events` is
    /// called from worker threads.
    public func run(stop: StopSignal = StopSignal(),
                    events: @escaping @Sendable (QueueEvent) -> Void = { _ in }) -> Summary {
        _ = reclaimDeadOwners(events)
        _ = extendSearches(events)
        refreshComparisons(events)
        let heartbeatQueue = DispatchQueue(label: "popcode.queue.heartbeat")
        let timer = DispatchSource.makeTimerSource(queue: heartbeatQueue)
        let interval = DispatchTimeInterval.nanoseconds(Int(options.heartbeatInterval.seconds * 1e9))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [self] in beat(events) }
        timer.resume()

        Scheduler.run(concurrency: options.jobs, stop: stop,
                      next: { [self] in next(stop: stop, events: events) },
                      events: { [self] in handle($0, events: events) })

        timer.cancel()
        heartbeatQueue.sync {}
        refreshComparisons(events)
        return state.withLock { $0.summary }
    }

    // MARK: - Claiming

    private func next(stop: StopSignal, events: @Sendable (QueueEvent) -> Void) -> Scheduler.Job? {
        while !stop.requested && !halted {
            let claimed: QueuedRun?
            do {
                claimed = try database.claim(owner: owner)
            } catch {
                halt(error, events)
                return nil
            }
            guard let run = claimed else {
                if reclaimDeadOwners(events) > 0 { continue }
                if extendSearches(events) > 0 { continue }
                guard options.wait else { return nil }
                let announce = state.withLock { s in
                    defer { s.waiting = true }
                    return !s.waiting
                }
                if announce { events(.waiting) }
                sleep(options.pollInterval, unless: stop)
                continue
            }
            state.withLock { $0.waiting = false }
            if stop.requested {
                // Claimed as the stop came: given back untouched.
                do {
                    _ = try database.finish(run, owner: owner, state: .pending)
                } catch {
                    halt(error, events)
                }
                return nil
            }
            if let end = prepare(run, events) {
                record(run, end, seconds: 0, events)
                continue
            }
            let cancel = CancelFlag()
            let index = state.withLock { s in
                defer { s.nextIndex += 1 }
                s.active[s.nextIndex] = ActiveRun(run: run, cancel: cancel, progress: nil, started: .now)
                return s.nextIndex
            }
            var request = run.request(checkpoints: options.checkpoints)
            if let (experiment, state) = search(of: run), let searchRun = state.runs.first(where: { $0.run.label == run.label }) {
                request = experiment.sweep.request(for: searchRun, checkpoints: options.checkpoints)
            }
            return Scheduler.Job(index: index, request: request,
                                 shouldStop: { cancel.raised.load(ordering: .acquiring) })
        }
        return nil
    }

    /// Checks a claimed run's folder before training: nil when the run should be trained,
    /// else how it ends without training.
    private func prepare(_ run: QueuedRun, _ events: @Sendable (QueueEvent) -> Void) -> QueueRunEnd? {
        let folder = run.runFolder
        let path = QueuedRun.displayPath(folder.url)
        // The run is ours alone now: any temporary file in its folder is from a killed writer.
        AtomicFile.removeLeftovers(in: folder.url)
        do {
            if let metrics = try folder.metrics() {
                // Judged as `popcode run` and `queue add` judge it: results that appeared after
                // `queue add` are the run's only if they are its spec's and this popcode's
                // arithmetic computed them.
                switch RunState(results: metrics, expecting: run.id) {
                case .conflict(let existing):
                    return .failed("\(path) holds results of another spec (id \(existing)); "
                                   + "move that folder away, then popcode queue retry")
                case .otherNumerics(let metrics):
                    return .failed(RunPolicy.otherNumerics(path, revision: metrics.numericsRevision)
                                   + "; move that folder away, then popcode queue retry")
                case .completed:
                    folder.removeCheckpoint()
                    return .alreadyCompleted
                case .failed, .resumable, .pending, .unreadable:
                    break
                }
            }
        } catch {
            return .failed("\(error.description); move it away, then popcode queue retry")
        }
        do {
            try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        } catch {
            return .failed("cannot create \(path): \((error as NSError).localizedDescription)")
        }
        guard access(folder.url.path, W_OK) == 0 else {
            return .failed("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        if let previous = run.progress?.epochsDone, previous > 0,
           !FileManager.default.fileExists(atPath: folder.checkpointURL.path) {
            events(.note(run, "no checkpoint from the last attempt (which reached epoch \(previous)); starting from epoch 0"))
        }
        return nil
    }

    // MARK: - Running

    private func handle(_ event: SchedulerEvent, events: @Sendable (QueueEvent) -> Void) {
        switch event {
        case .started(let index):
            if let run = state.withLock({ $0.active[index]?.run }) { events(.started(run)) }
        case .progress(let index, let p):
            state.withLock { s in
                let mse = p.mse ?? s.active[index]?.progress?.mse
                s.active[index]?.progress = QueuedRun.Progress(epochsDone: p.epochsDone, loss: p.loss, mse: mse)
            }
        case .note(let index, let text):
            if let run = state.withLock({ $0.active[index]?.run }) { events(.note(run, text)) }
        case .finished(let index, let outcome):
            guard let active = state.withLock({ $0.active.removeValue(forKey: index) }) else { return }
            let end: QueueRunEnd = switch outcome {
            case .completed(let metrics): .completed(metrics)
            case .completedElsewhere: .alreadyCompleted
            case .failed(let metrics): .failed(metrics.error?.reason ?? "failed")
            // The worker's jobs wait for the lock, so they are never busy; if one were, it goes back.
            case .busy: .released(epochsDone: active.progress?.epochsDone ?? 0)
            case .interrupted(let epochs):
                active.cancel.raised.load(ordering: .acquiring) ? .cancelled(epochsDone: epochs) : .released(epochsDone: epochs)
            }
            record(active.run, end, progress: active.progress, seconds: (.now - active.started).seconds, events)
        case .storageFailed(let index, let reason):
            guard let active = state.withLock({ $0.active.removeValue(forKey: index) }) else { return }
            record(active.run, .failed(reason), progress: active.progress,
                   seconds: (.now - active.started).seconds, events)

        case .deferred:
            break  // only `Scheduler.run(_:concurrency:)` defers
        }
    }

    /// Records in the queue how `run` ended, then refreshes its experiment's comparison. The
    /// end is reported (and counted) even when the queue cannot record it.
    private func record(_ run: QueuedRun, _ end: QueueRunEnd, progress: QueuedRun.Progress? = nil,
                        seconds: Double, _ events: @Sendable (QueueEvent) -> Void) {
        let newState: QueuedRun.State
        var error: String?
        switch end {
        case .completed, .alreadyCompleted: newState = .completed
        case .failed(let reason): newState = .failed; error = reason
        case .cancelled: newState = .cancelled
        case .released: newState = .pending
        }
        var recorded = false
        // The result is on disk: a halving search's state now says whether a round ended,
        // and its next runs are added in the same transaction that records this one.
        var next: [PlannedRun] = []
        let search = newState == .completed || newState == .failed ? search(of: run) : nil
        if let (_, state) = search { next = state.pendingRuns.map(\.run) }
        do {
            recorded = try database.finish(run, owner: owner, state: newState, error: error,
                                           progress: progress, seconds: seconds, next: next)
            if !recorded {
                events(.problem("\(run.name): no longer held by this worker; how it ended is not recorded"))
            }
            // After the transaction: files only, and what they say does not depend on it.
            if let (experiment, state) = search { experiment.sweep.removeSpentFinalStates(state) }
        } catch {
            // The run stays marked running by this process; the next worker reclaims it.
            halt(error, events)
        }
        state.withLock { s in
            switch newState {
            case .completed: s.summary.completed += 1
            case .failed: s.summary.failed += 1
            case .cancelled: s.summary.cancelled += 1
            case .pending: s.summary.released += 1
            case .running: break
            }
        }
        events(.finished(run, end))
        if recorded && (newState == .completed || newState == .failed) { refreshComparisons(events) }
    }

    /// Records the progress of the runs in training and raises the cancel flags the
    /// queue holds for them.
    private func beat(_ events: @Sendable (QueueEvent) -> Void) {
        let progress = state.withLock { s in
            Dictionary(s.active.values.compactMap { a in a.progress.map { (a.run.seq, $0) } },
                       uniquingKeysWith: { a, _ in a })
        }
        guard !progress.isEmpty else { return }
        do {
            let cancelled = try database.heartbeat(owner: owner, progress: progress)
            guard !cancelled.isEmpty else { return }
            state.withLock { s in
                for active in s.active.values where cancelled.contains(active.run.seq) {
                    active.cancel.raised.store(true, ordering: .releasing)
                }
            }
        } catch {
            events(.problem("cannot record progress: \(error)"))
        }
    }

    // MARK: - Housekeeping

    /// Takes back the runs of dead workers; returns how many.
    private func reclaimDeadOwners(_ events: @Sendable (QueueEvent) -> Void) -> Int {
        var reasons: [Int64: String] = [:]
        do {
            let reclaimed = try database.reclaim { run in
                guard let owner = run.owner, case .dead(let reason) = owner.liveness else { return nil }
                reasons[run.seq] = reason
                if let metrics = try? run.runFolder.metrics(), metrics.id == run.id, metrics.status == .completed {
                    return .completed
                }
                return run.cancelRequested ? .cancelled : .pending
            }
            for (run, newState) in reclaimed {
                if newState == .completed {
                    run.runFolder.removeCheckpoint()
                    RunLock.clearStaleNote(in: run.runFolder.url)
                }
                events(.reclaimed(run, state: newState, reason: reasons[run.seq] ?? "its worker is gone"))
            }
            state.withLock { $0.summary.reclaimed += reclaimed.count }
            return reclaimed.count
        } catch {
            halt(error, events)
            return 0
        }
    }

    /// The halving search `run` belongs to, with its state from the results on disk.
    private func search(of run: QueuedRun) -> (QueuedExperiment, SearchState)? {
        guard let experiment = (try? database.searches())?.first(where: { $0.folder == run.experimentFolder }),
              let state = experiment.sweep.searchState() else { return nil }
        return (experiment, state)
    }

    /// Adds the runs that halving searches wait for and the queue lacks (after a worker died
    /// between writing a result and recording it); returns how many.
    private func extendSearches(_ events: @Sendable (QueueEvent) -> Void) -> Int {
        do {
            var added = 0
            for experiment in try database.searches() {
                guard let state = experiment.sweep.searchState() else { continue }
                added += try database.addPending(state.pendingRuns.map(\.run), of: experiment)
                experiment.sweep.removeSpentFinalStates(state)
            }
            return added
        } catch {
            halt(error, events)
            return 0
        }
    }

    /// Rewrites the comparison files and report of the experiments with newly finished runs.
    private func refreshComparisons(_ events: @Sendable (QueueEvent) -> Void) {
        do {
            let problems = try database.refreshStaleExperiments { experiment, runs in
                // One writer of an experiment's files at a time, across workers and processes.
                let lock: RunLock
                do {
                    guard case .acquired(let acquired) = try RunLock.acquire(experiment.folder) else { return .busy }
                    lock = acquired
                } catch {
                    return .failed(String(describing: error))
                }
                return withExtendedLifetime(lock) {
                    AtomicFile.removeLeftovers(in: experiment.folder)
                    let records = runs.compactMap { run -> RunRecord? in
                        guard let metrics = try? run.runFolder.metrics(), metrics.id == run.id else { return nil }
                        return RunRecord(folder: run.folder, experiment: experiment.name, label: run.label, metrics: metrics)
                    }
                    do {
                        let search = experiment.sweep.searchState()
                        if let search {
                            try experiment.sweep.writeRecord(source: experiment.source, overrides: experiment.overrides,
                                                             search: search)
                        }
                        try ExperimentSummaries.write(records, search: search, to: experiment.folder)
                        return .written
                    } catch {
                        return .failed(String(describing: error))
                    }
                }
            }
            for problem in problems { events(.problem("cannot refresh a comparison: \(problem)")) }
        } catch {
            events(.problem("cannot refresh comparisons: \(error)"))
        }
    }

    private var halted: Bool { state.withLock { $0.summary.databaseError != nil } }

    /// Stops claiming after a database error (the runs in training finish first).
    private func halt(_ error: QueueError, _ events: @Sendable (QueueEvent) -> Void) {
        let first = state.withLock { s in
            defer { if s.summary.databaseError == nil { s.summary.databaseError = error.description } }
            return s.summary.databaseError == nil
        }
        if first { events(.problem("\(error.description); no more runs will be started")) }
    }

    private func sleep(_ duration: Duration, unless stop: StopSignal) {
        let end = ContinuousClock.now + duration
        while !stop.requested && ContinuousClock.now < end {
            Thread.sleep(forTimeInterval: min(0.05, (end - .now).seconds))
        }
    }
}
