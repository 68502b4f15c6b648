/// What `popcode queue add` does with each planned run, given what the queue and the run's
/// folder already hold. Pure, so the rules are tested on their own.
///
/// A run is identified by its folder (`runs/<experiment>/<label>`) and its spec id: the same
/// spec in two experiments is trained once for each, so every experiment folder is complete.
enum QueueAdmission {
    enum Decision: Sendable, Hashable {
        /// A new pending row.
        case insert
        /// The folder's row goes back to pending with this spec (failed or cancelled before,
        /// or marked completed but its results are gone).
        case requeue
        /// The folder's row was failed or cancelled, but the folder now holds the completed
        /// results (trained by `popcode run`): the row becomes completed. Counts as skipped.
        case markCompleted
        /// Already pending or running with this spec.
        case skipQueued
        /// Already completed with this spec (its folder holds the results).
        case skipCompleted
        /// The folder's row is pending or running with another spec.
        case conflict(existingID: String, state: QueuedRun.State)

        var adds: Bool { self == .insert || self == .requeue }
    }

    /// - Parameters:
    ///   - existing: the queue's row for the run's folder, if any.
    ///   - id: the planned run's spec id.
    ///   - completedOnDisk: the folder holds a completed `metrics.json` with `id`.
    static func decide(existing: QueuedRun?, id: String, completedOnDisk: Bool) -> Decision {
        decide(row: existing.map { ($0.id, $0.state) }, id: id, completedOnDisk: completedOnDisk)
    }

    /// The same decision from the id and state of the folder's row, if any (all it looks at).
    static func decide(row existing: (id: String, state: QueuedRun.State)?, id: String, completedOnDisk: Bool) -> Decision {
        guard let existing else { return completedOnDisk ? .skipCompleted : .insert }
        guard existing.id == id else {
            switch existing.state {
            case .pending, .running: return .conflict(existingID: existing.id, state: existing.state)
            // Another spec's finished row: its results would have been caught as a conflict on
            // disk already, so the row is history and gives way.
            case .completed, .failed, .cancelled: return completedOnDisk ? .markCompleted : .requeue
            }
        }
        switch existing.state {
        case .pending, .running: return .skipQueued
        case .completed: return completedOnDisk ? .skipCompleted : .requeue
        case .failed, .cancelled: return completedOnDisk ? .markCompleted : .requeue
        }
    }
}
