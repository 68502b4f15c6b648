import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

struct QueueAddTests {
    @Test func addingTheSameFileTwiceAddsNothingTheSecondTime() throws {
        let queue = try QueueFixture()
        let sweep = queue.sweep(try QueueFixture.experiment(seeds: [0, 1, 2]))
        let database = try queue.open()
        let first = try database.add(sweep, source: "tiny.yaml", overrides: [])
        #expect(first == QueueAddSummary(total: 3, added: 3))
        let second = try database.add(sweep, source: "tiny.yaml", overrides: [])
        #expect(second == QueueAddSummary(total: 3, added: 0, alreadyQueued: 3))
        let runs = try database.runs()
        #expect(runs.map(\.state) == [.pending, .pending, .pending])
        #expect(runs.map(\.id) == sweep.runs.map(\.id))
        #expect(runs.map(\.label) == ["seed=0", "seed=1", "seed=2"])
        // The experiment's record is written, as by popcode run.
        #expect(try ExperimentRecord.read(from: sweep.folder).runs == sweep.runs)
    }

    @Test func aLargerSweepAddsOnlyItsNewRuns() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        _ = try database.add(queue.sweep(try QueueFixture.experiment(seeds: [0, 1])), source: nil, overrides: [])
        let summary = try database.add(queue.sweep(try QueueFixture.experiment(seeds: [0, 1, 2, 3])),
                                       source: nil, overrides: [])
        #expect(summary == QueueAddSummary(total: 4, added: 2, alreadyQueued: 2))
        #expect(try database.runs().count == 4)
    }

    @Test func completedRunsAreSkippedWhetherQueuedOrOnlyOnDisk() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        let sweep = queue.sweep(try QueueFixture.experiment(seeds: [0, 1, 2]))
        // seed=0 trained by popcode run, before the queue knew of it.
        _ = try RunExecutor.execute(sweep.request(for: sweep.runs[0], checkpoints: .whenStopped))
        let summary = try database.add(sweep, source: nil, overrides: [])
        #expect(summary == QueueAddSummary(total: 3, added: 2, alreadyCompleted: 1))
        #expect(try database.runs().map(\.label) == ["seed=1", "seed=2"])

        _ = QueueWorker(database: database, options: .init()).run()
        let again = try database.add(sweep, source: nil, overrides: [])
        #expect(again == QueueAddSummary(total: 3, added: 0, alreadyCompleted: 3))

        // Results removed by hand: the run is queued again (metrics.json is the truth).
        try FileManager.default.removeItem(at: sweep.runFolder(sweep.runs[2]).metricsURL)
        let requeued = try database.add(sweep, source: nil, overrides: [])
        #expect(requeued == QueueAddSummary(total: 3, added: 1, requeued: 1, alreadyCompleted: 2))
        #expect(try database.runs(in: [.pending]).map(\.label) == ["seed=2"])
    }

    @Test func failedAndCancelledRunsAreQueuedAgain() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        let sweep = queue.sweep(try QueueFixture.experiment(seeds: [0, 1]))
        _ = try database.add(sweep, source: nil, overrides: [])
        _ = try database.cancel(.run(id: sweep.runs[0].id))
        let claimed = try #require(try database.claim(owner: .current()))
        #expect(claimed.label == "seed=1")
        #expect(try database.finish(claimed, owner: claimed.owner!, state: .failed, error: "disk full"))
        #expect(try database.runs().map(\.state) == [.cancelled, .failed])

        let summary = try database.add(sweep, source: nil, overrides: [])
        #expect(summary == QueueAddSummary(total: 2, added: 2, requeued: 2))
        let runs = try database.runs()
        #expect(runs.map(\.state) == [.pending, .pending])
        #expect(runs.map(\.error) == [nil, nil])
    }

    @Test func anotherSpecInTheSameFoldersIsAConflictAndAddsNothing() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        _ = try database.add(queue.sweep(try QueueFixture.experiment(seeds: [0, 1])), source: nil, overrides: [])
        let changed = queue.sweep(try QueueFixture.experiment(seeds: [0, 1, 2], epochs: 4))
        let error = #expect(throws: QueueError.self) { try database.add(changed, source: nil, overrides: []) }
        guard case .conflicts(let lines) = error else {
            Issue.record("expected conflicts, got \(String(describing: error))")
            return
        }
        #expect(lines.count == 2)
        #expect(lines[0].hasSuffix("seed=0 is pending in the queue with another spec (id \(queue.sweep(try QueueFixture.experiment(seeds: [0])).runs[0].id), now \(changed.runs[0].id))"))
        // Nothing was added, not even the new seed=2.
        #expect(try database.runs().count == 2)
        #expect(try database.runs().map(\.spec.epochs) == [3, 3])
    }

    @Test func resultsOfAnotherSpecOnDiskAreAConflict() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        let old = queue.sweep(try QueueFixture.experiment(seeds: [0]))
        _ = try RunExecutor.execute(old.request(for: old.runs[0], checkpoints: .whenStopped))
        let changed = queue.sweep(try QueueFixture.experiment(seeds: [0], epochs: 4))
        let error = #expect(throws: QueueError.self) { try database.add(changed, source: nil, overrides: []) }
        #expect(error?.description.contains("holds results of another spec (id \(old.runs[0].id), now \(changed.runs[0].id))") == true)
        #expect(try database.runs().isEmpty)
    }

    @Test func admissionRules() {
        let run = QueuedRun(seq: 1, id: "a", experiment: "e", label: "l", index: 0,
                            folder: URL(fileURLWithPath: "/r/e/l"), spec: tinySpec(), state: .pending,
                            addedAt: Date())
        func with(_ state: QueuedRun.State, id: String = "a") -> QueuedRun {
            var copy = run
            copy.state = state
            copy.id = id
            return copy
        }
        typealias A = QueueAdmission
        #expect(A.decide(existing: nil, id: "a", completedOnDisk: false) == .insert)
        #expect(A.decide(existing: nil, id: "a", completedOnDisk: true) == .skipCompleted)
        #expect(A.decide(existing: with(.pending), id: "a", completedOnDisk: false) == .skipQueued)
        #expect(A.decide(existing: with(.running), id: "a", completedOnDisk: true) == .skipQueued)
        #expect(A.decide(existing: with(.completed), id: "a", completedOnDisk: true) == .skipCompleted)
        #expect(A.decide(existing: with(.completed), id: "a", completedOnDisk: false) == .requeue)
        #expect(A.decide(existing: with(.failed), id: "a", completedOnDisk: false) == .requeue)
        #expect(A.decide(existing: with(.cancelled), id: "a", completedOnDisk: true) == .markCompleted)
        #expect(A.decide(existing: with(.pending, id: "b"), id: "a", completedOnDisk: false)
                == .conflict(existingID: "b", state: .pending))
        #expect(A.decide(existing: with(.running, id: "b"), id: "a", completedOnDisk: false)
                == .conflict(existingID: "b", state: .running))
        #expect(A.decide(existing: with(.failed, id: "b"), id: "a", completedOnDisk: false) == .requeue)
    }
}
