import ArgumentParser
import Foundation
import PopCode
import PopCodeRunner

/// `popcode run`: train every run of an experiment file, several at once.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train every run of an experiment file and print the comparison table.",
        discussion: """
            Expands FILE (YAML; lists sweep a key, several lists form a grid) into runs and trains \
            them, --jobs at a time. Each run writes runs/<experiment>/<run>/metrics.json; at the end \
            the comparison table is printed and written as comparison.md/.csv/.json beside the runs.

            Runs already completed with the identical spec are skipped (--force redoes them). \
            Ctrl-C stops cleanly: running runs save a checkpoint, and the same command later \
            resumes them mid-run and trains what is missing.

            Searches: keys written {uniform: [a, b]}, {loguniform: [a, b]}, {int: [a, b]} or \
            {choice: [...]} are drawn by a search: block (method: random or sobol, samples: N, \
            seed: S); --dry-run lists the configurations. A halving: block (resource: seeds or \
            epochs, min, max, eta, metric, goal, alpha, confirm) trains the rounds one after \
            another and confirms the best on fresh seeds. Racing over seeds, a configuration \
            outside the top 1/eta is dropped only if it is worse than the round's best at a \
            one-sided Welch p < alpha; with fewer than 2 seeds per configuration (min: 1) the \
            guard cannot test and the round drops by rank alone. A halving over epochs has no \
            statistical guard: it ranks by the mean over the file's seeds and keeps the top \
            1/eta. --index, --shard and --force are refused for a halving search.

            Examples:
              popcode run configs/seeds.yaml
              popcode run configs/sigma-lr-grid.yaml --jobs 2 --set "seed=[0,1,2]"
              popcode run configs/reference.yaml --set epochs=20 --dry-run
              popcode run configs/overnight.yaml --index 7    (one run, as a Slurm task)
              popcode run configs/search-lr-sigma.yaml --dry-run   (a search's configurations)

            Exit status: 0 all runs completed, 1 some runs failed, 2 bad file or usage, \
            130 interrupted.
            """)

    @Argument(help: ArgumentHelp("The experiment file (YAML).", valueName: "file"))
    var file: String

    @OptionGroup var sweep: SweepOptions

    @OptionGroup var options: WorkerOptions

    @Flag(help: "Train again runs that already completed (their results are replaced).")
    var force = false

    @Flag(help: "Print the expanded runs and their ids, train nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Run only the run with this index in the expansion order (0-based).", valueName: "i"))
    var index: Int?

    @Option(help: ArgumentHelp("Run only every n-th run starting at i (i/n with 0 ≤ i < n, 0-based), e.g. 0/4.", valueName: "i/n"))
    var shard: Shard?

    @Option(help: ArgumentHelp("Format of the table printed at the end.", valueName: "format"))
    var format: ComparisonRenderer.Format = .table

    @OptionGroup var provenance: ProvenanceOptions

    func validate() throws {
        if index != nil && shard != nil { throw ValidationError("--index and --shard cannot be combined") }
    }

    func run() throws {
        let plan = try sweep.load(file: file)
        var selected = plan.runs
        if let index {
            guard plan.runs.indices.contains(index) else {
                printError("error: --index \(index) is out of range: \(file) expands to \(plan.runs.count) runs (0...\(plan.runs.count - 1))")
                throw ExitStatus.usage.exitCode
            }
            selected = [plan.runs[index]]
        } else if let shard {
            selected = plan.runs.filter { shard.contains($0.index) }
        }

        if dryRun {
            print(SweepPlanText.describe(plan, selected: selected))
            return
        }
        try provenance.check()
        if plan.experiment.halving != nil { return try runSearch(plan) }

        // Decide what to do with each selected run before training anything.
        let policy = RunPolicy(plan, selection: selected, force: force)
        if !policy.conflicts.isEmpty {
            printError("error: " + RunPolicy.refusal(policy.conflicts.map(\.description),
                                                     remedies: RunPolicy.sweepRemedies + ["pass --force to retrain them (their results are replaced)"]))
            throw ExitStatus.usage.exitCode
        }
        let todo = policy.todo
        do {
            try plan.writeRecord(source: file, overrides: sweep.overrides)
        } catch {
            printError("error: \(error.description)")
            throw ExitStatus.usage.exitCode
        }
        AtomicFile.removeLeftovers(in: plan.folder)
        for run in todo { AtomicFile.removeLeftovers(in: plan.runFolder(run).url) }
        for run in policy.skipped { RunLock.clearStaleNote(in: plan.runFolder(run).url) }

        let jobs = options.concurrency
        if !options.quiet {
            var line = "\(plan.experiment.name): \(selected.count) run\(selected.count == 1 ? "" : "s")"
            if !policy.skipped.isEmpty { line += ", \(policy.skipped.count) already completed (skipped)" }
            if !todo.isEmpty { line += ", training \(todo.count) with \(min(jobs, todo.count)) at once" }
            printError(line)
        }

        let stop = StopSignal.install()
        let progress = SweepProgress(labels: todo.map(\.label), epochs: todo.map(\.spec.epochs), quiet: options.quiet)
        // Results are flushed to disk once, after the schedule, not once per run (see
        // `ResultDurability.deferred`): a sweep of tiny runs would spend more time flushing than training.
        let results = Scheduler.run(todo.map { plan.request(for: $0, checkpoints: options.checkpoints, replacing: force,
                                                            durability: .deferred) },
                                    concurrency: jobs, stop: stop, events: progress.handle)
        AtomicFile.flushAll()
        progress.finish()

        // The files describe every run of the plan that has results. A task of a split
        // sweep (--index, --shard) leaves them to `popcode compare`/`report` or to the
        // Slurm follow-up job: rewriting them in every task would cost O(runs²) reads.
        var summariesWritten = true
        var comparison: Comparison?
        if index == nil && shard == nil {
            do {
                comparison = try ExperimentSummaries.write(plan)
                if !options.quiet { printError("wrote \(plan.folder.relativePath)/comparison.{md,csv,json} and report.html") }
            } catch .comparison(let error) {
                printError("error: \(error.description)")
                summariesWritten = false
            } catch {
                printError("warning: \(error.description)")
            }
        }
        // The table of the selected runs: the summaries' comparison when they cover the whole
        // sweep (not read again: thousands of metrics.json), else read now.
        if comparison == nil {
            let records = plan.records(of: selected)
            comparison = records.isEmpty ? nil : Comparison(records)
        }
        if let comparison {
            print(ComparisonRenderer.render(comparison, as: format), terminator: "")
        }

        var interrupted = 0
        var failures: [String] = []
        for (run, result) in zip(todo, results) {
            switch result {
            case .notStarted, .outcome(.interrupted): interrupted += 1
            case .outcome(.failed(let metrics)): failures.append("\(run.label): \(metrics.error?.reason ?? "failed")")
            case .storageFailed(let reason): failures.append("\(run.label): results not written: \(reason)")
            case .outcome(.completed), .outcome(.completedElsewhere), .outcome(.busy): break
            }
        }
        if stop.requested && interrupted > 0 {
            printError("interrupted: \(interrupted) run\(interrupted == 1 ? "" : "s") not finished; run the same command to resume")
            throw ExitCode(130)
        }
        // Errors are never quiet: each failed run, and why (a run whose results could not be
        // written has no metrics.json and no row in the table).
        if !failures.isEmpty {
            printError("\(failures.count) run\(failures.count == 1 ? "" : "s") failed:\n"
                       + failures.map { "  \($0)" }.joined(separator: "\n"))
            throw ExitStatus.runsFailed.exitCode
        }
        if !summariesWritten { throw ExitStatus.runsFailed.exitCode }
    }
}
