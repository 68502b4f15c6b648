/// Something a queue worker did, for its log.
public enum QueueEvent: Sendable {
    /// A run held by a dead worker was taken back: pending again (it resumes from its
    /// checkpoint), completed when its folder already held the results, or cancelled when a
    /// cancel was pending.
    case reclaimed(QueuedRun, state: QueuedRun.State, reason: String)
    case started(QueuedRun)
    case note(QueuedRun, String)
    case finished(QueuedRun, QueueRunEnd)
    /// Nothing is pending; the worker waits for new runs (`wait` only). Once per idle spell.
    case waiting
    /// A problem that is no run's fault: the database, or comparison files.
    case problem(String)
}

/// How a claimed run left the worker.
public enum QueueRunEnd: Sendable, Hashable {
    case completed(MetricsDocument)
    /// Its folder already held its completed results (a worker died after writing them).
    case alreadyCompleted
    /// Diverged, or its folder could not be written, or holds something else.
    case failed(String)
    /// Stopped by `popcode queue cancel`; keeps its checkpoint for a retry.
    case cancelled(epochsDone: Int)
    /// Stopped by a signal: pending again, resumes from its checkpoint.
    case released(epochsDone: Int)
}
