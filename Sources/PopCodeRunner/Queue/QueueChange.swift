/// What a cancel or retry changed.
public struct QueueChange: Sendable, Hashable {
    /// Runs the selection matched, whatever their state.
    public var matched: Int
    /// Runs whose state changed now (pending → cancelled, or failed/cancelled → pending).
    public var changed: Int
    /// Running runs asked to stop: they become cancelled at their worker's next epoch.
    public var stopping: Int

    public init(matched: Int = 0, changed: Int = 0, stopping: Int = 0) {
        self.matched = matched
        self.changed = changed
        self.stopping = stopping
    }
}
