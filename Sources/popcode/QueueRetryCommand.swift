import ArgumentParser
import PopCodeRunner

/// `popcode queue retry`: failed and cancelled runs back to pending.
struct QueueRetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Put failed and cancelled runs back to pending.",
        discussion: """
            Without arguments, every failed or cancelled run; a run id or --experiment narrows \
            it. Runs resume from their checkpoint when they have one. A worker must be running \
            (or started) to train them.

            Examples:
              popcode queue retry
              popcode queue retry --experiment overnight
              popcode queue retry 3f9a0c2b7d1e4a55 && popcode queue run
            """)

    @Argument(help: ArgumentHelp("Only the run with this id.", valueName: "run-id"))
    var runID: String?

    @Option(help: ArgumentHelp("Only the runs of this experiment.", valueName: "name"))
    var experiment: String?

    @OptionGroup var queue: QueueOptions

    func validate() throws {
        if runID != nil && experiment != nil { throw ValidationError("give a run id or --experiment, not both") }
    }

    func run() throws {
        let (selection, change) = try queue.change(runID: runID, experiment: experiment) { (database, selection) throws(QueueError) in try database.retry(selection) }
        guard change.changed > 0 else {
            print("nothing to retry: no failed or cancelled run\(selection == .all ? "" : " among the \(change.matched) selected")")
            return
        }
        print("\(change.changed) run\(change.changed == 1 ? "" : "s") back to pending")
    }
}
