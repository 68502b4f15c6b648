import ArgumentParser
import Foundation
import PopCodeRunner

/// `popcode queue run`: a worker that trains the queued runs.
struct QueueRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train the queued runs (a worker).",
        discussion: """
            Claims pending runs in the order they were added and trains them --jobs at a time, \
            writing what popcode run writes (runs/<experiment>/<run>/metrics.json and arrays.npz) \
            and refreshing each experiment's comparison.{md,csv,json} as its runs finish.

            Runs save a checkpoint every --checkpoint-every epochs, at least \
            --checkpoint-min-seconds of training apart. Ctrl-C or SIGTERM stops the \
            worker cleanly: running runs checkpoint, go back to pending, and the worker exits 0 \
            (a second Ctrl-C quits at once). A worker that dies (kill -9, reboot) leaves its runs \
            marked running; the next worker to start sees that their process is gone and takes \
            them back. Either way they resume from their checkpoint, with bit-identical results.

            Several workers may share a queue: no run is ever claimed twice. Without --wait the \
            worker exits when nothing is pending; with --wait it keeps polling for new runs.

            Examples:
              popcode queue run --jobs 2
              nohup popcode queue run > runs/worker.log 2>&1 &
              tmux new -d -s popcode 'popcode queue run --wait'

            Exit status: 0 all good (also after Ctrl-C), 1 some runs failed or the queue could \
            not be used, 2 usage.
            """)

    @OptionGroup var queue: QueueOptions

    @OptionGroup var options: WorkerOptions

    @Flag(help: "When nothing is pending, wait for new runs instead of exiting.")
    var wait = false

    @OptionGroup var provenance: ProvenanceOptions

    func run() throws {
        try provenance.check()
        let database = try queue.open(wait ? .createIfMissing : .existing)
        let stop = StopSignal.install()
        let jobs = options.concurrency
        let worker = QueueWorker(database: database,
                                 options: .init(jobs: jobs, checkpoints: options.checkpoints, wait: wait))
        let log = QueueLog(quiet: options.quiet)
        log.line("worker pid \(worker.owner.pid) on \(queue.path): up to \(jobs) run\(jobs == 1 ? "" : "s") at once"
                 + (wait ? ", waiting for new runs when idle" : ""))
        let summary = worker.run(stop: stop, events: log.handle)
        log.line("worker done: \(summary.completed) completed, \(summary.failed) failed, \(summary.cancelled) cancelled"
                 + (summary.released > 0 ? ", \(summary.released) back to pending (they resume from their checkpoint)" : ""),
                 always: true)
        if summary.databaseError != nil || summary.failed > 0 {
            throw ExitStatus.runsFailed.exitCode
        }
    }
}
