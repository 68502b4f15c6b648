import ArgumentParser

/// `popcode queue`: a persistent queue of runs for long, unattended sweeps.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Queue sweeps and train them with a worker that survives kills and reboots.",
        discussion: """
            Add sweeps during the day, leave a worker running, read the tables in the morning. \
            The queue is a SQLite file (runs/queue.sqlite by default; see --runs-dir and --db); \
            results stay in each run's metrics.json, written exactly as popcode run writes them.

            Runs save checkpoints, so a killed worker, a reboot or a full disk loses nothing: \
            the next worker resumes them, with results bit-identical to an uninterrupted run.

            The overnight workflow:
              popcode queue add configs/overnight.yaml
              popcode queue add configs/sigma-lr-grid.yaml --set "seed={from: 0, to: 9}"
              nohup popcode queue run > runs/worker.log 2>&1 &
              popcode queue status
              popcode compare runs/overnight          (in the morning)
            """,
        subcommands: [QueueAddCommand.self, QueueRunCommand.self, QueueStatusCommand.self,
                      QueueCancelCommand.self, QueueRetryCommand.self])
}
