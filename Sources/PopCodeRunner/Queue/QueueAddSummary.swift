/// What `popcode queue add` did.
public struct QueueAddSummary: Sendable, Hashable {
    /// Runs in the experiment.
    public var total = 0
    /// Runs now pending: new ones, plus `requeued`.
    public var added = 0
    /// Of `added`: runs that were failed or cancelled (or completed, but their results are gone).
    public var requeued = 0
    /// Runs already pending or running with the same spec.
    public var alreadyQueued = 0
    /// Runs whose folder already holds their completed results.
    public var alreadyCompleted = 0

    public var skipped: Int { alreadyQueued + alreadyCompleted }
}
