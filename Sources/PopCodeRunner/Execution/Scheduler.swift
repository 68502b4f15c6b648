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
/// are returned by index, so the output never depends on timing.
public enum Scheduler {
    /// Runs every request; `events` is called from worker threads (it must be thread-safe).
    /// When `stop` fires, running jobs checkpoint and return `.interrupted`, and jobs not
    /// yet started are reported as `.notStarted`.
    public static func run(_ requests: [RunRequest], concurrency: Int, stop: StopSignal? = nil,
                           events: @escaping @Sendable (SchedulerEvent) -> Void = { _ in }) -> [JobResult] {
        precondition(concurrency >= 1, "Scheduler: concurrency must be at least 1")
        let next = Atomic<Int>(0)
        let results = Mutex<[JobResult]>(Array(repeating: .notStarted, count: requests.count))
        let group = DispatchGroup()
        let queue = DispatchQueue.global(qos: .userInitiated)
        for _ in 0..<min(concurrency, requests.count) {
            queue.async(group: group) {
                while stop?.requested != true {
                    let index = next.add(1, ordering: .relaxed).oldValue
                    guard index < requests.count else { return }
                    events(.started(index: index))
                    let result: JobResult
                    do {
                        let outcome = try RunExecutor.execute(
                            requests[index],
                            progress: { events(.progress(index: index, $0)) },
                            note: { events(.note(index: index, $0)) },
                            shouldStop: { stop?.requested == true })
                        events(.finished(index: index, outcome))
                        result = .outcome(outcome)
                    } catch {
                        let reason = String(describing: error)
                        events(.storageFailed(index: index, reason))
                        result = .storageFailed(reason)
                    }
                    results.withLock { $0[index] = result }
                }
            }
        }
        group.wait()
        return results.withLock { $0 }
    }
}
