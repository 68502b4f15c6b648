import ArgumentParser
import Foundation
import PopCodeRunner

/// How often a training run saves its state and how much it says: `popcode train`, and
/// through `WorkerOptions` `popcode run` and `popcode queue run`. One definition, so one
/// default and one meaning everywhere.
struct TrainingOptions: ParsableArguments {
    /// Epochs between checkpoints when `--checkpoint-every` is not given, for every command
    /// that trains: a kill loses at most this many epochs, and a checkpoint of a typical run
    /// (a few hundred KB, written atomically) costs far less than ten epochs of it.
    static let defaultCheckpointEvery = 10

    @Option(help: ArgumentHelp("Save a checkpoint every N epochs (0: only when stopped).", valueName: "n"))
    var checkpointEvery = TrainingOptions.defaultCheckpointEvery

    @Flag(name: .shortAndLong, help: ArgumentHelp(
        "No progress output: run prints only the table, queue run logs only failures and problems, train only its summary line.",
        discussion: "Errors are never quiet: every failed run is named with its reason."))
    var quiet = false

    func validate() throws {
        guard checkpointEvery >= 0 else {
            throw ValidationError("--checkpoint-every must be at least 0 (0: only when stopped), got \(checkpointEvery)")
        }
    }
}

/// The options of the commands that train several runs at once (`run`, `queue run`).
struct WorkerOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Runs trained at once (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @OptionGroup var training: TrainingOptions

    var checkpointEvery: Int { training.checkpointEvery }
    var quiet: Bool { training.quiet }

    /// `--jobs`, or the number of cores.
    var concurrency: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }
}
