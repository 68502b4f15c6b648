import ArgumentParser
import Foundation
import PopCodeRunner

/// `popcode queue status`: what the queue holds and what is being trained.
struct QueueStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the queue: runs per state and experiment, what is running, the ETA.",
        discussion: """
            Counts runs per state (pending, running, completed, failed, cancelled) and per \
            experiment, lists the runs in training with the epoch and train MSE their worker last \
            recorded (every few seconds), the failures with their reasons, estimates the time \
            left from the measured times of completed runs, and says how many runs finished in \
            the last 10 minutes.

            With --watch it keeps going until Ctrl-C: on a terminal the table is redrawn in place \
            every --interval seconds; otherwise (a log file, a pipe) it prints one line per \
            interval with the counts, the ETA and the rate.

            Examples:
              popcode queue status
              popcode queue status --watch
              popcode queue status --watch --interval 30 >> runs/progress.log
              popcode queue status --format json | jq .counts
            """)

    @OptionGroup var queue: QueueOptions

    @Option(help: ArgumentHelp("table (for people) or json (for scripts).", valueName: "format"))
    var format: QueueStatusRenderer.Format = .table

    @Flag(help: "Keep showing the status, redrawn every --interval seconds, until Ctrl-C.")
    var watch = false

    @Option(help: ArgumentHelp("Seconds between redraws with --watch.", valueName: "seconds"))
    var interval = 2.0

    func validate() throws {
        guard interval.isFinite, interval >= 0.2 else {
            throw ValidationError("--interval must be at least 0.2 seconds")
        }
        if watch && format == .json {
            throw ValidationError("--watch draws tables; for scripts, run --format json when you need it")
        }
    }

    func run() throws {
        let database = try queue.open()
        guard watch else {
            print(QueueStatusRenderer.render(try status(database), as: format),
                  terminator: "")
            return
        }
        // Watching trains nothing: Ctrl-C just ends the loop, with no notice about checkpoints.
        let stop = StopSignal.install(notice: nil)
        let terminal = isatty(STDOUT_FILENO) != 0
        while !stop.requested {
            let now = Date()
            let status = try status(database, now: now)
            if terminal {
                // Home, draw, clear what the previous drawing left below.
                let text = QueueStatusRenderer.render(status, as: .table)
                    + "\nevery \(Self.seconds(interval)), updated \(Self.clock(now)); Ctrl-C stops\n"
                Self.write("\u{1B}[H" + text.replacingOccurrences(of: "\n", with: "\u{1B}[K\n") + "\u{1B}[J")
            } else {
                Self.write(QueueStatusRenderer.line(status, at: now) + "\n")
            }
            let until = Date().addingTimeInterval(interval)
            while !stop.requested && Date() < until { usleep(50_000) }
        }
    }

    private func status(_ database: QueueDatabase, now: Date = Date()) throws -> QueueStatus {
        do {
            var status = QueueStatus(runs: try database.runs(), database: queue.path, now: now)
            status.searches = try database.searches().compactMap { experiment in
                experiment.sweep.searchState().map { QueueStatus.Search(experiment: experiment.name, state: $0) }
            }
            return status
        } catch {
            throw error.reported()
        }
    }

    /// Writes to standard output at once (no buffering between redraws).
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: date)
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
