import Foundation
import Testing

/// Provenance end to end: results of another numerics revision are refused until retrained,
/// `--require-clean` reads the git work tree that holds the executable, and compare warns
/// when runs were computed differently.
@Suite(.serialized) struct ProvenanceCommandTests {
    static let sweep = "name: tiny\nseed: [0, 1]\n" + CLI.tinyKeys

    /// Rewrites `key` of the metrics.json at `url` to `value`.
    static func rewrite(_ url: URL, _ change: (inout [String: Any]) -> Void) throws {
        var json = try CLI.json(url)
        change(&json)
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys]).write(to: url)
    }

    @Test func resultsOfAnotherNumericsRevisionAreRefusedUntilForced() throws {
        let dir = try CLI.workspace(["tiny.yaml": Self.sweep])
        #expect(try CLI.run(["run", "tiny.yaml", "-q"], in: dir).status == 0)
        let metricsURL = dir.appendingPathComponent("runs/tiny/seed=1/metrics.json")
        let written = try CLI.json(metricsURL)
        #expect(written["numerics_revision"] as? Int == 2)
        let environment = try #require(written["environment"] as? [String: Any])
        #expect((environment["executable_sha256"] as? String)?.count == 64)
        #expect((environment["blas_core"] as? String)?.isEmpty == false)
        #expect(environment["git_commit"] is String && environment["git_dirty"] is Bool,
                "the test binary lives in popcode's checkout: \(environment)")

        try Self.rewrite(metricsURL) { $0["numerics_revision"] = 7 }
        let before = try Data(contentsOf: metricsURL)
        for arguments in [["run", "tiny.yaml"], ["queue", "add", "tiny.yaml"], ["slurm", "tiny.yaml"]] {
            let refused = try CLI.run(arguments, in: dir)
            #expect(refused.status == 2, "\(arguments): \(refused.stderr)")
            #expect(refused.stderr.contains("runs/tiny/seed=1 holds results computed by numerics revision 7, "
                                            + "but this popcode computes revision 2: they are not reused"), "\(refused.stderr)")
            #expect(refused.stderr.contains("--force"), "\(arguments): \(refused.stderr)")
            #expect(try Data(contentsOf: metricsURL) == before)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs/tiny/slurm/sweep.sbatch").path))
        let dry = try CLI.run(["run", "tiny.yaml", "--dry-run"], in: dir)
        #expect(dry.stdout.contains("completed by numerics revision 7 (--force retrains)"))

        let forced = try CLI.run(["run", "tiny.yaml", "--force", "-q"], in: dir)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try CLI.json(metricsURL)["numerics_revision"] as? Int == 2)
        #expect(try CLI.run(["run", "tiny.yaml"], in: dir).stderr.contains("2 already completed (skipped)"))
        // A file without the field (written before revisions were recorded) is revision 1,
        // the arithmetic before revision 2's pairwise sums and tanh: refused too.
        try Self.rewrite(metricsURL) { $0["numerics_revision"] = nil }
        let old = try CLI.run(["run", "tiny.yaml"], in: dir)
        #expect(old.status == 2 && old.stderr.contains("runs/tiny/seed=1 holds results computed by numerics revision 1, "
                                                       + "but this popcode computes revision 2"), "\(old.stderr)")
    }

    @Test func trainRefusesAnotherRevisionToo() throws {
        let dir = try CLI.workspace()
        let flags = ["--epochs", "2", "--n-train", "32", "--n-test", "16", "--batch-size", "16", "--out", "one", "-q"]
        #expect(try CLI.run(["train"] + flags, in: dir).status == 0)
        try Self.rewrite(dir.appendingPathComponent("one/metrics.json")) { $0["numerics_revision"] = 3 }
        let refused = try CLI.run(["train"] + flags, in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("one holds results computed by numerics revision 3"), "\(refused.stderr)")
        #expect(try CLI.run(["train"] + flags + ["--force"], in: dir).status == 0)
    }

    @Test func compareWarnsWhenRunsMixNumericsRevisionsOrVersions() throws {
        let dir = try CLI.workspace(["tiny.yaml": Self.sweep])
        #expect(try CLI.run(["run", "tiny.yaml", "-q"], in: dir).status == 0)
        let plain = try CLI.run(["compare", "runs/tiny"], in: dir)
        #expect(plain.status == 0 && !plain.stdout.contains("warning"))
        try Self.rewrite(dir.appendingPathComponent("runs/tiny/seed=0/metrics.json")) { json in
            json["numerics_revision"] = 1
            var environment = json["environment"] as! [String: Any]
            environment["popcode_version"] = "0.0.9"
            json["environment"] = environment
        }
        let mixed = try CLI.run(["compare", "runs/tiny"], in: dir)
        #expect(mixed.status == 0)
        #expect(mixed.stdout.hasPrefix("warning: these runs were computed by different numerics revisions "
                                       + "(revision 1: 1 run; revision 2: 1 run)"), "\(mixed.stdout)")
        #expect(mixed.stdout.contains("warning: these runs were computed by different popcode versions (popcode 0.0.9: 1 run; popcode 0.1.0: 1 run)"))
        let report = try CLI.run(["report", "runs/tiny"], in: dir)
        #expect(report.status == 0, "\(report.stderr)")
        let page = try String(contentsOf: dir.appendingPathComponent("runs/tiny/report.html"), encoding: .utf8)
        #expect(page.contains("warning: these runs were computed by different numerics revisions"))
    }

    static func git(_ arguments: [String], in folder: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder.path, "-c", "user.name=t", "-c", "user.email=t@t"] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments)")
    }

    /// A copy of the built popcode in `<tree>/.build/popcode`, `tree` a fresh git repository
    /// whose Package.swift names popcode: a checkout of our own whose state the test controls.
    @Test func requireCleanRefusesADirtyTreeAndRecordsTheCommit() throws {
        let tree = try CLI.workspace(["Package.swift": "let package = Package(\n    name: \"popcode\",\n)\n",
                                      ".gitignore": ".build/\nruns/\n", "tiny.yaml": Self.sweep])
        try Self.git(["init", "-q"], in: tree)
        try Self.git(["add", "."], in: tree)
        try Self.git(["commit", "-q", "-m", "sources"], in: tree)
        try FileManager.default.createDirectory(at: tree.appendingPathComponent(".build"), withIntermediateDirectories: true)
        let binary = tree.appendingPathComponent(".build/popcode")
        try FileManager.default.copyItem(at: CLI.executable, to: binary)
        func run(_ arguments: [String]) throws -> CLIResult {
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            process.currentDirectoryURL = tree
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let data = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return CLIResult(status: process.terminationStatus, stdout: "", stderr: String(decoding: data, as: UTF8.self))
        }
        let clean = try run(["run", "tiny.yaml", "--require-clean", "-q"])
        #expect(clean.status == 0, "\(clean.stderr)")
        let environment = try #require(try CLI.json(tree.appendingPathComponent("runs/tiny/seed=0/metrics.json"))["environment"] as? [String: Any])
        let head = try String(contentsOf: tree.appendingPathComponent(".git/refs/heads/" + (try currentBranch(tree))), encoding: .utf8)
        #expect(environment["git_commit"] as? String == head.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(environment["git_dirty"] as? Bool == false)

        try "let package = Package(\n    name: \"popcode\", // changed\n)\n".write(
            to: tree.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        for arguments in [["run", "tiny.yaml", "--set", "name=other", "--require-clean"], ["train", "--require-clean", "--out", "t"],
                          ["queue", "run", "--require-clean"]] {
            let dirty = try run(arguments)
            #expect(dirty.status == 2, "\(arguments): \(dirty.stderr)")
            #expect(dirty.stderr.hasPrefix("error: --require-clean: the work tree \(tree.resolvingSymlinksInPath().path) has uncommitted changes"),
                    "\(dirty.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: tree.appendingPathComponent("runs/other").path))
        #expect(!FileManager.default.fileExists(atPath: tree.appendingPathComponent("t").path))
        // Without the flag it runs and records the tree as dirty.
        #expect(try run(["run", "tiny.yaml", "--set", "name=other", "--set", "seed=0", "-q"]).status == 0)
        let dirtyEnvironment = try #require(try CLI.json(tree.appendingPathComponent("runs/other/run/metrics.json"))["environment"] as? [String: Any])
        #expect(dirtyEnvironment["git_dirty"] as? Bool == true)
    }

    private func currentBranch(_ root: URL) throws -> String {
        let head = try String(contentsOf: root.appendingPathComponent(".git/HEAD"), encoding: .utf8)
        return String(head.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("ref: refs/heads/".count))
    }
}
