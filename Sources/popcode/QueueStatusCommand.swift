import ArgumentParser
import PopCodeRunner

/// `popcode queue status`: what the queue holds and what is being trained.
struct QueueStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the queue: runs per state and experiment, what is running, the ETA.",
        discussion: """
            Counts runs per state (pending, running, completed, failed, cancelled) and per \
            experiment, lists the runs in training with the epoch and train MSE their worker last \
            recorded (every few seconds), the failures with their reasons, and estimates the time \
            left from the measured times of completed runs.

            Examples:
              popcode queue status
              watch -n 10 popcode queue status
              popcode queue status --format json | jq .counts
            """)

    @OptionGroup var queue: QueueOptions

    @Option(help: ArgumentHelp("table (for people) or json (for scripts).", valueName: "format"))
    var format = "table"

    func validate() throws {
        guard QueueStatusRenderer.Format(rawValue: format) != nil else {
            throw ValidationError("--format must be table or json")
        }
    }

    func run() throws {
        let database = try queue.open()
        let status: QueueStatus
        do {
            status = QueueStatus(runs: try database.runs(), database: queue.path)
        } catch {
            throw error.reported()
        }
        print(QueueStatusRenderer.render(status, as: QueueStatusRenderer.Format(rawValue: format)!), terminator: "")
    }
}
