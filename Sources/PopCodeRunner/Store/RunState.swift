import PopCode

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

extension RunState {
    /// What a folder's `metrics.json`, `results`, says of the run with spec id `id`: another
    /// spec's, failed, or completed, which counts as completed only when this build's numerics
    /// computed it (`NumericsRevision`). The one place that judges a results file.
    public init(results: MetricsDocument, expecting id: String) {
        if results.id != id {
            self = .conflict(existingID: results.id)
        } else if results.status != .completed {
            self = .failed(results)
        } else {
            self = results.numericsRevision == NumericsRevision.current ? .completed(results) : .otherNumerics(results)
        }
    }
}
