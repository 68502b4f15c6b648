import ArgumentParser
import PopCodeRunner

/// `popcode queue cancel`: take runs out of the queue.
struct QueueCancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a queued run, an experiment's runs, or everything pending.",
        discussion: """
            Pending runs are cancelled at once. A running run stops at its next epoch (its worker \
            checks every few seconds), keeps its checkpoint and is marked cancelled; \
            popcode queue retry puts cancelled runs back, and they resume where they stopped.

            Examples:
              popcode queue cancel 3f9a0c2b7d1e4a55        (a run id, from metrics.json)
              popcode queue cancel --experiment overnight
              popcode queue cancel --all-pending           (running runs go on)
            """)

    @Argument(help: ArgumentHelp("The id of the run to cancel.", valueName: "run-id"))
    var runID: String?

    @Option(help: ArgumentHelp("Cancel every pending or running run of this experiment.", valueName: "name"))
    var experiment: String?

    @Flag(help: "Cancel every pending run.")
    var allPending = false

    @OptionGroup var queue: QueueOptions

    func validate() throws {
        guard [runID != nil, experiment != nil, allPending].filter({ $0 }).count == 1 else {
            throw ValidationError("give one of: a run id, --experiment NAME, --all-pending")
        }
    }

    func run() throws {
        let (selection, change) = try queue.change(runID: runID, experiment: experiment) { (database, selection) throws(QueueError) in try database.cancel(selection) }
        guard change.changed + change.stopping > 0 else {
            print("nothing to cancel: no run \(selection == .all ? "is pending" : "selected is pending or running")")
            return
        }
        var parts: [String] = []
        if change.changed > 0 { parts.append("cancelled \(change.changed) run\(change.changed == 1 ? "" : "s")") }
        if change.stopping > 0 {
            parts.append("\(change.stopping) running run\(change.stopping == 1 ? "" : "s") will stop at the next epoch")
        }
        print(parts.joined(separator: "; "))
    }
}
