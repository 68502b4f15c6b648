/// Why a queue operation could not be done. `description` is a sentence for the user.
public enum QueueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database file cannot be opened or created.
    case cannotOpen(path: String, reason: String)
    /// No queue at this path (only `add` and `run --wait` create one).
    case missing(path: String)
    /// A database read or write failed (disk full, locked for too long, corrupt file).
    case database(String)
    /// Adding would overwrite other results or queued runs of another spec; nothing was added.
    case conflicts([String])
    /// A file of the experiment could not be written; nothing was added.
    case storage(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open the queue \(path): \(reason)"
        case .missing(let path): "no queue at \(path) (popcode queue add creates it)"
        case .database(let reason): "queue database error: \(reason)"
        case .conflicts(let lines):
            RunPolicy.refusal(lines, what: "existing results or queued runs", remedies: RunPolicy.sweepRemedies + ["cancel the queued runs", "retrain them with popcode run --force"])
        case .storage(let reason): reason
        }
    }
}
