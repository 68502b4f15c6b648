import Foundation
import Synchronization
import Testing

/// `popcode run`, `compare` and `train` end to end: the built binary, its output, the files
/// it writes and its exit status.
@Suite(.serialized) struct RunCommandTests {
    static let sweep = "name: tiny\nseed: [0, 1]\n" + CLI.tinyKeys

    @Test func aSweepWritesEveryFileAndPrintsTheTable() throws {
        let dir = try CLI.workspace(["tiny.yaml": Self.sweep])
        let result = try CLI.run(["run", "tiny.yaml", "--jobs", "2"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Runs\n\n| run    | seed | status    | test_mse |"))
        #expect(result.stdout.contains("| seed=0 | 0    | completed |"))
        #expect(result.stdout.contains("seed=1 against seed=0"))
        #expect(CLI.files(under: dir.appendingPathComponent("runs")) == [
            "tiny/comparison.csv", "tiny/comparison.json", "tiny/comparison.md", "tiny/experiment.json", "tiny/experiment.yaml", "tiny/report.html",
        ] + ["seed=0", "seed=1"].flatMap { run in CLI.runFiles.map { "tiny/\(run)/\($0)" } })
        let metrics = try CLI.json(dir.appendingPathComponent("runs/tiny/seed=1/metrics.json"))
        #expect(metrics["schema"] as? String == "popcode.metrics/2")
        #expect(metrics["status"] as? String == "completed")
        #expect(metrics["label"] as? String == "seed=1" && metrics["experiment"] as? String == "tiny")
        let spec = metrics["spec"] as! [String: Any]
        #expect(Set(spec.keys) == ["seed", "epochs", "n_train", "n_test", "n_hidden", "n_implicit", "n_enc_hidden",
                                   "batch_size", "lr", "sigma", "history_every", "task", "model", "precision"])
        #expect(spec["seed"] as? Int == 1 && spec["n_hidden"] as? Int == 12)
        let final = metrics["final"] as! [String: Any]
        #expect(Set(final.keys) == ["test_mse", "naive_mse", "variance_explained", "dl_bits", "singular_values", "effective_dimension", "dims_used",
                                    "r2_linear", "r2_cubic"])
        #expect(Set((final["r2_cubic"] as! [String: Any]).keys) == ["x", "y", "cos2theta", "sin2theta", "mean"])
        let history = metrics["history"] as! [String: [Double]]
        #expect(history["epoch"] == [0, 1, 2] && history["r2_linear_mean"]?.count == 3 && history["effective_dimension"]?.count == 3)
        #expect((metrics["timing"] as! [String: Any])["train_seconds"] is Double)
        let environment = metrics["environment"] as! [String: Any]
        #expect(environment["popcode_version"] is String && (environment["blas"] as? String)?.contains("OpenBLAS") == true)
        let csv = try String(contentsOf: dir.appendingPathComponent("runs/tiny/comparison.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 3)
        // The resolved experiment file reproduces the sweep: same runs, so nothing to train.
        let again = try CLI.run(["run", "runs/tiny/experiment.yaml"], in: dir)
        #expect(again.status == 0 && again.stderr.contains("tiny: 2 runs, 2 already completed (skipped)"))
    }

    @Test func aCompletedRunIsSkippedAndForceRedoesIt() throws {
        let dir = try CLI.workspace(["tiny.yaml": Self.sweep])
        #expect(try CLI.run(["run", "tiny.yaml", "-q"], in: dir).status == 0)
        let metricsURL = dir.appendingPathComponent("runs/tiny/seed=0/metrics.json")
        let before = try Data(contentsOf: metricsURL)
        let again = try CLI.run(["run", "tiny.yaml"], in: dir)
        #expect(again.status == 0)
        #expect(again.stderr.contains("tiny: 2 runs, 2 already completed (skipped)"))
        #expect(try Data(contentsOf: metricsURL) == before)
        #expect(again.stdout.contains("| seed=0 | 0    | completed |"))
        // One more seed: only the new run trains.
        let more = try CLI.run(["run", "tiny.yaml", "--set", "seed=[0,1,2]"], in: dir)
        #expect(more.stderr.contains("3 runs, 2 already completed (skipped), training 1"))
        let forced = try CLI.run(["run", "tiny.yaml", "--force"], in: dir)
        #expect(forced.status == 0 && forced.stderr.contains("training 2"))
    }

    @Test func aChangedSpecNeverReusesOrOverwritesOldResults() throws {
        let dir = try CLI.workspace(["tiny.yaml": Self.sweep])
        #expect(try CLI.run(["run", "tiny.yaml", "-q"], in: dir).status == 0)
        let changed = try CLI.run(["run", "tiny.yaml", "--set", "epochs=4"], in: dir)
        #expect(changed.status == 2)
        #expect(changed.stderr.contains("error: existing results would be overwritten:"))
        #expect(changed.stderr.contains("runs/tiny/seed=0 holds results of another spec"))
        #expect(changed.stdout.isEmpty)
        let renamed = try CLI.run(["run", "tiny.yaml", "--set", "epochs=4", "--set", "name=tiny4", "-q"], in: dir)
        #expect(renamed.status == 0)
    }

    @Test func aConfigErrorIsLocatedAndNothingRuns() throws {
        let dir = try CLI.workspace(["bad.yaml": "name: bad\nseed: [0, 1]\nlrate: 0.1\n"])
        let result = try CLI.run(["run", "bad.yaml"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("bad.yaml:3:1: error: unknown key 'lrate' (did you mean 'lr'?)\nlrate: 0.1\n^"))
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs").path))
        let missing = try CLI.run(["run", "nope.yaml"], in: dir)
        #expect(missing.status == 2 && missing.stderr.hasPrefix("nope.yaml: error: no such file"))
        let badSet = try CLI.run(["run", "bad.yaml", "--set", "lr"], in: dir)
        #expect(badSet.status == 2)
    }

    @Test func usageErrorsExitWithStatus2() throws {
        let dir = try CLI.workspace(["tiny.yaml": Self.sweep])
        for arguments in [["run"], ["run", "tiny.yaml", "--jobs", "0"], ["run", "tiny.yaml", "--shard", "3/2"],
                          ["run", "tiny.yaml", "--index", "5"], ["frobnicate"], ["train", "--lr", "-1"],
                          ["compare", "runs/none"], ["run", "tiny.yaml", "--runs-dir", "tiny.yaml"]] {
            let result = try CLI.run(arguments, in: dir)
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
            #expect(!result.stderr.isEmpty)
        }
    }

    @Test func aRunWhoseResultsCannotBeWrittenIsNamedWithItsReasonEvenWhenQuiet() throws {
        let dir = try CLI.workspace(["tiny.yaml": Self.sweep])
        // seed=1's folder cannot be made: a file stands where it should be.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("runs/tiny"), withIntermediateDirectories: true)
        try Data().write(to: dir.appendingPathComponent("runs/tiny/seed=1"))
        let result = try CLI.run(["run", "tiny.yaml", "--quiet"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("1 run failed:\n  seed=1: results not written: cannot write "), "\(result.stderr)")
        #expect(result.stderr.contains("runs/tiny/seed=1") && result.stderr.contains("Not a directory"), "\(result.stderr)")
        #expect(!result.stderr.contains("see each metrics.json") && !result.stderr.contains("seed=0:"))
        #expect(result.stdout.contains("| seed=0 | completed |"), "\(result.stdout)")
    }

    @Test func aDivergingRunIsRecordedAndTheExitStatusIs1() throws {
        let dir = try CLI.workspace(["mixed.yaml": "name: mixed\nlr: [0.1, 1000000]\n" + CLI.tinyKeys])
        let result = try CLI.run(["run", "mixed.yaml", "-q"], in: dir)
        #expect(result.status == 1)
        #expect(result.stdout.contains("| lr=1000000.0 | 1000000.0 | failed    |"))
        #expect(result.stdout.contains("Failed runs:\n- lr=1000000.0: diverged at epoch 0"))
        #expect(result.stderr.contains("1 run failed"))
        let failed = try CLI.json(dir.appendingPathComponent("runs/mixed/lr=1000000.0/metrics.json"))
        #expect(failed["status"] as? String == "failed")
        #expect(((failed["error"] as? [String: Any])?["reason"] as? String)?.hasPrefix("diverged at epoch 0") == true)
    }

    @Test func dryRunListsTheRunsAndTrainsNothing() throws {
        let dir = try CLI.workspace(["tiny.yaml": Self.sweep])
        let result = try CLI.run(["run", "tiny.yaml", "--dry-run"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("experiment tiny: 2 runs → runs/tiny/\n"))
        #expect(result.stdout.contains("sweep seed: 0, 1"))
        #expect(result.stdout.contains("| 0     | "))
        #expect(result.stdout.contains(" | seed=1 | pending |"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs").path))
    }

    @Test func aLongSweepsDryRunIsAbbreviated() throws {
        let dir = try CLI.workspace(["long.yaml": "name: long\nseed: {from: 0, to: 9999}\n" + CLI.tinyKeys])
        let result = try CLI.run(["run", "long.yaml", "--dry-run"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout.contains("\nsweep seed: 0, 1, 2, 3, 4, …, 9998, 9999 (10000 values)\n"))
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count < 50, "\(lines.count) lines")
        #expect(lines.contains { $0.contains("| seed=29 ") && $0.hasSuffix("| pending |") })
        #expect(lines.contains { $0.contains("(9965 more runs; --index N shows run N)") })
        #expect(lines.last?.contains("| seed=9999 ") == true)
        #expect(!lines.contains { $0.contains("| seed=30 ") })
    }

    @Test func compareReadsTheFoldersAgain() throws {
        let dir = try CLI.workspace(["tiny.yaml": Self.sweep])
        let run = try CLI.run(["run", "tiny.yaml", "-q"], in: dir)
        let table = try CLI.run(["compare", "runs/tiny"], in: dir)
        #expect(table.status == 0 && table.stdout == run.stdout)
        let csv = try CLI.run(["compare", "runs/tiny", "--format", "csv", "--metrics", "test_mse,r2_cubic"], in: dir)
        #expect(csv.stdout.hasPrefix("experiment,run,id,status,seed,test_mse,r2_cubic,failure\n"))
        let json = try CLI.run(["compare", "runs/tiny", "--format", "json"], in: dir)
        #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["runs"] != nil)
    }

    @Test func trainWritesOneRunAndRefusesAnotherSpecsFolder() throws {
        let dir = try CLI.workspace()
        let args = ["train", "--seed", "2", "--epochs", "2", "--n-train", "48", "--n-test", "24", "--n-hidden", "12",
                    "--n-implicit", "2", "--n-enc-hidden", "8", "--batch-size", "16", "--out", "one"]
        let result = try CLI.run(args, in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("seed 2: "))
        #expect(CLI.files(under: dir.appendingPathComponent("one")) == CLI.runFiles)
        let other = try CLI.run(args.map { $0 == "2" ? "3" : $0 }, in: dir)
        #expect(other.status == 2 && other.stderr.contains("one holds results of another spec"))
    }

    @Test func trainRefusesAnMdlFlagWithTheBottleneckAndUnknownChoices() throws {
        let dir = try CLI.workspace()
        let bottleneck = try CLI.run(["train", "--code-weight", "0.3", "--out", "x"], in: dir)
        #expect(bottleneck.status == 2)
        #expect(bottleneck.stderr.contains("--code-weight applies only to --model mdl, not bottleneck"), "\(bottleneck.stderr)")
        let task = try CLI.run(["train", "--task", "cats", "--out", "x"], in: dir)
        #expect(task.status == 2 && task.stderr.contains("dipole-3d"), "\(task.stderr)")
        let help = try CLI.run(["train", "--help"], in: dir)
        #expect(help.stdout.contains("--task") && help.stdout.contains("dipole-position")
                && help.stdout.contains("--activity-noise"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
    }

    @Test func ctrlCStopsCleanlyAndTheSameCommandResumes() throws {
        let longer = "name: long\nseed: [0, 1, 2]\n" + CLI.tinyKeys.replacingOccurrences(of: "epochs: 3", with: "epochs: 3000")
        let dir = try CLI.workspace(["long.yaml": longer, "ref.yaml": longer.replacingOccurrences(of: "name: long", with: "name: ref")])
        let (process, _, _) = try CLI.start(["run", "long.yaml", "--jobs", "1", "--checkpoint-every", "500", "--checkpoint-min-seconds", "0", "-q"], in: dir)
        // Interrupt once the second run has saved its first checkpoint (epoch 500 of 3000).
        let first = dir.appendingPathComponent("runs/long/seed=1/checkpoint.json")
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: first.path) && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let files = CLI.files(under: dir.appendingPathComponent("runs/long"))
        #expect(files.contains("seed=1/checkpoint.json"))
        #expect(!files.contains("seed=1/metrics.json") && !files.contains("seed=2/metrics.json"))
        #expect(!files.contains { $0.contains(".tmp-") })

        let resumed = try CLI.run(["run", "long.yaml"], in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("3 runs, 1 already completed (skipped), training 2"))
        #expect(resumed.stderr.contains("seed=1: resuming from the checkpoint at epoch"))
        #expect(try CLI.run(["run", "ref.yaml", "-q"], in: dir).status == 0)
        for seed in 0..<3 {
            var a = try CLI.json(dir.appendingPathComponent("runs/long/seed=\(seed)/metrics.json"))
            var b = try CLI.json(dir.appendingPathComponent("runs/ref/seed=\(seed)/metrics.json"))
            for key in ["timing", "environment", "experiment"] { a[key] = nil; b[key] = nil }
            #expect(NSDictionary(dictionary: a).isEqual(to: b), "seed \(seed) differs after resuming")
        }
    }
}

/// Two `popcode run` of one file at once share the work through the run folders' locks.
@Suite struct ConcurrentRunTests {
    @Test func twoRunsOfOneFileTrainEachRunExactlyOnce() throws {
        let yaml = "name: both\nseed: [0, 1, 2, 3]\n" + CLI.tinyKeys.replacingOccurrences(of: "epochs: 3", with: "epochs: 300")
        let dir = try CLI.workspace(["both.yaml": yaml])
        let results = Mutex<[CLIResult]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            if let result = try? CLI.run(["run", "both.yaml", "--jobs", "2"], in: dir) {
                results.withLock { $0.append(result) }
            }
        }
        let both = results.withLock { $0 }
        #expect(both.count == 2 && both.allSatisfy { $0.status == 0 }, "\(both.map(\.stderr))")
        // Each run is trained by one process ("completed in …") and, in the other, skipped
        // up front or found completed by the other process.
        let stderr = both.map(\.stderr).joined(separator: "\n")
        for seed in 0..<4 {
            let trained = stderr.components(separatedBy: "seed=\(seed): completed in").count - 1
            #expect(trained == 1, "seed=\(seed) trained \(trained) times:\n\(stderr)")
        }
        // Both print the whole table.
        #expect(both.allSatisfy { $0.stdout.contains("| seed=3 | 3    | completed |") })
        // Every run's lock let go: the file kept (no deletion per run), emptied of its holder's note.
        let runs = dir.appendingPathComponent("runs")
        let locks = CLI.files(under: runs).filter { $0.hasSuffix("/.lock") }
        #expect(locks.count == 4, "\(locks)")
        for lock in locks {
            #expect(FileManager.default.contents(atPath: runs.appendingPathComponent(lock).path) == Data(), "\(lock) is not empty")
        }
    }
}
