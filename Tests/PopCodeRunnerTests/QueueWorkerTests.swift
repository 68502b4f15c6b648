import Dispatch
import Foundation
import PopCode
import Synchronization
import Testing
@testable import PopCodeRunner

struct QueueWorkerTests {
    static let fast = QueueWorker.Options(jobs: 2, checkpoints: .init(every: 2), wait: false,
                                          pollInterval: .milliseconds(20), heartbeatInterval: .milliseconds(5))

    @Test func aWorkerTrainsEveryRunAsPopcodeRunWould() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        let sweep = queue.sweep(try QueueFixture.experiment(seeds: [0, 1, 2]))
        _ = try database.add(sweep, source: nil, overrides: [])
        let summary = QueueWorker(database: database, options: Self.fast).run()
        #expect(summary == QueueWorker.Summary(completed: 3))
        for run in sweep.runs {
            let metrics = try #require(try sweep.runFolder(run).metrics())
            #expect(try metrics.withoutTimings == QueueFixture.reference(run).withoutTimings)
            #expect(!FileManager.default.fileExists(atPath: sweep.runFolder(run).checkpointURL.path))
        }
        let rows = try database.runs()
        #expect(rows.allSatisfy { $0.state == .completed && $0.attempts == 1 && $0.owner == nil && $0.seconds > 0 })
        #expect(rows.allSatisfy { $0.progress?.epochsDone == 3 })
        // The comparison is refreshed as runs finish.
        let comparison = try Data(contentsOf: sweep.folder.appendingPathComponent("comparison.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: comparison) as? [String: Any])
        #expect((object["runs"] as? [Any])?.count == 3)
    }

    /// Results of another numerics revision that appear in a queued run's folder after
    /// `queue add` (an older popcode wrote them) are not taken as the run's: the run fails with
    /// the folder and both revisions named, and the file is left as it was.
    @Test func resultsOfAnotherRevisionAreNotTakenAsTheRunsOwn() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        let sweep = queue.sweep(try QueueFixture.experiment(seeds: [0, 1]))
        _ = try database.add(sweep, source: nil, overrides: [])
        var old = try QueueFixture.reference(sweep.runs[0])
        old.recordedNumericsRevision = NumericsRevision.current - 1
        let folder = sweep.runFolder(sweep.runs[0])
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        try folder.write(old)
        let before = try Data(contentsOf: folder.metricsURL)
        let summary = QueueWorker(database: database, options: Self.fast).run()
        #expect(summary == QueueWorker.Summary(completed: 1, failed: 1))
        let row = try #require(try database.runs().first { $0.id == sweep.runs[0].id })
        #expect(row.state == .failed)
        #expect(row.error?.contains("holds results computed by numerics revision \(NumericsRevision.current - 1), "
            + "but this popcode computes revision \(NumericsRevision.current): they are not reused; move that folder away, "
            + "then popcode queue retry") == true, "\(row.error ?? "")")
        #expect(try Data(contentsOf: folder.metricsURL) == before)
    }

    @Test func twoWorkersOnOneQueueNeverTakeTheSameRun() throws {
        let queue = try QueueFixture()
        let sweep = queue.sweep(try QueueFixture.experiment(seeds: Array(0..<8), epochs: 6))
        _ = try queue.open().add(sweep, source: nil, overrides: [])
        // Two connections, as two processes would have.
        let workers = [try QueueWorker(database: queue.open(), options: Self.fast),
                       try QueueWorker(database: queue.open(), options: Self.fast)]
        let started = Recorder<Int64>()
        let summaries = Recorder<QueueWorker.Summary>()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            summaries.append(workers[i].run { event in
                if case .started(let run) = event { started.append(run.seq) }
            })
        }
        #expect(started.all.count == 8 && Set(started.all).count == 8)
        #expect(summaries.all.map(\.completed).reduce(0, +) == 8)
        let rows = try queue.open().runs()
        #expect(rows.allSatisfy { $0.state == .completed && $0.attempts == 1 })
    }

    @Test func concurrentClaimsNeverHandOutARunTwice() throws {
        let queue = try QueueFixture()
        let sweep = queue.sweep(try QueueFixture.experiment(seeds: Array(0..<40)))
        _ = try queue.open().add(sweep, source: nil, overrides: [])
        let databases = try (0..<6).map { _ in try queue.open() }
        let claimed = Recorder<Int64>()
        let owners = Recorder<Bool>()
        DispatchQueue.concurrentPerform(iterations: databases.count) { i in
            let owner = QueueOwner.current()
            while let run = try? databases[i].claim(owner: owner) {
                owners.append(run.owner == owner)
                claimed.append(run.seq)
            }
        }
        #expect(claimed.all.count == 40 && Set(claimed.all).count == 40)
        #expect(owners.all.allSatisfy { $0 })
        #expect(try queue.open().runs().allSatisfy { $0.state == .running && $0.attempts == 1 })
    }

    @Test func cancelStopsARunningRunAndRetryResumesItIdentically() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        let sweep = queue.sweep(try QueueFixture.experiment(seeds: [0, 1, 2], epochs: 200))
        _ = try database.add(sweep, source: nil, overrides: [])
        // seed=1 is cancelled while pending; seed=0 (and the pending seed=2) as soon as seed=0 starts.
        #expect(try database.cancel(.run(id: sweep.runs[1].id)) == QueueChange(matched: 1, changed: 1))
        let other = try queue.open()
        let options = QueueWorker.Options(jobs: 1, checkpoints: .init(every: 50), heartbeatInterval: .milliseconds(5))
        let started = Recorder<String>()
        let cancels = Recorder<QueueChange?>()
        let summary = QueueWorker(database: database, options: options).run { event in
            if case .started(let run) = event {
                started.append(run.label)
                cancels.append(try? other.cancel(.experiment("tiny")))
            }
        }
        #expect(summary == QueueWorker.Summary(cancelled: 1))
        #expect(started.all == ["seed=0"])
        #expect(cancels.all == [QueueChange(matched: 3, changed: 1, stopping: 1)])
        var rows = try database.runs()
        #expect(rows.map(\.state) == [.cancelled, .cancelled, .cancelled])
        let stoppedAt = try #require(rows[0].progress?.epochsDone)
        #expect(stoppedAt < 200)
        let checkpoint = try #require(try sweep.runFolder(sweep.runs[0]).checkpoint())
        #expect(checkpoint.state.epochsDone == stoppedAt)

        // Nothing is pending: a worker has nothing to do.
        #expect(QueueWorker(database: database, options: Self.fast).run() == QueueWorker.Summary())

        #expect(try database.retry(.run(id: sweep.runs[0].id)) == QueueChange(matched: 1, changed: 1))
        let notes = Recorder<String>()
        let resumed = QueueWorker(database: database, options: Self.fast).run { event in
            if case .note(let run, let text) = event { notes.append("\(run.label): \(text)") }
        }
        #expect(resumed == QueueWorker.Summary(completed: 1))
        #expect(notes.all == ["seed=0: resuming from the checkpoint at epoch \(stoppedAt)"])
        rows = try database.runs()
        #expect(rows.map(\.state) == [.completed, .cancelled, .cancelled])
        #expect(rows[0].attempts == 2)
        let metrics = try #require(try sweep.runFolder(sweep.runs[0]).metrics())
        #expect(try metrics.withoutTimings == QueueFixture.reference(sweep.runs[0]).withoutTimings)
        #expect(try database.retry(.all) == QueueChange(matched: 3, changed: 2))
        #expect(try database.runs().map(\.state) == [.completed, .pending, .pending])
    }

    @Test func aStoppedWorkerGivesItsRunsBackAndTheyResumeIdentically() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        let sweep = queue.sweep(try QueueFixture.experiment(seeds: [0, 1], epochs: 20))
        _ = try database.add(sweep, source: nil, overrides: [])
        let stop = StopSignal()
        let summary = QueueWorker(database: database, options: .init(jobs: 1)).run(stop: stop) { event in
            if case .started = event { stop.request() }
        }
        // The run trains one epoch, checkpoints, and is pending again; the other never starts.
        #expect(summary == QueueWorker.Summary(released: 1))
        #expect(try database.runs().map(\.state) == [.pending, .pending])
        #expect(try sweep.runFolder(sweep.runs[0]).checkpoint()?.state.epochsDone == 1)

        #expect(QueueWorker(database: database, options: Self.fast).run() == QueueWorker.Summary(completed: 2))
        for run in sweep.runs {
            #expect(try sweep.runFolder(run).metrics()?.withoutTimings == QueueFixture.reference(run).withoutTimings)
        }
    }

    @Test func aCorruptCheckpointIsDiscardedAndTheRunStartsOver() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        let sweep = queue.sweep(try QueueFixture.experiment(seeds: [0], epochs: 5))
        _ = try database.add(sweep, source: nil, overrides: [])
        let folder = sweep.runFolder(sweep.runs[0])
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        try Data("{\"schema\": \"popcode.checkpoint/1\", \"id\": tru".utf8).write(to: folder.checkpointURL)
        let notes = Recorder<String>()
        let summary = QueueWorker(database: database, options: Self.fast).run { event in
            if case .note(_, let text) = event { notes.append(text) }
        }
        #expect(summary == QueueWorker.Summary(completed: 1))
        let note = try #require(notes.all.first)
        #expect(note.hasPrefix("discarding an unreadable checkpoint ("))
        #expect(note.hasSuffix("); starting from epoch 0"))
        #expect(try folder.metrics()?.withoutTimings == QueueFixture.reference(sweep.runs[0]).withoutTimings)
    }

    @Test func runsOfDeadWorkersAreReclaimedAndLiveOnesNever() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        let sweep = queue.sweep(try QueueFixture.experiment(seeds: [0, 1, 2, 3], epochs: 6))
        _ = try database.add(sweep, source: nil, overrides: [])
        let me = QueueOwner.current()
        // seed=0: its worker exited after a checkpoint at epoch 4.
        var exited = me
        exited.pid = Int32.max - 7
        let a = try #require(try database.claim(owner: exited))
        var epochs = 0
        let interrupted = try RunExecutor.execute(sweep.request(for: sweep.runs[0], checkpoints: .whenStopped),
                                                  progress: { epochs = $0.epochsDone }, shouldStop: { epochs == 4 })
        #expect(interrupted == .interrupted(epochsDone: 4))
        // seed=1: its pid now belongs to another process; it had reached epoch 3, no checkpoint.
        var reused = me
        reused.startTicks += 1
        reused.token = "reused"
        let b = try #require(try database.claim(owner: reused))
        _ = try database.heartbeat(owner: reused, progress: [b.seq: .init(epochsDone: 3, loss: 0.5, mse: 0.02)])
        // seed=2: its worker died right after writing metrics.json.
        var died = exited
        died.token = "died"
        let c = try #require(try database.claim(owner: died))
        _ = try RunExecutor.execute(sweep.request(for: sweep.runs[2], checkpoints: .whenStopped))
        // seed=3: held by a live worker (this process), however old its heartbeat.
        var live = me
        live.token = "live"
        let d = try #require(try database.claim(owner: live))
        #expect([a, b, c, d].map(\.label) == ["seed=0", "seed=1", "seed=2", "seed=3"])
        #expect(exited.liveness == .dead("worker pid \(exited.pid) has exited"))
        #expect(reused.liveness.isDead && live.liveness == .alive)

        let events = Recorder<String>()
        let summary = QueueWorker(database: database, options: Self.fast).run { event in
            switch event {
            case .reclaimed(let run, let state, _): events.append("\(run.label) → \(state.rawValue)")
            case .note(let run, let text): events.append("\(run.label): \(text)")
            default: break
            }
        }
        #expect(summary == QueueWorker.Summary(completed: 2, reclaimed: 3))
        #expect(events.all.sorted() == [
            "seed=0 → pending",
            "seed=0: resuming from the checkpoint at epoch 4",
            "seed=1 → pending",
            "seed=1: no checkpoint from the last attempt (which reached epoch 3); starting from epoch 0",
            "seed=2 → completed",
        ])
        let rows = try database.runs()
        #expect(rows.map(\.state) == [.completed, .completed, .completed, .running])
        #expect(rows.map(\.attempts) == [2, 2, 1, 1])
        #expect(rows[3].owner == live)
        for run in sweep.runs.prefix(3) {
            #expect(try sweep.runFolder(run).metrics()?.withoutTimings == QueueFixture.reference(run).withoutTimings)
        }
    }

    @Test func anUnwritableRunFolderFailsTheRunClearlyAndRetryRecovers() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        let sweep = queue.sweep(try QueueFixture.experiment(seeds: [0, 1]))
        _ = try database.add(sweep, source: nil, overrides: [])
        // A file where the run folder should be: the folder cannot be created (even by root).
        let blocked = sweep.runFolder(sweep.runs[0]).url
        try Data("not a folder".utf8).write(to: blocked)
        let summary = QueueWorker(database: database, options: Self.fast).run()
        #expect(summary == QueueWorker.Summary(completed: 1, failed: 1))
        let failed = try #require(try database.runs(in: [.failed]).first)
        #expect(failed.label == "seed=0")
        #expect(failed.error?.hasPrefix("cannot create ") == true)
        #expect(failed.error?.contains("seed=0") == true)
        let status = QueueStatus(runs: try database.runs(), database: "q")
        #expect(status.counts.failed == 1 && status.failed.first?.error == failed.error)

        try FileManager.default.removeItem(at: blocked)
        #expect(try database.retry(.experiment("tiny")) == QueueChange(matched: 2, changed: 1))
        #expect(QueueWorker(database: database, options: Self.fast).run() == QueueWorker.Summary(completed: 1))
        #expect(try database.runs().map(\.state) == [.completed, .completed])
    }

    @Test func cancelAndRetryReportWhatTheyMatched() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        _ = try database.add(queue.sweep(try QueueFixture.experiment(seeds: [0, 1, 2])), source: nil, overrides: [])
        #expect(try database.cancel(.experiment("nope")) == QueueChange())
        #expect(try database.retry(.run(id: "0000000000000000")) == QueueChange())
        _ = try database.claim(owner: .current())
        // --all-pending leaves the running run alone.
        #expect(try database.cancel(.all) == QueueChange(matched: 3, changed: 2))
        #expect(try database.runs().map(\.state) == [.running, .cancelled, .cancelled])
        #expect(try database.retry(.all) == QueueChange(matched: 3, changed: 2))
    }
}

/// Collects values from any thread.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    func append(_ value: Value) { values.withLock { $0.append(value) } }

    var all: [Value] { values.withLock { $0 } }
}

/// A queue in a fresh temporary folder, and tiny experiments to fill it.
struct QueueFixture {
    let root: URL

    init(_ name: String = #function) throws {
        root = temporaryFolder("queue-" + name)
    }

    var runsDirectory: URL { root.appendingPathComponent("runs") }

    func open() throws -> QueueDatabase {
        try QueueDatabase(path: runsDirectory.appendingPathComponent("queue.sqlite").path, mode: .createIfMissing)
    }

    func sweep(_ experiment: ExperimentSpec) -> Sweep {
        Sweep(experiment: experiment, runsDirectory: runsDirectory)
    }

    /// The experiment `tiny`: `tinySpec`'s sizes, one run per seed.
    static func experiment(seeds: [Int], epochs: Int = 3) throws -> ExperimentSpec {
        try ExperimentLoader.parse(text: """
            name: tiny
            seed: [\(seeds.map(String.init).joined(separator: ", "))]
            epochs: \(epochs)
            n_train: 48
            n_test: 24
            n_hidden: 12
            n_implicit: 2
            n_enc_hidden: 8
            batch_size: 16
            sigma: 0.3
            """, displayName: "tiny.yaml")
    }

    /// The run trained without interruption, in a folder of its own.
    static func reference(_ run: PlannedRun) throws -> MetricsDocument {
        let folder = RunFolder(temporaryFolder("reference").appendingPathComponent(run.label))
        let outcome = try RunExecutor.execute(RunRequest(spec: run.spec, id: run.id, experiment: "tiny",
                                                         label: run.label, folder: folder, checkpoints: .whenStopped))
        return try #require(outcome.metrics)
    }
}
