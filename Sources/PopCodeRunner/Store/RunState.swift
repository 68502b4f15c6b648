/// What a run's folder holds for the run, read by `RunFolder.state(expecting:)`.
public enum RunState: Sendable, Hashable {
    /// Completed with this run's id.
    case completed(MetricsDocument)
    /// Failed with this run's id (diverged, or could not train).
    case failed(MetricsDocument)
    /// Interrupted; resumes from this epoch.
    case resumable(epoch: Int)
    /// Nothing of this run yet.
    case pending
    /// The folder holds results of a different spec.
    case conflict(existingID: String)
    /// The folder's metrics.json exists but cannot be read.
    case unreadable(String)
}
