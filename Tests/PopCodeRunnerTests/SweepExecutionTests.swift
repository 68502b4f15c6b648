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
            let outcomes = Scheduler.run(sweep.runs.map { sweep.request(for: $0, checkpoints: .init(every: 2)) }, concurrency: jobs)
            #expect(outcomes.allSatisfy { if case .outcome(.completed) = $0 { true } else { false } })
            results.append(try Self.metrics(sweep))
        }
        #expect(results[0] == results[1])
        // A run alone gives the same file as the same run among others.
        let alone = try Self.sweep(yaml, in: temporaryFolder("alone"))
        let third = alone.runs[2]
        _ = Scheduler.run([alone.request(for: third, checkpoints: .whenStopped)], concurrency: 1)
        #expect(try alone.runFolder(third).metrics()?.withoutTimings == results[1][2])
        #expect(Set(results[0].map(\.id)).count == 4)
    }

    @Test func aDivergingRunFailsAndTheOthersComplete() throws {
        let sweep = try Self.sweep("name: mixed\nlr: [0.1, 1000000, 0.2]\n", in: temporaryFolder())
        let events = Mutex<[String]>([])
        let outcomes = Scheduler.run(sweep.runs.map { sweep.request(for: $0, checkpoints: .whenStopped) }, concurrency: 2) { event in
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
        _ = try RunExecutor.execute(straight.request(for: straight.runs[0], checkpoints: .whenStopped))
        let expected = try #require(try straight.runFolder(straight.runs[0]).metrics()).withoutTimings

        let resumed = try Self.sweep("name: resumed\nseed: 3\n", in: root)
        let request = resumed.request(for: resumed.runs[0], checkpoints: .whenStopped)
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

    /// The epochs of the checkpoints a run of 12 epochs saved while it trained (each seen on
    /// disk as the next epoch ends), and how it ended. `slowEpochs`: each epoch takes at
    /// least 30 ms more; `stopAt`: the epoch after which it is stopped.
    static func checkpointsSaved(_ policy: CheckpointPolicy, slowEpochs: Bool = false,
                                 stopAt: Int? = nil) throws -> (epochs: [Int], outcome: RunOutcome, onDisk: Int?) {
        let twelve = Sweep(experiment: try ExperimentLoader.parse(
            text: "name: periodic\nseed: 0\n" + tinyKeys.replacingOccurrences(of: "epochs: 4", with: "epochs: 12"),
            displayName: "periodic.yaml"), runsDirectory: temporaryFolder())
        let request = twelve.request(for: twelve.runs[0], checkpoints: policy)
        var seen: [Int] = [], done = 0
        let outcome = try RunExecutor.execute(request, progress: { report in
            done = report.epochsDone
            if let saved = try? request.folder.checkpoint()?.state.epochsDone, seen.last != saved { seen.append(saved) }
            if slowEpochs { Thread.sleep(forTimeInterval: 0.03) }
        }, shouldStop: { done == stopAt })
        return (seen, outcome, try request.folder.checkpoint()?.state.epochsDone)
    }

    @Test func periodicCheckpointsWaitForTheirMinimumTrainingTimeAndAStopAlwaysSaves() throws {
        // Exactly every 4 epochs (the last needs none: the run completes).
        let exact = try Self.checkpointsSaved(.init(every: 4))
        #expect(exact.epochs == [4, 8] && exact.outcome.metrics?.status == .completed && exact.onDisk == nil)
        // A fast run never trains an hour between checkpoints: none saved.
        let fast = try Self.checkpointsSaved(.init(every: 1, minimumSeconds: 3600))
        #expect(fast.epochs == [] && fast.outcome.metrics?.status == .completed)
        // ...but a stop saves one all the same.
        let stopped = try Self.checkpointsSaved(.init(every: 1, minimumSeconds: 3600), stopAt: 6)
        #expect(stopped.epochs == [] && stopped.outcome == .interrupted(epochsDone: 6) && stopped.onDisk == 6)
        // Epochs of 30 ms or more against 0.1 s: a checkpoint at least every 4 epochs.
        let slow = try Self.checkpointsSaved(.init(every: 1, minimumSeconds: 0.1), slowEpochs: true)
        #expect(slow.epochs.count >= 2 && zip([0] + slow.epochs, slow.epochs).allSatisfy { $1 - $0 <= 4 }, "\(slow.epochs)")
        #expect(slow.outcome.metrics?.status == .completed)
    }

    @Test func aCheckpointPolicyAsksForTheTimeOnlyWhenTheEpochsAreDue() {
        var asked = 0
        let policy = CheckpointPolicy(every: 3, minimumSeconds: 2)
        #expect(!policy.isDue(epochsSince: 2, secondsSince: { asked += 1; return 10 }) && asked == 0)
        #expect(!policy.isDue(epochsSince: 3, secondsSince: { asked += 1; return 1.5 }) && asked == 1)
        #expect(policy.isDue(epochsSince: 3, secondsSince: { 2 }))
        #expect(CheckpointPolicy(every: 3).isDue(epochsSince: 3, secondsSince: { 0 }))
        #expect(!CheckpointPolicy.whenStopped.isDue(epochsSince: 1000, secondsSince: { 1000 }))
    }

    @Test func aCorruptCheckpointIsDiscardedAndTheRunRestarts() throws {
        let sweep = try Self.sweep("name: corrupt\nseed: 2\n", in: temporaryFolder())
        let request = sweep.request(for: sweep.runs[0], checkpoints: .whenStopped)
        try FileManager.default.createDirectory(at: request.folder.url, withIntermediateDirectories: true)
        try Data("{\"schema\": \"popcode.checkpoint/1\", \"id\": ".utf8).write(to: request.folder.checkpointURL)
        var notes: [String] = []
        let outcome = try RunExecutor.execute(request, note: { notes.append($0) })
        #expect(outcome.metrics?.status == .completed)
        #expect(notes.count == 1 && notes[0].hasPrefix("discarding an unreadable checkpoint"))
        let clean = try Self.sweep("name: corrupt\nseed: 2\n", in: temporaryFolder("clean"))
        _ = try RunExecutor.execute(clean.request(for: clean.runs[0], checkpoints: .whenStopped))
        #expect(try clean.runFolder(clean.runs[0]).metrics()?.withoutTimings == outcome.metrics?.withoutTimings)
    }

    @Test func sweepStateSeesCompletedRunsAndConflicts() throws {
        let root = temporaryFolder()
        let sweep = try Self.sweep("name: states\nseed: [0, 1]\n", in: root)
        #expect(sweep.state(of: sweep.runs[0]) == .pending)
        _ = try RunExecutor.execute(sweep.request(for: sweep.runs[0], checkpoints: .whenStopped))
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
        let results = Scheduler.run([sweep.request(for: sweep.runs[0], checkpoints: .whenStopped)], concurrency: 1)
        guard case .storageFailed(let reason) = results[0] else {
            Issue.record("expected a storage failure, got \(results[0])")
            return
        }
        #expect(reason.contains("blocked"))
    }
}
