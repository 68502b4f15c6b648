import Foundation
import PopCode

/// One run in the queue: what to train, where its files go, and how far it got.
///
/// The run's `metrics.json` stays the source of its results; the queue only records
/// whose turn it is and points at the folder.
public struct QueuedRun: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Waiting for a worker (resumes from its checkpoint when it has one).
        case pending
        /// Claimed by `owner`.
        case running
        /// Its folder holds a completed `metrics.json` with its id.
        case completed
        /// Diverged, or its folder could not be written; see `error`.
        case failed
        /// Cancelled by `popcode queue cancel`; `popcode queue retry` puts it back.
        case cancelled
    }

    /// The latest progress a worker recorded (every few seconds, not every epoch).
    public struct Progress: Sendable, Hashable {
        public var epochsDone: Int
        public var loss: Double?
        public var mse: Double?

        public init(epochsDone: Int, loss: Double?, mse: Double?) {
            self.epochsDone = epochsDone
            self.loss = loss
            self.mse = mse
        }
    }

    /// Position in the queue: runs are claimed in this order.
    public var seq: Int64
    /// `spec.id`.
    public var id: String
    public var experiment: String
    public var label: String
    /// Index in the experiment's expansion.
    public var index: Int
    /// The run folder, `runs/<experiment>/<label>` (absolute).
    public var folder: URL
    public var spec: RunSpec
    public var state: State
    public var owner: QueueOwner?
    public var cancelRequested: Bool
    public var progress: Progress?
    /// When the owner last recorded progress.
    public var heartbeatAt: Date?
    /// How many times a worker claimed it.
    public var attempts: Int
    /// Wall-clock seconds spent on it by workers, over all attempts.
    public var seconds: Double
    public var error: String?
    public var addedAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?

    public init(seq: Int64, id: String, experiment: String, label: String, index: Int, folder: URL,
                spec: RunSpec, state: State, owner: QueueOwner? = nil, cancelRequested: Bool = false,
                progress: Progress? = nil, heartbeatAt: Date? = nil, attempts: Int = 0,
                seconds: Double = 0, error: String? = nil, addedAt: Date, startedAt: Date? = nil,
                finishedAt: Date? = nil) {
        self.seq = seq
        self.id = id
        self.experiment = experiment
        self.label = label
        self.index = index
        self.folder = folder
        self.spec = spec
        self.state = state
        self.owner = owner
        self.cancelRequested = cancelRequested
        self.progress = progress
        self.heartbeatAt = heartbeatAt
        self.attempts = attempts
        self.seconds = seconds
        self.error = error
        self.addedAt = addedAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    public var runFolder: RunFolder { RunFolder(folder) }

    /// The experiment folder, `runs/<experiment>`.
    public var experimentFolder: URL { folder.deletingLastPathComponent() }

    /// `experiment/label`, how logs and tables name a run.
    public var name: String { "\(experiment)/\(label)" }

    public func request(checkpoints: CheckpointPolicy) -> RunRequest {
        RunRequest(spec: spec, id: id, experiment: experiment, label: label, folder: runFolder,
                   checkpoints: checkpoints)
    }
}

extension QueuedRun {
    /// `url`'s path relative to the current directory when it is inside it, else absolute.
    static func displayPath(_ url: URL) -> String {
        let path = url.path
        let current = FileManager.default.currentDirectoryPath
        return path.hasPrefix(current + "/") ? String(path.dropFirst(current.count + 1)) : path
    }
}
