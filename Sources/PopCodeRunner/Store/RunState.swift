/// What a run's folder holds for the run, read by `RunFolder.state(expecting:)`.
public enum RunState: Sendable, Hashable {
    /// Completed with this run's id, by this build's numerics revision.
    case completed(MetricsDocument)
    /// Completed with this run's id, but by another numerics revision
    /// (`MetricsDocument.numericsRevision` ≠ `NumericsRevision.current`): not reusable.
    case otherNumerics(MetricsDocument)
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
