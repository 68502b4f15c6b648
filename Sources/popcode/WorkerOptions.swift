import ArgumentParser
import Foundation
import PopCodeRunner

/// How often a training run saves its state and how much it says: `popcode train`, and
/// through `WorkerOptions` `popcode run` and `popcode queue run`. One definition, so one
/// default and one meaning everywhere.
struct TrainingOptions: ParsableArguments {
    /// When runs checkpoint unless told otherwise, for every command that trains: a kill
    /// loses at most ten epochs, or about a second of training for runs whose ten epochs take
    /// less (a checkpoint of a typical run, a few hundred KB written atomically, costs far
    /// less than ten epochs of it; of a run of milliseconds, more than the whole run).
    static let defaults = CheckpointPolicy.commandDefault

    @Option(help: ArgumentHelp("Save a checkpoint every N epochs (0: only when stopped).", valueName: "n"))
    var checkpointEvery: Int = TrainingOptions.defaults.epochs

    @Option(help: ArgumentHelp(
        "Checkpoints at least S seconds of training apart (0: every N epochs exactly).",
        discussion: """
            Spares fast runs checkpoints that cost more than they save: a kill loses at most \
            about N epochs or S seconds of training, whichever is more. Ctrl-C and SIGTERM \
            always save one.
            """, valueName: "s"))
    var checkpointMinSeconds: Double = TrainingOptions.defaults.minimumSeconds

    @Flag(name: .shortAndLong, help: ArgumentHelp(
        "No progress output: run prints only the table, queue run logs only failures and problems, train only its summary line.",
        discussion: "Errors are never quiet: every failed run is named with its reason."))
    var quiet = false

    /// When the runs checkpoint.
    var checkpoints: CheckpointPolicy { .init(every: checkpointEvery, minimumSeconds: checkpointMinSeconds) }

    func validate() throws {
        guard checkpointEvery >= 0 else {
            throw ValidationError("--checkpoint-every must be at least 0 (0: only when stopped), got \(checkpointEvery)")
        }
        guard checkpointMinSeconds >= 0, checkpointMinSeconds.isFinite else {
            let expected = "a number of seconds, at least 0 (0: every --checkpoint-every epochs exactly)"
            throw ValidationError("--checkpoint-min-seconds must be \(expected), got \(checkpointMinSeconds)")
        }
    }
}

/// The options of the commands that train several runs at once (`run`, `queue run`).
struct WorkerOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Runs trained at once (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @OptionGroup var training: TrainingOptions

    var checkpoints: CheckpointPolicy { training.checkpoints }
    var quiet: Bool { training.quiet }

    /// `--jobs`, or the number of cores.
    var concurrency: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }
}
