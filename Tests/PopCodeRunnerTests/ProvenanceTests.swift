import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

/// Provenance (issue 12, item 6): the numerics revision decides whether completed results
/// may be reused; metrics.json records what computed a run; comparisons flag mixtures.
struct ProvenanceTests {
    /// A planned run of `tinySpec` in a temporary folder holding `document` as its metrics.json.
    static func folder(holding document: MetricsDocument?) throws -> (PlannedRun, RunFolder) {
        let spec = tinySpec()
        let run = PlannedRun(index: 0, spec: spec, id: spec.id, label: "seed=0", sweptValues: [])
        let folder = RunFolder(temporaryFolder().appendingPathComponent("seed=0"))
        if let document { try folder.write(document) }
        return (run, folder)
    }

    @Test func completedResultsOfAnotherNumericsRevisionAreNeverReused() throws {
        var document = madeUpMetrics(label: "seed=0", spec: tinySpec(), testMSE: 0.01)
        #expect(document.numericsRevision == NumericsRevision.current)
        document.recordedNumericsRevision = NumericsRevision.current + 1
        let (run, folder) = try Self.folder(holding: document)
        let state = folder.state(expecting: run.id)
        #expect(state == .otherNumerics(try #require(try folder.metrics())))

        let policy = RunPolicy([(run, state, "runs/x/seed=0")])
        #expect(policy.skipped.isEmpty && policy.todo.isEmpty)
        #expect(policy.conflicts.map(\.description) == [
            "runs/x/seed=0 holds results computed by numerics revision \(NumericsRevision.current + 1), "
            + "but this popcode computes revision \(NumericsRevision.current): they are not reused",
        ])
        let forced = RunPolicy([(run, state, "runs/x/seed=0")], force: true)
        #expect(forced.todo == [run] && forced.conflicts.isEmpty)
    }

    @Test func aFileWithoutARevisionIsRevisionOneAndNotReusedByLaterRevisions() throws {
        let document = madeUpMetrics(label: "seed=0", spec: tinySpec(), testMSE: 0.01)
        var json = try JSONSerialization.jsonObject(with: JSONCoding.encoder.encode(document)) as! [String: Any]
        #expect(json["numerics_revision"] as? Int == NumericsRevision.current)
        json["numerics_revision"] = nil
        let (run, folder) = try Self.folder(holding: nil)
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: json).write(to: folder.metricsURL)
        let read = try #require(try folder.metrics())
        #expect(read.recordedNumericsRevision == nil && read.numericsRevision == 1)
        // Revision 2 changed the arithmetic (pairwise sums, 3.5-ulp tanh): such results are refused.
        #expect(NumericsRevision.current == 2)
        let policy = RunPolicy([(run, folder.state(expecting: run.id), "f")])
        #expect(policy.skipped.isEmpty && policy.todo.isEmpty && policy.conflicts.count == 1)
    }

    @Test func committedOlderFilesLoadWithTheProvenanceFieldsUnknown() throws {
        let folder = try MetricsSchemaTests.oldExperiment()
        let metrics = try #require(try RunFolder(folder.appendingPathComponent("seed=0")).metrics())
        #expect(metrics.numericsRevision == 1 && metrics.recordedNumericsRevision == nil)
        #expect(metrics.environment.gitDirty == nil && metrics.environment.executableSHA256 == nil
                && metrics.environment.blasCore == nil)
    }

    @Test func aCheckpointOfAnotherRevisionIsNotResumed() throws {
        let spec = tinySpec(epochs: 4)
        let fresh = RunFolder(temporaryFolder().appendingPathComponent("run"))
        let reference = try RunExecutor.execute(RunRequest(spec: spec, id: spec.id, folder: fresh))
        // A checkpoint at epoch 2 (computed here), marked as of another revision.
        let trainer = try Trainer(spec: spec)
        _ = try trainer.trainEpoch()
        _ = try trainer.trainEpoch()
        let folder = RunFolder(temporaryFolder().appendingPathComponent("run"))
        try folder.write(Checkpoint(id: spec.id, state: trainer.state, numericsRevision: NumericsRevision.current + 1))
        var notes: [String] = []
        let outcome = try RunExecutor.execute(RunRequest(spec: spec, id: spec.id, folder: folder),
                                              note: { notes.append($0) })
        #expect(notes == ["discarding a checkpoint of numerics revision \(NumericsRevision.current + 1) "
                          + "(this popcode computes \(NumericsRevision.current)); starting from epoch 0"])
        #expect(outcome.metrics?.withoutTimings == reference.metrics?.withoutTimings)
        // A checkpoint of this revision is resumed.
        let same = RunFolder(temporaryFolder().appendingPathComponent("run"))
        try same.write(Checkpoint(id: spec.id, state: trainer.state))
        notes = []
        _ = try RunExecutor.execute(RunRequest(spec: spec, id: spec.id, folder: same), note: { notes.append($0) })
        #expect(notes == ["resuming from the checkpoint at epoch 2"])
    }

    @Test func aRunRecordsItsProvenance() throws {
        let spec = tinySpec()
        let folder = RunFolder(temporaryFolder().appendingPathComponent("run"))
        let metrics = try #require(try RunExecutor.execute(RunRequest(spec: spec, id: spec.id, folder: folder)).metrics)
        #expect(metrics.recordedNumericsRevision == NumericsRevision.current)
        let environment = metrics.environment
        #expect(environment.blasCore == Linear.blasCore && environment.blasCore?.isEmpty == false)
        // The hash is the running executable's (the test bundle here), checked independently.
        let executable = try #require(BuildProvenance.runningExecutable())
        #expect(environment.executableSHA256 == (try BuildProvenance.sha256(of: executable)))
        #expect(environment.executableSHA256?.count == 64)
        let json = try String(contentsOf: folder.metricsURL, encoding: .utf8)
        #expect(json.contains("\"numerics_revision\" : \(NumericsRevision.current)") && json.contains("\"blas_core\""))
    }

    @Test func sha256MatchesTheStandardVectors() throws {
        let file = temporaryFolder().appendingPathComponent("abc")
        try Data("abc".utf8).write(to: file)
        #expect(try BuildProvenance.sha256(of: file) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // A million 'a's (FIPS 180-2's third vector).
        try Data(repeating: UInt8(ascii: "a"), count: 1_000_000).write(to: file)
        #expect(try BuildProvenance.sha256(of: file) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Three reads of 1 MiB (the digest from coreutils' sha256sum).
        let large = temporaryFolder().appendingPathComponent("large")
        try Data(repeating: 0, count: 3 << 20).write(to: large)
        #expect(try BuildProvenance.sha256(of: large) == "bbd05cf6097ac9b1f89ea29d2542c1b7b67ee46848393895f5a9e43fa1f621e5")
    }

    /// The hash is remembered beside the file and believed only for that very file: a cache
    /// entry with the file's identity is used as it is (here a planted digest, to show it is
    /// read), and any write to the file makes it hashed again.
    @Test func theExecutableHashIsCachedBesideTheFileAndRefreshedWhenTheFileChanges() throws {
        let folder = temporaryFolder()
        let file = folder.appendingPathComponent("tool")
        try Data("abc".utf8).write(to: file)
        let cache = folder.appendingPathComponent(".tool.sha256")
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(BuildProvenance.cachedSHA256(of: file) == abc)
        let identity = try #require(BuildProvenance.fileIdentity(file))
        #expect(try String(contentsOf: cache, encoding: .utf8) == "\(identity)\n\(abc)\n")
        let planted = String(repeating: "0", count: 64)
        try Data("\(identity)\n\(planted)\n".utf8).write(to: cache)
        #expect(BuildProvenance.cachedSHA256(of: file) == planted)
        // Rewritten with the same bytes, even: a new ctime, so hashed again (and re-cached).
        Thread.sleep(forTimeInterval: 0.01)
        try Data("abc".utf8).write(to: file)
        #expect(BuildProvenance.cachedSHA256(of: file) == abc)
        #expect(try String(contentsOf: cache, encoding: .utf8).hasSuffix("\n\(abc)\n"))
        // A damaged cache entry is ignored.
        try Data("garbage".utf8).write(to: cache)
        #expect(BuildProvenance.cachedSHA256(of: file) == abc)
    }

    /// Runs `git` in `folder` (for setting up test repositories).
    static func git(_ arguments: [String], in folder: URL) throws {
        let git = try #require(ExternalProgram(named: "git", searchPath: ProcessInfo.processInfo.environment["PATH"]))
        let output = try git.run(["-C", folder.path, "-c", "user.name=t", "-c", "user.email=t@t"] + arguments)
        #expect(output.status == 0, "git \(arguments): \(output.standardError)")
    }

    @Test func theSourceTreeIsPopcodesGitCheckoutWithItsCommitAndDirtyFlag() throws {
        let root = temporaryFolder()
        // Outside any git work tree.
        guard case .failure(let outside) = BuildProvenance.sourceTree(containing: root) else {
            Issue.record("a folder outside git has no source tree"); return
        }
        #expect(outside.reason.contains("is not inside a git work tree"))
        try Self.git(["init", "-q"], in: root)
        try "build/\n".write(to: root.appendingPathComponent(".gitignore"), atomically: true, encoding: .utf8)
        try "let package = Package(name: \"other\")\n".write(to: root.appendingPathComponent("Package.swift"),
                                                             atomically: true, encoding: .utf8)
        try Self.git(["add", "."], in: root)
        try Self.git(["commit", "-q", "-m", "first"], in: root)
        let build = root.appendingPathComponent("build/debug")
        try FileManager.default.createDirectory(at: build, withIntermediateDirectories: true)
        guard case .failure(let other) = BuildProvenance.sourceTree(containing: build) else {
            Issue.record("another package's tree is not popcode's"); return
        }
        #expect(other.reason.contains("is not popcode's"))

        try "let package = Package(\n    name: \"popcode\",\n)\n".write(to: root.appendingPathComponent("Package.swift"),
                                                                      atomically: true, encoding: .utf8)
        try Self.git(["commit", "-q", "-a", "-m", "popcode"], in: root)
        let head = try String(contentsOf: root.appendingPathComponent(".git/refs/heads")
            .appendingPathComponent(try currentBranch(root)), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let clean = try BuildProvenance.sourceTree(containing: build).get()
        #expect(clean.commit == head && clean.dirty == false)
        #expect(URL(fileURLWithPath: clean.root).resolvingSymlinksInPath().path == root.resolvingSymlinksInPath().path)
        // Ignored files keep it clean; an untracked or a modified file makes it dirty.
        try Data("x".utf8).write(to: build.appendingPathComponent("popcode"))
        #expect(try BuildProvenance.sourceTree(containing: build).get().dirty == false)
        try Data("x".utf8).write(to: root.appendingPathComponent("New.swift"))
        #expect(try BuildProvenance.sourceTree(containing: build).get().dirty == true)
        try FileManager.default.removeItem(at: root.appendingPathComponent("New.swift"))
        try "// changed\n".write(to: root.appendingPathComponent(".gitignore"), atomically: true, encoding: .utf8)
        let dirty = try BuildProvenance.sourceTree(containing: root).get()
        #expect(dirty.dirty == true && dirty.commit == head)
    }

    private func currentBranch(_ root: URL) throws -> String {
        let head = try String(contentsOf: root.appendingPathComponent(".git/HEAD"), encoding: .utf8)
        return String(head.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("ref: refs/heads/".count))
    }

    @Test func requireCleanRefusesUnknownAndDirtyTrees() {
        let unknown = BuildProvenance(executable: nil)
        #expect(unknown.uncleanReason == "cannot tell whether popcode's sources are clean: the running executable's path is unknown")
    }

    @Test func comparisonsFlagRunsOfDifferentProvenance() throws {
        func document(_ seed: Int, version: String = "0.1.0", revision: Int = 1,
                      commit: String? = "0123456789abcdef", dirty: Bool? = false) -> MetricsDocument {
            var d = madeUpMetrics(label: "seed=\(seed)", spec: tinySpec(seed: seed), testMSE: 0.01 + Double(seed) * 0.001)
            d.environment.popcodeVersion = version
            d.environment.gitCommit = commit
            d.environment.gitDirty = dirty
            d.recordedNumericsRevision = revision
            return d
        }
        let alike = [document(0), document(1), document(2)]
        #expect(Comparison(alike.map(record)).warnings.isEmpty)
        #expect(Comparison.provenanceWarnings([document(0, commit: nil), document(1, commit: nil)]).isEmpty)

        let mixed = [document(0), document(1, version: "0.2.0", revision: 2, commit: "fedcba9876543210", dirty: true),
                     document(2, commit: nil)]
        let comparison = Comparison(mixed.map(record))
        #expect(comparison.warnings == [
            "warning: these runs were computed by different numerics revisions (revision 1: 2 runs; revision 2: 1 run); "
            + "differences between them may come from the arithmetic, not the hyperparameters",
            "warning: these runs were computed by different popcode versions (popcode 0.1.0: 2 runs; popcode 0.2.0: 1 run)",
            "warning: these runs were computed from different sources (commit 0123456789: 1 run; "
            + "commit fedcba9876 with uncommitted changes: 1 run; commit unknown: 1 run)",
        ])
        let table = ComparisonRenderer.render(comparison, as: .table)
        #expect(table.hasPrefix(comparison.warnings.joined(separator: "\n") + "\n\nRuns\n"))
        #expect(ComparisonRenderer.render(comparison, as: .markdown).hasPrefix(comparison.warnings[0]))
        let json = try JSONSerialization.jsonObject(with: Data(ComparisonRenderer.render(comparison, as: .json).utf8)) as! [String: Any]
        #expect(json["warnings"] as? [String] == comparison.warnings)
        let plain = try JSONSerialization.jsonObject(with: Data(ComparisonRenderer.render(Comparison(alike.map(record)), as: .json).utf8)) as! [String: Any]
        #expect(plain["warnings"] == nil)
    }

    @Test func theReportFlagsRunsOfDifferentNumerics() throws {
        let experiment = temporaryFolder().appendingPathComponent("exp")
        for seed in 0..<2 {
            var d = madeUpMetrics(label: "seed=\(seed)", spec: tinySpec(seed: seed), testMSE: 0.01)
            d.recordedNumericsRevision = seed + 1
            try RunFolder(experiment.appendingPathComponent("seed=\(seed)")).write(d)
        }
        let page = try ReportBuilder.html(for: [experiment])
        #expect(page.contains("<p class=\"missing\">warning: these runs were computed by different numerics revisions "
                              + "(revision 1: 1 run; revision 2: 1 run)"))
    }
}
