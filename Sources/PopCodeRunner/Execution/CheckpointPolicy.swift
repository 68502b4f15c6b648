import Foundation

/// When a run saves its training state (`checkpoint.json`) while it trains: every `epochs`
/// epochs, but no sooner than `minimumSeconds` of training after the last save (or after the
/// run started in this process). A stop (Ctrl-C, SIGTERM, a cancel) always saves one,
/// whatever this says; a completed run keeps none.
///
/// The minimum time spares runs whose epochs take microseconds a checkpoint that costs more
/// than the training it would save (a tiny run of 20 epochs trains and evaluates in about
/// 1.6 ms of CPU; its checkpoint, the whole state encoded and written, cost about 1 ms of CPU
/// more per run in a 10,000-run sweep, plus its removal). A kill loses at most about
/// max(`epochs` epochs, `minimumSeconds` seconds) of training.
public struct CheckpointPolicy: Sendable, Hashable {
    /// Epochs between checkpoints; 0: only when stopped.
    public var epochs: Int
    /// Seconds of training a periodic checkpoint waits for after the last one; 0: every
    /// `epochs` epochs exactly.
    public var minimumSeconds: Double

    public init(every epochs: Int, minimumSeconds: Double = 0) {
        precondition(epochs >= 0 && minimumSeconds >= 0 && minimumSeconds.isFinite,
                     "CheckpointPolicy: epochs ≥ 0, minimumSeconds ≥ 0 and finite")
        self.epochs = epochs
        self.minimumSeconds = minimumSeconds
    }

    /// No periodic checkpoints: only a stop saves one.
    public static let whenStopped = CheckpointPolicy(every: 0)

    /// The library's default (`RunExecutor`, `QueueWorker.Options`): every ten epochs exactly,
    /// so that what a caller sees does not depend on how fast the machine is.
    public static let everyTenEpochs = CheckpointPolicy(every: 10)

    /// What the commands that train do unless told otherwise (`--checkpoint-every`,
    /// `--checkpoint-min-seconds`): a kill loses at most ten epochs or about a second.
    public static let commandDefault = CheckpointPolicy(every: 10, minimumSeconds: 1)

    /// Whether a periodic checkpoint is due `epochsSince` epochs after the last one;
    /// `secondsSince` (the training time since then) is asked only when the epochs are.
    public func isDue(epochsSince: Int, secondsSince: () -> Double) -> Bool {
        epochs > 0 && epochsSince >= epochs && (minimumSeconds == 0 || secondsSince() >= minimumSeconds)
    }
}
