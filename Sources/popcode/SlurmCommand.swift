import ArgumentParser
import Foundation
import PopCodeRunner

/// `popcode slurm`: hand the missing runs of a sweep to Slurm as job arrays.
struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Run a sweep on Slurm: a job array of its runs, then the comparison.",
        discussion: """
            Expands FILE like `popcode run` (same checks, same runs, same ids) and
            writes, in runs/<experiment>/slurm/:
              experiment-<hash>.yaml  the experiment as submitted (--set applied);
                                      the tasks read it, so editing FILE later
                                      changes no queued task
              sweep.sbatch            a job array, one task per run still to do;
                                      task T runs `popcode run <that file>
                                      --index T --runs-dir <runs> --quiet`
              compare.sbatch          a job that starts when every task has ended
                                      and writes the comparison files
            Task logs go to runs/<experiment>/slurm/<array job>_<task>.out.

            With --submit it calls sbatch and prints the job ids; without, it
            prints the commands to type. Submitting again runs only what is
            missing: completed runs are left out of the array (--array=3,7,9-12),
            failed and cancelled ones go in again. A sweep larger than the
            cluster's MaxArraySize (from `scontrol show config`, else 1001) is
            split into sweep-1.sbatch, sweep-2.sbatch, ..., each waiting for the
            one before when --max-parallel caps the tasks running at once.

            The runs folder and the popcode executable must be on a filesystem
            that the compute nodes share (home or project directory, usually).

            Examples:
              popcode slurm configs/overnight.yaml --time 00:30:00 --submit
              popcode slurm configs/overnight.yaml --max-parallel 20 --submit
              popcode slurm configs/overnight.yaml --partition short
                  (writes the scripts, prints the sbatch commands)
              squeue --me                      (watch the tasks)
              popcode slurm configs/overnight.yaml --submit
                  (again, after tasks failed or were cancelled: only those)
              popcode compare runs/overnight   (the table, once all ended)

            Exit status: 0 submitted, written, or nothing to do; 1 sbatch failed;
            2 bad file or options, results of another spec in the way, sbatch
            not found, or jobs of this sweep still queued.
            """)

    @Argument(help: ArgumentHelp("The experiment file (YAML).", valueName: "file"))
    var file: String

    @OptionGroup var sweep: SweepOptions

    @Option(help: ArgumentHelp("Slurm partition (or comma-separated partitions); default: the cluster's.", valueName: "name"))
    var partition: String?

    @Option(help: ArgumentHelp(
        "Time limit of each task, in sbatch's forms: \(SlurmTimeLimit.forms); default: the partition's.",
        valueName: "time"),
            transform: { try SlurmTimeLimit(parsing: $0) })
    var time: SlurmTimeLimit?

    @Option(help: ArgumentHelp("CPUs per task (a run trains on one core).", valueName: "n"))
    var cpusPerTask = 1

    @Option(help: ArgumentHelp("Most tasks running at once (--array=…%M); default: no limit.", valueName: "m"))
    var maxParallel: Int?

    @Option(help: ArgumentHelp("The cluster's MaxArraySize; default: read from `scontrol show config`, else 1001.", valueName: "n"))
    var maxArraySize: Int?

    @Flag(help: "Submit the jobs with sbatch (default: write the scripts and print the commands).")
    var submit = false

    @OptionGroup var provenance: ProvenanceOptions

    @Flag(help: ArgumentHelp("Write the comparison files of the runs that completed and say what is missing; what compare.sbatch runs.", visibility: .hidden))
    var writeComparison = false

    func validate() throws {
        if let partition, partition.isEmpty || !partition.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.,-".contains($0)) }) {
            throw ValidationError("--partition takes a partition name (letters, digits, '_', '.', '-'; several separated by ','), got '\(partition)'")
        }
        if cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1") }
        if let maxParallel, maxParallel < 1 { throw ValidationError("--max-parallel must be at least 1") }
        if let maxArraySize, maxArraySize < 1 { throw ValidationError("--max-array-size must be at least 1") }
        if writeComparison && submit { throw ValidationError("--write-comparison and --submit cannot be combined") }
    }

    func run() throws {
        let plan = try sweep.load(file: file)
        try plan.refuseHalving("popcode slurm", instead: "run it with popcode run or popcode queue on one machine")
        if writeComparison { return try writeComparisonFiles(plan) }
        try provenance.check()

        let policy = RunPolicy(plan)
        if !policy.conflicts.isEmpty {
            printError("error: " + RunPolicy.refusal(policy.conflicts.map(\.description),
                                                     remedies: RunPolicy.sweepRemedies + ["retrain them first with popcode run --force"]))
            throw ExitStatus.usage.exitCode
        }
        let name = plan.experiment.name
        let total = "\(plan.runs.count) run\(plan.runs.count == 1 ? "" : "s")"
        guard !policy.todo.isEmpty else {
            print("\(name): all \(total) completed; nothing to submit (the table: popcode compare \(plan.folder.relativePath))")
            return
        }

        let client = SlurmClient()
        let limit: (value: Int, source: String)
        if let maxArraySize {
            limit = (maxArraySize, "--max-array-size")
        } else if let read = client.maxArraySize() {
            limit = (read, "scontrol show config")
        } else {
            limit = (SlurmJobOptions.defaultMaxArraySize, "Slurm's default; `scontrol show config` gave none")
        }
        let options = SlurmJobOptions(
            executable: Self.executablePath(), partition: partition,
            timeLimit: time, cpusPerTask: cpusPerTask,
            maxParallel: maxParallel, maxArraySize: limit.value, requireClean: provenance.requireClean)

        let submission: SlurmSubmission
        do {
            let frozen = try FrozenExperiment(plan.experiment, source: file, overrides: sweep.overrides)
            submission = try SlurmSubmission(sweep: plan, missing: policy.todo, frozen: frozen, options: options)
        } catch let error as SlurmSubmission.PathError {
            printError("error: \(error.description)")
            throw ExitStatus.usage.exitCode
        } catch {
            printError("error: \(error)")
            throw ExitStatus.runsFailed.exitCode
        }

        if submit, let queued = client.queuedJobs(scriptsIn: submission.folder), !queued.isEmpty {
            printError("""
                error: jobs of this sweep are still queued or running: \(queued.joined(separator: ", ")) (squeue --me)
                wait for them to end, or cancel them (scancel \(queued.joined(separator: " "))), then submit again
                """)
            throw ExitStatus.usage.exitCode
        }

        var counts = ["\(policy.todo.count) to run"]
        if !policy.skipped.isEmpty { counts.insert("\(policy.skipped.count) completed", at: 0) }
        if !policy.retried.isEmpty { counts.append("\(policy.retried.count) of them failed before") }
        let arrays = submission.arrays.count == 1 ? "1 job array" : "\(submission.arrays.count) job arrays"
        print("\(name): \(total), \(counts.joined(separator: ", ")), as \(arrays) (MaxArraySize \(limit.value), from \(limit.source))")

        let slurmFolder = plan.folder.appendingPathComponent("slurm")
        do {
            try plan.writeRecord(source: file, overrides: sweep.overrides)
            Self.removeOldScripts(in: slurmFolder)
            for (fileName, text) in submission.files {
                try AtomicFile.write(Data(text.utf8), to: slurmFolder.appendingPathComponent(fileName))
            }
        } catch {
            printError("error: \(error.description)")
            throw ExitStatus.runsFailed.exitCode
        }
        let scripts = submission.arrays.map { "\($0.scriptName) (--array=\($0.arraySpec))" } + [SlurmSubmission.followUpScriptName]
        print("wrote \(slurmFolder.relativePath)/: \(submission.frozen.fileName), \(scripts.joined(separator: ", "))")

        guard submit else {
            print("submit with:\n" + submission.submitCommands.map { "  \($0)" }.joined(separator: "\n"))
            print("(or run this command again with --submit)")
            return
        }
        try submitJobs(submission, client: client, logs: slurmFolder.relativePath, experiment: plan.folder.relativePath)
    }

    /// Submits the arrays in order, then the follow-up; on a failure cancels what was
    /// submitted, so that submitting again starts clean.
    private func submitJobs(_ submission: SlurmSubmission, client: SlurmClient, logs: String, experiment: String) throws {
        var ids: [String] = []
        do {
            for (number, array) in submission.arrays.enumerated() {
                let after = submission.waitsForPreviousArray(number) ? [ids[number - 1]] : []
                let id = try client.submit(script: submission.path(of: array.scriptName), afterAny: after)
                ids.append(id)
                let waits = after.isEmpty ? "" : " --dependency=afterany:\(after[0])"
                print("submitted \(id) \(array.scriptName) --array=\(array.arraySpec)\(waits) (logs \(logs)/\(id)_<task>.out)")
            }
            let followUp = try client.submit(script: submission.path(of: SlurmSubmission.followUpScriptName), afterAny: ids)
            print("submitted \(followUp) \(SlurmSubmission.followUpScriptName) --dependency=afterany:\(ids.joined(separator: ":")) (writes \(experiment)/comparison.{md,csv,json} and report.html)")
        } catch {
            printError("error: \(error.description)")
            if !ids.isEmpty {
                do {
                    try client.cancel(ids)
                    printError("cancelled the jobs already submitted (\(ids.joined(separator: ", "))); nothing of this submission is queued")
                } catch {
                    printError("could not cancel the jobs already submitted (\(error.description)); cancel them with: scancel \(ids.joined(separator: " "))")
                }
            }
            if case .notFound = error { throw ExitStatus.usage.exitCode }
            throw ExitStatus.runsFailed.exitCode
        }
        print("watch with: squeue --me; once all have ended: popcode compare \(experiment)")
    }

    /// What compare.sbatch runs: the comparison files and report of the completed runs, the
    /// table in the job's log, and a line saying what is missing (exit 1 if anything is).
    private func writeComparisonFiles(_ plan: Sweep) throws {
        let records = plan.records()
        let policy = RunPolicy(plan)
        let name = plan.experiment.name
        do {
            try ExperimentSummaries.write(plan)
        } catch {
            printError("error: \(error.description)")
            throw ExitStatus.runsFailed.exitCode
        }
        if !records.isEmpty {
            print(ComparisonRenderer.render(Comparison(records), as: .table), terminator: "")
            printError("wrote \(plan.folder.path)/comparison.{md,csv,json} and report.html")
        }
        let notRun = policy.todo.count - policy.retried.count
        guard policy.todo.isEmpty && policy.conflicts.isEmpty else {
            var parts = ["\(policy.skipped.count) of \(plan.runs.count) runs completed"]
            if !policy.retried.isEmpty { parts.append("\(policy.retried.count) failed") }
            if notRun > 0 { parts.append("\(notRun) did not finish (cancelled, timed out or never started)") }
            if !policy.conflicts.isEmpty { parts.append("\(policy.conflicts.count) folders hold another spec's results") }
            printError("\(name): \(parts.joined(separator: ", ")); see the task logs in \(plan.folder.path)/slurm/, "
                       + "and submit the same file again with `popcode slurm … --submit` to run what is missing")
            throw ExitStatus.runsFailed.exitCode
        }
        printError("\(name): all \(plan.runs.count) runs completed")
    }

    /// Removes the scripts of an earlier submission (not its logs or frozen experiments,
    /// which queued or finished jobs may still refer to).
    private static func removeOldScripts(in folder: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name == SlurmSubmission.followUpScriptName
            || (name.hasPrefix("sweep") && name.hasSuffix(".sbatch")) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// The absolute path of this popcode executable.
    private static func executablePath() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
