import Foundation
import PopCode
import Synchronization
import Testing
@testable import PopCodeRunner

/// The scheduler, executor and sweep folder on tiny real runs.
struct SweepExecutionTests {
    static let tinyKeys = "epochs: 4\nn_train: 48\nn_test: 24\nn_hidden: 12\nn_implicit: 2\nn_enc_hidden: 8\nbatch_size: 16\n"

    static func sweep(_ yaml: String, in root: URL) throws -> Sweep {
        let experiment = try ExperimentLoader.parse(text: yaml + tinyKeys, displayName: "test.yaml")
        return Sweep(experiment: experiment, runsDirectory: root)
    }

    static func metrics(_ sweep: Sweep) throws -> [MetricsDocument] {
        try sweep.runs.map { try #require(try sweep.runFolder($0).metrics()).withoutTimings }
    }

    @Test func resultsDoNotDependOnConcurrency() throws {
        let yaml = "name: det\nseed: [0, 1]\nsigma: [0.3, 0.4]\n"
        var results: [[MetricsDocument]] = []
        for jobs in [1, 2] {
            let sweep = try Self.sweep(yaml, in: temporaryFolder("det\(jobs)"))
            let outcomes = Scheduler.run(sweep.runs.map { sweep.request(for: $0, checkpointEvery: 2) }, concurrency: jobs)
            #expect(outcomes.allSatisfy { if case .outcome(.completed) = $0 { true } else { false } })
            results.append(try Self.metrics(sweep))
        }
        #expect(results[0] == results[1])
        // A run alone gives the same file as the same run among others.
        let alone = try Self.sweep(yaml, in: temporaryFolder("alone"))
        let third = alone.runs[2]
        _ = Scheduler.run([alone.request(for: third, checkpointEvery: 0)], concurrency: 1)
        #expect(try alone.runFolder(third).metrics()?.withoutTimings == results[1][2])
        #expect(Set(results[0].map(\.id)).count == 4)
    }

    @Test func aDivergingRunFailsAndTheOthersComplete() throws {
        let sweep = try Self.sweep("name: mixed\nlr: [0.1, 1000000, 0.2]\n", in: temporaryFolder())
        let events = Mutex<[String]>([])
        let outcomes = Scheduler.run(sweep.runs.map { sweep.request(for: $0, checkpointEvery: 0) }, concurrency: 2) { event in
            if case .finished(let i, let outcome) = event {
                events.withLock { $0.append("\(i):\(outcome.metrics?.status.rawValue ?? "?")") }
            }
        }
        let statuses = outcomes.map { result -> String in
            if case .outcome(let o) = result { o.metrics?.status.rawValue ?? "interrupted" } else { "other" }
        }
        #expect(statuses == ["completed", "failed", "completed"])
        #expect(events.withLock { $0.sorted() } == ["0:completed", "1:failed", "2:completed"])
        let failed = try #require(try sweep.runFolder(sweep.runs[1]).metrics())
        #expect(failed.status == .failed && failed.final == nil)
        #expect(failed.error?.reason.hasPrefix("diverged at epoch 0: loss ") == true)
        #expect(sweep.state(of: sweep.runs[1]) == .failed(try #require(try sweep.runFolder(sweep.runs[1]).metrics())))
    }

    @Test func anInterruptedRunResumesBitIdentically() throws {
        let root = temporaryFolder()
        let straight = try Self.sweep("name: straight\nseed: 3\n", in: root)
        _ = try RunExecutor.execute(straight.request(for: straight.runs[0], checkpointEvery: 0))
        let expected = try #require(try straight.runFolder(straight.runs[0]).metrics()).withoutTimings

        let resumed = try Self.sweep("name: resumed\nseed: 3\n", in: root)
        let request = resumed.request(for: resumed.runs[0], checkpointEvery: 0)
        let first = try RunExecutor.execute(request, shouldStop: { true })
        #expect(first == .interrupted(epochsDone: 1))
        #expect(resumed.state(of: resumed.runs[0]) == .resumable(epoch: 1))
        var notes: [String] = []
        let second = try RunExecutor.execute(request, note: { notes.append($0) })
        #expect(notes == ["resuming from the checkpoint at epoch 1"])
        var document = try #require(second.metrics).withoutTimings
        document.experiment = "straight"
        #expect(document == expected)
        #expect(!FileManager.default.fileExists(atPath: request.folder.checkpointURL.path))
        // The artifacts (weights, m̂ snapshots) match too.
        var artifacts = try #require(try request.folder.artifacts())
        let reference = try #require(try straight.runFolder(straight.runs[0]).artifacts())
        artifacts.id = reference.id
        #expect(artifacts == reference)
    }

    @Test func aCorruptCheckpointIsDiscardedAndTheRunRestarts() throws {
        let sweep = try Self.sweep("name: corrupt\nseed: 2\n", in: temporaryFolder())
        let request = sweep.request(for: sweep.runs[0], checkpointEvery: 0)
        try FileManager.default.createDirectory(at: request.folder.url, withIntermediateDirectories: true)
        try Data("{\"schema\": \"popcode.checkpoint/1\", \"id\": ".utf8).write(to: request.folder.checkpointURL)
        var notes: [String] = []
        let outcome = try RunExecutor.execute(request, note: { notes.append($0) })
        #expect(outcome.metrics?.status == .completed)
        #expect(notes.count == 1 && notes[0].hasPrefix("discarding an unreadable checkpoint"))
        let clean = try Self.sweep("name: corrupt\nseed: 2\n", in: temporaryFolder("clean"))
        _ = try RunExecutor.execute(clean.request(for: clean.runs[0], checkpointEvery: 0))
        #expect(try clean.runFolder(clean.runs[0]).metrics()?.withoutTimings == outcome.metrics?.withoutTimings)
    }

    @Test func sweepStateSeesCompletedRunsAndConflicts() throws {
        let root = temporaryFolder()
        let sweep = try Self.sweep("name: states\nseed: [0, 1]\n", in: root)
        #expect(sweep.state(of: sweep.runs[0]) == .pending)
        _ = try RunExecutor.execute(sweep.request(for: sweep.runs[0], checkpointEvery: 0))
        guard case .completed = sweep.state(of: sweep.runs[0]) else {
            Issue.record("expected completed, got \(sweep.state(of: sweep.runs[0]))")
            return
        }
        // The same labels with another epoch count: a different spec in the same folders.
        let changed = Sweep(experiment: try ExperimentLoader.parse(
            text: "name: states\nseed: [0, 1]\n" + Self.tinyKeys.replacingOccurrences(of: "epochs: 4", with: "epochs: 5"),
            displayName: "changed.yaml"), runsDirectory: root)
        #expect(changed.state(of: changed.runs[0]) == .conflict(existingID: sweep.runs[0].id))
        #expect(changed.state(of: changed.runs[1]) == .pending)
    }

    @Test func anUnwritableFolderIsAStorageFailureNotACrash() throws {
        let root = temporaryFolder()
        let blocker = root.appendingPathComponent("blocked")
        try Data("not a folder".utf8).write(to: blocker)
        let sweep = try Self.sweep("name: blocked\n", in: root)
        let results = Scheduler.run([sweep.request(for: sweep.runs[0], checkpointEvery: 0)], concurrency: 1)
        guard case .storageFailed(let reason) = results[0] else {
            Issue.record("expected a storage failure, got \(results[0])")
            return
        }
        #expect(reason.contains("blocked"))
    }
}
