import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

@Suite("Slurm job arrays of a sweep")
struct SlurmSubmissionTests {
    static let yaml = """
        name: grid
        seed: [0, 1]
        sigma: [0.2, 0.3]
        epochs: 3
        """

    static func sweep(_ yaml: String = yaml, runsDirectory: String = "/shared/runs") throws -> Sweep {
        Sweep(experiment: try parseExperiment(yaml), runsDirectory: URL(fileURLWithPath: runsDirectory))
    }

    static func submission(_ sweep: Sweep, missing: [Int]? = nil, maxParallel: Int? = 2,
                           maxArraySize: Int = 1001) throws -> SlurmSubmission {
        let options = SlurmJobOptions(executable: "/opt/popcode/bin/popcode", partition: "short",
                                      timeLimit: try SlurmTimeLimit(parsing: "00:10:00"),
                                      maxParallel: maxParallel, maxArraySize: maxArraySize)
        let runs = missing.map { indices in indices.map { sweep.runs[$0] } } ?? sweep.runs
        return try SlurmSubmission(sweep: sweep, missing: runs, frozen: try FrozenExperiment(sweep.experiment, source: "grid.yaml", overrides: []),
                                   options: options)
    }

    @Test func theArrayScriptOfASmallSweep() throws {
        let submission = try Self.submission(try Self.sweep())
        #expect(submission.arrays.count == 1)
        let array = submission.arrays[0]
        #expect(array.scriptName == "sweep.sbatch")
        #expect(array.offset == 0)
        #expect(array.arraySpec == "0-3%2")
        #expect(array.runIndices == [0, 1, 2, 3])
        let frozen = submission.frozen.fileName
        #expect(frozen.hasPrefix("experiment-") && frozen.hasSuffix(".yaml") && frozen.count == "experiment-.yaml".count + 16)
        #expect(submission.script(for: array) == """
            #!/bin/bash
            #SBATCH --job-name=popcode-grid
            #SBATCH --array=0-3%2
            #SBATCH --output=/shared/runs/grid/slurm/%A_%a.out
            #SBATCH --cpus-per-task=1
            #SBATCH --time=00:10:00
            #SBATCH --partition=short
            #
            # Sweep 'grid': every run, one per array task; task T trains run 0 + T
            # of \(frozen) (the experiment as submitted) and writes
            # /shared/runs/grid/<run>/metrics.json. A run that already completed is skipped.
            # Written by `popcode slurm`, which submits it; by hand: sbatch /shared/runs/grid/slurm/sweep.sbatch

            set -euo pipefail
            echo "popcode: run $((0 + SLURM_ARRAY_TASK_ID)) of sweep 'grid', job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} on ${SLURMD_NODENAME:-$HOSTNAME}"
            exec /opt/popcode/bin/popcode run /shared/runs/grid/slurm/\(frozen) --index "$((0 + SLURM_ARRAY_TASK_ID))" --runs-dir /shared/runs --quiet

            """)
        #expect(submission.files.map(\.name) == [frozen, "sweep.sbatch", "compare.sbatch"])
    }

    @Test func requireCleanIsPassedToEveryTask() throws {
        let sweep = try Self.sweep()
        let options = SlurmJobOptions(executable: "/opt/popcode/bin/popcode", requireClean: true)
        let submission = try SlurmSubmission(sweep: sweep, missing: sweep.runs,
                                             frozen: try FrozenExperiment(sweep.experiment, source: "grid.yaml", overrides: []),
                                             options: options)
        let script = submission.script(for: submission.arrays[0])
        #expect(script.contains("--runs-dir /shared/runs --quiet --require-clean\n"), "\(script)")
        let plain = try Self.submission(sweep)
        #expect(!plain.script(for: plain.arrays[0]).contains("--require-clean"))
    }

    @Test func theFollowUpWaitsForEveryArrayAndWritesTheComparison() throws {
        let submission = try Self.submission(try Self.sweep())
        let frozen = submission.frozen.fileName
        #expect(submission.followUpScript == """
            #!/bin/bash
            #SBATCH --job-name=popcode-grid-compare
            #SBATCH --output=/shared/runs/grid/slurm/compare-%j.out
            #SBATCH --cpus-per-task=1
            #SBATCH --time=00:10:00
            #SBATCH --partition=short
            #
            # Sweep 'grid': submitted with --dependency=afterany:<its array jobs>, so it starts
            # once every task has ended, however it ended. Writes the comparison of the completed runs to
            # /shared/runs/grid/comparison.{md,csv,json} and report.html; exits 1 if a run
            # is missing or failed.

            set -uo pipefail
            exec /opt/popcode/bin/popcode slurm /shared/runs/grid/slurm/\(frozen) --runs-dir /shared/runs --write-comparison

            """)
        #expect(submission.submitCommands == [
            "a1=$(sbatch --parsable /shared/runs/grid/slurm/sweep.sbatch | cut -d';' -f1)",
            "sbatch --dependency=afterany:$a1 /shared/runs/grid/slurm/compare.sbatch",
        ])
    }

    @Test func onlyTheMissingRunsAreListed() throws {
        let sweep = try Self.sweep("name: big\nseed: {from: 0, to: 19}\nepochs: 3\n")
        let submission = try Self.submission(sweep, missing: [3, 7, 9, 10, 11, 12], maxParallel: 4)
        #expect(submission.arrays.map(\.arraySpec) == ["3,7,9-12%4"])
        #expect(submission.arrays[0].runIndices == [3, 7, 9, 10, 11, 12])
        #expect(submission.taskCount == 6)
        #expect(submission.script(for: submission.arrays[0]).contains(
            "# Sweep 'big': 6 of its 20 runs (runs 3…12), one per array task; task T trains run 0 + T\n"))
        let one = try Self.submission(sweep, missing: [5], maxParallel: nil)
        #expect(one.arrays.map(\.arraySpec) == ["5"])
        #expect(one.script(for: one.arrays[0]).contains("# Sweep 'big': 1 of its 20 runs (run 5), one per array task"))
    }

    @Test func aSweepOverTheArrayLimitIsSplitWithOffsets() throws {
        let sweep = try Self.sweep("name: wide\nseed: {from: 0, to: 9}\nepochs: 3\n")
        let submission = try Self.submission(sweep, maxParallel: 2, maxArraySize: 4)
        #expect(submission.arrays.map(\.scriptName) == ["sweep-1.sbatch", "sweep-2.sbatch", "sweep-3.sbatch"])
        #expect(submission.arrays.map(\.offset) == [0, 4, 8])
        #expect(submission.arrays.map(\.arraySpec) == ["0-3%2", "0-3%2", "0-1%2"])
        #expect(submission.arrays.flatMap(\.runIndices) == Array(0..<10))
        let third = submission.script(for: submission.arrays[2])
        #expect(third.contains("#SBATCH --array=0-1%2\n"))
        #expect(third.contains("--index \"$((8 + SLURM_ARRAY_TASK_ID))\""))
        #expect(third.contains("echo \"popcode: run $((8 + SLURM_ARRAY_TASK_ID)) of sweep 'wide'"))
        // With a cap on parallel tasks each array waits for the one before; the follow-up for all.
        #expect(submission.submitCommands == [
            "a1=$(sbatch --parsable /shared/runs/wide/slurm/sweep-1.sbatch | cut -d';' -f1)",
            "a2=$(sbatch --parsable --dependency=afterany:$a1 /shared/runs/wide/slurm/sweep-2.sbatch | cut -d';' -f1)",
            "a3=$(sbatch --parsable --dependency=afterany:$a2 /shared/runs/wide/slurm/sweep-3.sbatch | cut -d';' -f1)",
            "sbatch --dependency=afterany:$a1:$a2:$a3 /shared/runs/wide/slurm/compare.sbatch",
        ])
        #expect(submission.files.map(\.name).dropFirst() == ["sweep-1.sbatch", "sweep-2.sbatch", "sweep-3.sbatch", "compare.sbatch"])
        // Without a cap they run side by side.
        let uncapped = try Self.submission(sweep, maxParallel: nil, maxArraySize: 4)
        #expect(uncapped.arrays.map(\.arraySpec) == ["0-3", "0-3", "0-1"])
        #expect(uncapped.submitCommands[1] == "a2=$(sbatch --parsable /shared/runs/wide/slurm/sweep-2.sbatch | cut -d';' -f1)")
        // Only the missing runs: ids stay below the limit, arrays without a missing run vanish.
        let missing = try Self.submission(sweep, missing: [1, 9], maxParallel: nil, maxArraySize: 4)
        #expect(missing.arrays.map(\.offset) == [0, 8])
        #expect(missing.arrays.map(\.arraySpec) == ["1", "1"])
        #expect(missing.arrays.flatMap(\.runIndices) == [1, 9])
    }

    @Test func anArrayListPastSlurmsLengthLimitIsCut() throws {
        let sweep = try Self.sweep("name: sparse\nseed: {from: 0, to: 2999}\nepochs: 3\n")
        let everyThird = Array(stride(from: 0, to: 3000, by: 3))
        let submission = try Self.submission(sweep, missing: everyThird, maxParallel: 50, maxArraySize: 100_001)
        #expect(submission.arrays.count == 2)
        #expect(submission.arrays.allSatisfy { $0.offset == 0 && $0.arraySpec.count <= 4096 && $0.arraySpec.hasSuffix("%50") })
        #expect(submission.arrays.flatMap(\.runIndices) == everyThird)
    }

    @Test func aRunsFolderThatSbatchLinesCannotHoldIsRefused() throws {
        let sweep = try Self.sweep(runsDirectory: "/shared/my runs")
        #expect(throws: SlurmSubmission.PathError.self) { try Self.submission(sweep) }
        #expect(throws: SlurmSubmission.PathError.self) { try Self.submission(try Self.sweep(runsDirectory: "/shared/50%")) }
        // Other characters are fine: the commands quote them for the shell.
        let odd = try Self.submission(try Self.sweep(runsDirectory: "/shared/a$b&c"))
        #expect(odd.submitCommands[0] == "a1=$(sbatch --parsable '/shared/a$b&c/grid/slurm/sweep.sbatch' | cut -d';' -f1)")
        #expect(odd.script(for: odd.arrays[0]).contains("--runs-dir '/shared/a$b&c' --quiet"))
    }

    @Test func theFrozenExperimentExpandsToTheSameRuns() throws {
        let text = """
            name: "2024"
            description: "a \\"quoted\\" note\\tand a tab"
            x-defaults: &d
              epochs: 7
            <<: *d
            seed: {from: 3, to: 9, step: 3}
            lr: [1e-5, 0.1, 2]
            sigma: 0.18
            n_hidden: [16, 25]
            """
        let experiment = try ExperimentLoader.parse(text: text, displayName: "x.yaml", overrides: ["epochs=5", "seed=[9,3]"])
        let frozen = try FrozenExperiment(experiment, source: "configs/x.yaml", overrides: ["epochs=5", "seed=[9,3]"])
        #expect(frozen.text == """
            # The experiment as submitted to Slurm by `popcode slurm`, from: configs/x.yaml --set epochs=5 --set seed=[9,3]
            # The array tasks read this file; edit the original and submit again rather than this.
            name: "2024"
            description: "a \\"quoted\\" note\\tand a tab"
            epochs: 5
            seed: [9, 3]
            lr: [1e-05, 0.1, 2.0]
            sigma: 0.18
            n_hidden: [16, 25]

            """)
        let readBack = try ExperimentLoader.parse(text: frozen.text, displayName: frozen.fileName)
        #expect(readBack == experiment)
        #expect(readBack.expand() == experiment.expand())
        // The name hashes the keys only: the same experiment from elsewhere gives the same file name.
        #expect(try FrozenExperiment(experiment, source: "other.yaml", overrides: []).fileName == frozen.fileName)
        let changed = try ExperimentLoader.parse(text: text, displayName: "x.yaml", overrides: ["epochs=6", "seed=[9,3]"])
        #expect(try FrozenExperiment(changed, source: "configs/x.yaml", overrides: []).fileName != frozen.fileName)
    }

    @Test func theRunPolicyTrainsTheFailedInterruptedAndNeverStartedOnes() throws {
        let runs = try Self.sweep().runs
        let done = madeUpMetrics(label: runs[0].label, spec: runs[0].spec, testMSE: 0.02)
        let failed = madeUpMetrics(label: runs[2].label, spec: runs[2].spec, testMSE: nil)
        let state = RunPolicy([
            (runs[0], .completed(done), "runs/grid/a"),
            (runs[1], .resumable(epoch: 2), "runs/grid/b"),
            (runs[2], .failed(failed), "runs/grid/c"),
            (runs[3], .pending, "runs/grid/d"),
        ])
        #expect(state.todo.map(\.index) == [1, 2, 3])
        #expect(state.skipped.count == 1 && state.retried.map(\.index) == [2] && state.resumed.map(\.index) == [1] && state.conflicts.isEmpty)
        let blocked = RunPolicy([
            (runs[0], .conflict(existingID: "0123456789abcdef"), "runs/grid/a"),
            (runs[1], .unreadable("runs/grid/b/metrics.json: not JSON"), "runs/grid/b"),
        ])
        #expect(blocked.todo.isEmpty)
        #expect(blocked.conflicts.map(\.description) == [
            "runs/grid/a holds results of another spec (id 0123456789abcdef, now \(runs[0].id))",
            "runs/grid/b/metrics.json: not JSON",
        ])
    }

    @Test func theRunPolicyReadsTheRunFolders() throws {
        let sweep = try Self.sweep(runsDirectory: temporaryFolder().path)
        let runs = sweep.runs
        try sweep.runFolder(runs[0]).write(madeUpMetrics(label: runs[0].label, spec: runs[0].spec, testMSE: 0.02, experiment: "grid"))
        try sweep.runFolder(runs[3]).write(madeUpMetrics(label: runs[3].label, spec: runs[3].spec, testMSE: 0.03, experiment: "grid"))
        try sweep.runFolder(runs[1]).write(madeUpMetrics(label: runs[1].label, spec: runs[1].spec, testMSE: nil, experiment: "grid"))
        let state = RunPolicy(sweep)
        #expect(state.todo.map(\.index) == [1, 2])
        #expect(state.skipped.count == 2 && state.retried.count == 1)
        let submission = try Self.submission(sweep, missing: state.todo.map(\.index))
        #expect(submission.arrays.map(\.arraySpec) == ["1-2%2"])
        // A folder holding another spec's results blocks the submission.
        var other = runs[2].spec
        other.epochs = 99
        try sweep.runFolder(runs[2]).write(madeUpMetrics(label: runs[2].label, spec: other, testMSE: 0.02, experiment: "grid"))
        #expect(RunPolicy(sweep).conflicts.count == 1)
        #expect(RunPolicy(sweep).todo.map(\.index) == [1])
    }
}
