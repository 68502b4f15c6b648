import Foundation
import Testing

/// `popcode slurm` end to end against stand-in `sbatch`, `scontrol`, `squeue` and `scancel`
/// scripts that log their arguments (scripts/slurm-test.sh runs it on a real Slurm cluster).
@Suite(.serialized) struct SlurmCommandTests {
    static let sweep = "name: grid\nseed: [0, 1]\nsigma: [0.2, 0.3]\n" + CLI.tinyKeys

    /// A workspace with `grid.yaml` and a `bin/` of stand-in Slurm commands: `sbatch` prints
    /// ids 101, 102, … (`<id>;cluster`) and fails on call number `$SBATCH_FAIL_AT`;
    /// `scontrol show config` says `MaxArraySize = 3`; `squeue` prints `$SQUEUE_OUTPUT`.
    /// Each logs `name args` to `calls.log`.
    static func workspace(name: String = #function) throws -> URL {
        let dir = try CLI.workspace(["grid.yaml": sweep], name: name)
        let bin = dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let log = dir.appendingPathComponent("calls.log").path
        let tools = [
            "sbatch": """
                n=$(cat "\(log).n" 2>/dev/null || echo 100); n=$((n + 1)); echo "$n" > "\(log).n"
                echo "sbatch $*" >> "\(log)"
                if [ "$((n - 100))" = "${SBATCH_FAIL_AT:-0}" ]; then echo "sbatch: error: invalid partition" >&2; exit 1; fi
                echo "$n;cluster"
                """,
            "scontrol": "echo \"scontrol $*\" >> \"\(log)\"; printf 'MaxJobCount = 10000\\nMaxArraySize            = 3\\n'",
            "squeue": "echo \"squeue $*\" >> \"\(log)\"; printf '%s' \"${SQUEUE_OUTPUT:-}\"",
            "scancel": "echo \"scancel $*\" >> \"\(log)\"",
        ]
        for (name, body) in tools {
            let url = bin.appendingPathComponent(name)
            try ("#!/bin/sh\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
        return dir
    }

    /// `popcode arguments…` in `dir` with `PATH` = `dir/bin:/usr/bin:/bin` (or `path`) and `environment`.
    static func run(_ arguments: [String], in dir: URL, path: String? = nil,
                    environment: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.environment = ["PATH": path ?? dir.appendingPathComponent("bin").path + ":/usr/bin:/bin"]
            .merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        nonisolated(unsafe) var stderrData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { stderrData = err.fileHandleForReading.readDataToEndOfFile() }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                         stderr: String(decoding: stderrData, as: UTF8.self))
    }

    static func calls(in dir: URL) -> [String] {
        ((try? String(contentsOf: dir.appendingPathComponent("calls.log"), encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }

    static func frozenFile(in dir: URL) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("runs/grid/slurm").path)
        return try #require(names.first { $0.hasPrefix("experiment-") && $0.hasSuffix(".yaml") })
    }

    @Test func withoutSubmitItWritesTheScriptsAndPrintsTheCommands() throws {
        let dir = try Self.workspace()
        let result = try Self.run(["slurm", "grid.yaml", "--time", "00:05:00", "--max-parallel", "2"], in: dir, path: "/nonexistent")
        #expect(result.status == 0, "\(result.stderr)")
        let slurm = dir.appendingPathComponent("runs/grid/slurm").standardizedFileURL.path
        let frozen = try Self.frozenFile(in: dir)
        #expect(result.stdout == """
            grid: 4 runs, 4 to run, as 1 job array (MaxArraySize 1001, from Slurm's default; `scontrol show config` gave none)
            wrote runs/grid/slurm/: \(frozen), sweep.sbatch (--array=0-3%2), compare.sbatch
            submit with:
              a1=$(sbatch --parsable \(slurm)/sweep.sbatch | cut -d';' -f1)
              sbatch --dependency=afterany:$a1 \(slurm)/compare.sbatch
            (or run this command again with --submit)

            """)
        #expect(CLI.files(under: dir.appendingPathComponent("runs/grid")) == [
            "experiment.json", "experiment.yaml", "slurm/compare.sbatch", "slurm/\(frozen)", "slurm/sweep.sbatch",
        ])
        let script = try String(contentsOf: dir.appendingPathComponent("runs/grid/slurm/sweep.sbatch"), encoding: .utf8)
        #expect(script.contains("#SBATCH --array=0-3%2\n#SBATCH --output=\(slurm)/%A_%a.out\n"))
        #expect(script.contains("#SBATCH --time=00:05:00\n"))
        #expect(script.contains(" run \(slurm)/\(frozen) --index \"$((0 + SLURM_ARRAY_TASK_ID))\" --runs-dir "))
    }

    /// `--time` takes sbatch's own forms: a count of minutes is written as HH:MM:SS.
    @Test func aTimeInMinutesIsWrittenAsAClock() throws {
        let dir = try Self.workspace()
        let result = try Self.run(["slurm", "grid.yaml", "--time", "90"], in: dir, path: "/nonexistent")
        #expect(result.status == 0, "\(result.stderr)")
        let script = try String(contentsOf: dir.appendingPathComponent("runs/grid/slurm/sweep.sbatch"), encoding: .utf8)
        #expect(script.contains("#SBATCH --time=01:30:00\n"), "\(script)")
    }

    @Test func submitSendsTheArraysInOrderThenTheFollowUp() throws {
        let dir = try Self.workspace()
        let result = try Self.run(["slurm", "grid.yaml", "--max-parallel", "2", "--partition", "debug", "--submit"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let slurm = dir.appendingPathComponent("runs/grid/slurm").standardizedFileURL.path
        #expect(Self.calls(in: dir) == [
            "scontrol show config",
            "squeue --me --noheader --format=%F|%o",
            "sbatch --parsable \(slurm)/sweep-1.sbatch",
            "sbatch --parsable --dependency=afterany:101 \(slurm)/sweep-2.sbatch",
            "sbatch --parsable --dependency=afterany:101:102 \(slurm)/compare.sbatch",
        ])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "grid: 4 runs, 4 to run, as 2 job arrays (MaxArraySize 3, from scontrol show config)")
        #expect(lines.filter { $0.hasPrefix("submitted ") } == [
            "submitted 101 sweep-1.sbatch --array=0-2%2 (logs runs/grid/slurm/101_<task>.out)",
            "submitted 102 sweep-2.sbatch --array=0%2 --dependency=afterany:101 (logs runs/grid/slurm/102_<task>.out)",
            "submitted 103 compare.sbatch --dependency=afterany:101:102 (writes runs/grid/comparison.{md,csv,json} and report.html)",
        ])
        let second = try String(contentsOf: dir.appendingPathComponent("runs/grid/slurm/sweep-2.sbatch"), encoding: .utf8)
        #expect(second.contains("--index \"$((3 + SLURM_ARRAY_TASK_ID))\""))
        #expect(second.contains("#SBATCH --partition=debug\n"))
        // The follow-up is one step: the comparison files and the report, written together.
        let followUp = try String(contentsOf: dir.appendingPathComponent("runs/grid/slurm/compare.sbatch"), encoding: .utf8)
        #expect(followUp.hasSuffix(" --write-comparison\n"))
        #expect(!followUp.contains(" report "))
    }

    @Test func submittingAgainRunsOnlyWhatIsMissing() throws {
        let dir = try Self.workspace()
        for index in [0, 2] {
            #expect(try Self.run(["run", "grid.yaml", "--index", "\(index)", "-q"], in: dir).status == 0)
        }
        let result = try Self.run(["slurm", "grid.yaml", "--max-array-size", "1001", "--submit"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("grid: 4 runs, 2 completed, 2 to run, as 1 job array (MaxArraySize 1001, from --max-array-size)\n"))
        #expect(result.stdout.contains("submitted 101 sweep.sbatch --array=1,3 (logs runs/grid/slurm/101_<task>.out)\n"))
        #expect(Self.calls(in: dir).filter { $0.hasPrefix("sbatch") }.count == 2)

        for index in [1, 3] {
            #expect(try Self.run(["run", "grid.yaml", "--index", "\(index)", "-q"], in: dir).status == 0)
        }
        let done = try Self.run(["slurm", "grid.yaml", "--submit"], in: dir)
        #expect(done.status == 0)
        #expect(done.stdout == "grid: all 4 runs completed; nothing to submit (the table: popcode compare runs/grid)\n")
        #expect(Self.calls(in: dir).filter { $0.hasPrefix("sbatch") }.count == 2)
    }

    @Test func aFailedSbatchCancelsWhatWasSubmitted() throws {
        let dir = try Self.workspace()
        let result = try Self.run(["slurm", "grid.yaml", "--submit"], in: dir, environment: ["SBATCH_FAIL_AT": "2"])
        #expect(result.status == 1)
        #expect(result.stderr == """
            error: sbatch failed (exit status 1): sbatch: error: invalid partition
            cancelled the jobs already submitted (101); nothing of this submission is queued

            """)
        #expect(Self.calls(in: dir).last == "scancel 101")
    }

    @Test func missingSbatchOrQueuedJobsRefuseToSubmit() throws {
        let dir = try Self.workspace()
        let noSlurm = try Self.run(["slurm", "grid.yaml", "--submit"], in: dir, path: "/nonexistent")
        #expect(noSlurm.status == 2)
        #expect(noSlurm.stderr == "error: sbatch not found on PATH (is this a machine of the Slurm cluster, a login node?)\n")

        let slurm = dir.appendingPathComponent("runs/grid/slurm").standardizedFileURL.path
        let queued = try Self.run(["slurm", "grid.yaml", "--submit"], in: dir,
                                  environment: ["SQUEUE_OUTPUT": "77|\(slurm)/sweep.sbatch\n78|\(slurm)/compare.sbatch\n79|/elsewhere/x.sh\n"])
        #expect(queued.status == 2)
        #expect(queued.stderr == """
            error: jobs of this sweep are still queued or running: 77, 78 (squeue --me)
            wait for them to end, or cancel them (scancel 77 78), then submit again

            """)
        #expect(!Self.calls(in: dir).contains { $0.hasPrefix("sbatch") })
    }

    @Test func badFilesAndOptionsExitWithStatus2() throws {
        let dir = try Self.workspace()
        try "name: grid\nlrate: 0.1\n".write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let bad = try Self.run(["slurm", "bad.yaml"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("bad.yaml:2:1: error: unknown key 'lrate' (did you mean 'lr'?)\nlrate: 0.1\n^\nnote: valid keys are "))
        let time = try Self.run(["slurm", "grid.yaml", "--time", "1-24"], in: dir)
        #expect(time.status == 2)
        #expect(time.stderr.hasPrefix("Error: The value '1-24' is invalid for '--time <time>': --time takes minutes, MM:SS, "
            + "HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. 90, 00:30:00, 1-12), got '1-24': hours after a day count go up to 23\n"
            + "Help:  --time <time>  Time limit of each task, in sbatch's forms"), "\(time.stderr)")
        #expect(try Self.run(["slurm", "grid.yaml", "--max-parallel", "0"], in: dir).status == 2)
        #expect(try Self.run(["slurm", "grid.yaml", "--partition", "a b"], in: dir).status == 2)
        #expect(Self.calls(in: dir).isEmpty)
    }

    @Test func writeComparisonCoversTheCompletedRunsAndSaysWhatIsMissing() throws {
        let dir = try Self.workspace()
        #expect(try Self.run(["slurm", "grid.yaml"], in: dir).status == 0)
        let frozen = "runs/grid/slurm/" + (try Self.frozenFile(in: dir))
        for index in [0, 3] {
            #expect(try Self.run(["run", frozen, "--index", "\(index)", "-q"], in: dir).status == 0)
        }
        let partial = try Self.run(["slurm", frozen, "--write-comparison"], in: dir)
        #expect(partial.status == 1)
        #expect(partial.stdout.contains("| seed=0,sigma=0.2 |") && partial.stdout.contains("| seed=1,sigma=0.3 |"))
        #expect(!partial.stdout.contains("| seed=0,sigma=0.3 |"))
        #expect(partial.stderr.contains("grid: 2 of 4 runs completed, 2 did not finish (cancelled, timed out or never started);"))
        let csv = try String(contentsOf: dir.appendingPathComponent("runs/grid/comparison.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 3)

        for index in [1, 2] {
            #expect(try Self.run(["run", frozen, "--index", "\(index)", "-q"], in: dir).status == 0)
        }
        let full = try Self.run(["slurm", frozen, "--write-comparison"], in: dir)
        #expect(full.status == 0, "\(full.stderr)")
        #expect(full.stderr.hasSuffix("grid: all 4 runs completed\n"))
        let all = try String(contentsOf: dir.appendingPathComponent("runs/grid/comparison.csv"), encoding: .utf8)
        #expect(all.split(separator: "\n").count == 5)
        let report = try String(contentsOf: dir.appendingPathComponent("runs/grid/report.html"), encoding: .utf8)
        #expect(report.contains("4 runs in 2 configurations: 4 completed"))
    }
}
