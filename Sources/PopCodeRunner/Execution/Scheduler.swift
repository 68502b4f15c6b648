import Dispatch
import Synchronization

/// Something that happened to one job of a schedule, for progress displays and logs.
public enum SchedulerEvent: Sendable {
    case started(index: Int)
    case progress(index: Int, RunProgress)
    case note(index: Int, String)
    case finished(index: Int, RunOutcome)
    /// The run's folder could not be written (disk full, permissions).
    case storageFailed(index: Int, String)
    /// Another process trains the run now (`holder` says who); it is tried again, waiting
    /// for that process, once the other runs are done.
    case deferred(index: Int, holder: String)
}

/// The fate of one job after a schedule.
public enum JobResult: Sendable, Hashable {
    case outcome(RunOutcome)
    case storageFailed(String)
    /// Never started because a stop was requested first.
    case notStarted
}

/// Trains several runs at once on Dispatch worker threads, at most `concurrency` at a time.
///
/// Each run owns its trainer and buffers; nothing numeric is shared, so a run's result
/// does not depend on what runs beside it. Jobs are started in index order and results
/// are returned by index, so the output never depends on timing. A run another process
/// trains (its folder's `RunLock` is taken) is put off until the others are done, then
/// waited for: it ends `.completedElsewhere`, or is trained (resumed) here if that process
/// stopped before completing it.
public enum Scheduler {
    /// A run handed out by the `next` closure of `run(concurrency:stop:next:events:)`.
    public struct Job: Sendable {
        /// Identifies the job in the events.
        public var index: Int
        public var request: RunRequest
        /// Polled after every epoch besides the stop signal: true stops this run alone
        /// (it checkpoints and returns `.interrupted`).
        public var shouldStop: @Sendable () -> Bool
        /// Whether to wait when another process holds the run's lock, or end `.busy`.
        public var waitForLock: LockWait

        public init(index: Int, request: RunRequest, waitForLock: LockWait = .yes,
                    shouldStop: @escaping @Sendable () -> Bool = { false }) {
            self.index = index
            self.request = request
            self.waitForLock = waitForLock
            self.shouldStop = shouldStop
        }
    }

    /// Runs every request; `events` is called from worker threads (it must be thread-safe).
    /// When `stop` fires, running jobs checkpoint and return `.interrupted`, and jobs not
    /// yet started are reported as `.notStarted`. The results' metrics documents leave out
    /// the training history (each run's metrics.json has it; for a sweep of 10,000 runs the
    /// histories would hold a hundred megabytes until the end); the events carry it whole.
    public static func run(_ requests: [RunRequest], concurrency: Int, stop: StopSignal? = nil,
                           events: @escaping @Sendable (SchedulerEvent) -> Void = { _ in }) -> [JobResult] {
        precondition(concurrency >= 1, "Scheduler: concurrency must be at least 1")
        // First every run in order without waiting; then, waiting, those another process held.
        // A worker that puts a run off asks `next` again, so no put-off run is left behind.
        let queue = Mutex<(next: Int, deferred: [Int])>((0, []))
        let results = Mutex<[JobResult]>(Array(repeating: .notStarted, count: requests.count))
        guard !requests.isEmpty else { return [] }
        run(concurrency: min(concurrency, requests.count), stop: stop, next: {
            queue.withLock { q -> Job? in
                if q.next < requests.count {
                    defer { q.next += 1 }
                    return Job(index: q.next, request: requests[q.next], waitForLock: .no)
                }
                guard !q.deferred.isEmpty else { return nil }
                let index = q.deferred.removeFirst()
                return Job(index: index, request: requests[index], waitForLock: .yes)
            }
        }, events: { event in
            switch event {
            case .finished(let index, .busy(let holder)):
                queue.withLock { $0.deferred.append(index) }
                events(.deferred(index: index, holder: holder))
                return
            case .finished(let index, let outcome): results.withLock { $0[index] = .outcome(outcome.withoutHistory) }
            case .storageFailed(let index, let reason): results.withLock { $0[index] = .storageFailed(reason) }
            default: break
            }
            events(event)
        })
        return results.withLock { $0 }
    }

    /// Pull-based scheduling: `concurrency` workers each ask `next` for a job, train it, and
    /// ask again, until `next` returns nil or `stop` fires; returns when every worker is done.
    ///
    /// `next` is called from worker threads, concurrently (it must be thread-safe), and may
    /// block while it waits for work. A job's `.finished` or `.storageFailed` event is
    /// delivered before its worker calls `next` again.
    public static func run(concurrency: Int, stop: StopSignal? = nil,
                           next: @escaping @Sendable () -> Job?,
                           events: @escaping @Sendable (SchedulerEvent) -> Void = { _ in }) {
        precondition(concurrency >= 1, "Scheduler: concurrency must be at least 1")
        let group = DispatchGroup()
        let queue = DispatchQueue.global(qos: .userInitiated)
        for _ in 0..<concurrency {
            queue.async(group: group) {
                while stop?.requested != true, let job = next() {
                    let index = job.index
                    events(.started(index: index))
                    do {
                        let outcome = try RunExecutor.execute(
                            job.request, waitForLock: job.waitForLock,
                            progress: { events(.progress(index: index, $0)) },
                            note: { events(.note(index: index, $0)) },
                            shouldStop: { stop?.requested == true || job.shouldStop() })
                        events(.finished(index: index, outcome))
                    } catch {
                        events(.storageFailed(index: index, String(describing: error)))
                    }
                }
            }
        }
        group.wait()
    }
}
