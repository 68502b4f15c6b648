import ArgumentParser
import Foundation
import PopCodeRunner

/// `popcode queue add`: enqueue the runs of an experiment file.
struct QueueAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add the runs of an experiment file to the queue.",
        discussion: """
            Expands FILE exactly as popcode run does (same errors, same run ids, same folders \
            runs/<experiment>/<run>) and queues its runs; a worker (popcode queue run) trains them.

            A run already pending, running or completed with the identical spec is not added \
            again; a failed or cancelled one is queued again. If a run's folder holds results of \
            another spec, or is queued with another spec, nothing is added.

            A halving search (halving: block) is queued one round at a time: queue add adds \
            round 1, and the worker that records a round's last run adds the next round in the \
            same transaction, with the decisions popcode run would take (see popcode help run \
            for the statistical guard, and that a halving over epochs has none). \
            queue status shows each search's round, survivors and winner.

            Examples:
              popcode queue add configs/overnight.yaml
              popcode queue add configs/sigma-lr-grid.yaml --set "seed={from: 0, to: 9}"
              popcode queue add configs/seeds.yaml --set epochs=50 --set name=seeds-50

            Exit status: 0 added (or nothing to add), 1 the queue could not be written, \
            2 bad file, usage or conflicting results.
            """)

    @Argument(help: ArgumentHelp("The experiment file (YAML).", valueName: "file"))
    var file: String

    @OptionGroup var sweep: SweepOptions

    @OptionGroup var database: QueueDatabaseOption

    func run() throws {
        let plan = try sweep.load(file: file)
        let queue = try database.open(runsDir: sweep.runsDir, .createIfMissing)
        let summary: QueueAddSummary
        do {
            summary = try queue.add(plan, source: file, overrides: sweep.overrides)
        } catch {
            throw error.reported()
        }
        var skipped: [String] = []
        if summary.alreadyQueued > 0 { skipped.append("\(summary.alreadyQueued) already queued") }
        if summary.alreadyCompleted > 0 { skipped.append("\(summary.alreadyCompleted) already completed") }
        var line = "\(plan.experiment.name): \(summary.total) run\(summary.total == 1 ? "" : "s"): "
            + "\(summary.added) added"
        if summary.requeued > 0 { line += " (\(summary.requeued) of them queued again)" }
        line += ", \(summary.skipped) skipped"
        if !skipped.isEmpty { line += " (" + skipped.joined(separator: ", ") + ")" }
        print(line + " → \(queue.path)")
    }
}
