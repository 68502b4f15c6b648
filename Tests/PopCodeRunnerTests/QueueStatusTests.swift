import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

struct QueueStatusTests {
    static func run(_ seq: Int64, experiment: String = "exp", state: QueuedRun.State, epochs: Int = 10,
                    done: Int? = nil, seconds: Double = 0, owner: QueueOwner? = nil) -> QueuedRun {
        var spec = tinySpec(seed: Int(seq))
        spec.epochs = epochs
        return QueuedRun(seq: seq, id: spec.id, experiment: experiment, label: "seed=\(seq)", index: Int(seq),
                         folder: URL(fileURLWithPath: "/runs/\(experiment)/seed=\(seq)"), spec: spec, state: state,
                         owner: owner, progress: done.map { .init(epochsDone: $0, loss: 0.5, mse: 0.0125) },
                         heartbeatAt: owner == nil ? nil : Date(timeIntervalSince1970: 100), seconds: seconds,
                         addedAt: Date(timeIntervalSince1970: 0))
    }

    @Test func countsRunningRunsAndETA() {
        let live = QueueOwner(pid: 42, startTicks: 7, host: "here", bootID: nil, token: "a")
        let dead = QueueOwner(pid: 43, startTicks: 7, host: "here", bootID: nil, token: "b")
        let runs = [
            Self.run(1, state: .completed, seconds: 5),
            Self.run(2, state: .completed, seconds: 15),
            Self.run(3, state: .running, done: 4, owner: live),
            Self.run(4, state: .running, done: 9, owner: dead),
            Self.run(5, state: .pending),
            Self.run(6, experiment: "other", state: .pending, epochs: 20),
            Self.run(7, experiment: "other", state: .failed),
        ]
        let status = QueueStatus(runs: runs, database: "runs/queue.sqlite", now: Date(timeIntervalSince1970: 103)) {
            $0.token == "a" ? .alive : .dead("gone")
        }
        #expect(status.counts.total == 7)
        #expect(QueuedRun.State.allCases.map { status.counts[$0] } == [2, 2, 2, 1, 0])
        #expect(status.experiments.map(\.name) == ["exp", "other"])
        #expect(status.experiments.map(\.counts.total) == [5, 2])
        #expect(status.running.map(\.workerAlive) == [true, false])
        #expect(status.running[0].secondsSinceHeartbeat == 3)
        #expect(status.running[0].epochsDone == 4 && status.running[0].mse == 0.0125)
        // 1 s per epoch measured on exp; other has no completed run and takes the queue's rate.
        // Left: 6 + 1 (running) + 10 + 20 (pending) = 37 epochs, one live worker.
        #expect(status.estimate == QueueStatus.Estimate(remainingEpochs: 37, basisRuns: 2, workSeconds: 37,
                                                        parallel: 1, etaSeconds: 37))
        let text = QueueStatusRenderer.render(status, as: .table)
        #expect(text.hasPrefix("queue runs/queue.sqlite: 7 runs: 2 pending, 2 running, 2 completed, 1 failed, 0 cancelled\n"))
        #expect(text.contains("| seed=3 | exp        | 4/10  | 0.01250 | pid 42 on here "))
        #expect(text.contains("(dead: reclaimed when a worker starts)"))
        #expect(text.hasSuffix("ETA 0:37: 37 epochs left, 1 run at once (measured on 2 completed runs).\n"))
    }

    @Test func statusWithoutMeasurementsOrWorkers() {
        let pending = QueueStatus(runs: [Self.run(1, state: .pending)], database: "q")
        #expect(pending.estimate == QueueStatus.Estimate(remainingEpochs: 10, basisRuns: 0, workSeconds: nil,
                                                         parallel: 0, etaSeconds: nil))
        #expect(QueueStatusRenderer.render(pending, as: .table)
            .hasSuffix("ETA: unknown until a run completes (10 epochs left).\n"))
        let idle = QueueStatus(runs: [Self.run(1, state: .completed, seconds: 20), Self.run(2, state: .pending)],
                               database: "q")
        #expect(QueueStatusRenderer.render(idle, as: .table)
            .hasSuffix("No worker is running; about 0:20 of training left (measured on 1 completed run). Start one: popcode queue run\n"))
        let empty = QueueStatusRenderer.render(QueueStatus(runs: [], database: "q"), as: .table)
        #expect(empty == "queue q: 0 runs: 0 pending, 0 running, 0 completed, 0 failed, 0 cancelled\nnothing queued (popcode queue add FILE)\n")
    }

    @Test func jsonUsesSnakeCaseAndCarriesTotals() throws {
        let status = QueueStatus(runs: [Self.run(1, state: .completed, seconds: 2)], database: "q")
        let object = try #require(try JSONSerialization.jsonObject(
            with: Data(QueueStatusRenderer.render(status, as: .json).utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "popcode.queue-status/1")
        let counts = try #require(object["counts"] as? [String: Int])
        #expect(counts == ["pending": 0, "running": 0, "completed": 1, "failed": 0, "cancelled": 0, "total": 1])
        let estimate = try #require(object["estimate"] as? [String: Any])
        #expect(estimate["remaining_epochs"] as? Int == 0 && estimate["basis_runs"] as? Int == 1)
    }

    @Test func procStatLinesAreParsedAfterTheCommandName() throws {
        let line = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 1 0 0 0 2 3 0 0 20 0 1 0 987654 1000 10 "
            + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0"
        #expect(ProcessTable.parseStat(line) == ProcessTable.Stat(state: "S", startTicks: 987654))
        #expect(ProcessTable.parseStat("12 (x) R 1 2") == nil)
        let me = QueueOwner.current()
        #expect(me.startTicks > 0 && me.startTicks == ProcessTable.stat(of: getpid())?.startTicks)
        #expect(me.liveness == .alive)
        var elsewhere = me
        elsewhere.host = "another-host"
        #expect(elsewhere.liveness == .unknown("runs on host another-host"))
        var rebooted = me
        rebooted.bootID = "not-this-boot"
        #expect(rebooted.liveness.isDead)
    }

    @Test func aZombieOwnerIsDead() throws {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { argv.forEach { free($0) } }
        #expect(posix_spawn(&pid, "/bin/true", nil, nil, argv, nil) == 0)
        let start = try #require(ProcessTable.startTicks(of: pid))
        let owner = QueueOwner(pid: pid, startTicks: start, host: ProcessTable.hostName, bootID: ProcessTable.bootID,
                               token: "child")
        // Not reaped yet: a zombie until waitpid.
        let deadline = Date().addingTimeInterval(5)
        while ProcessTable.stat(of: pid)?.state != "Z" && Date() < deadline { usleep(1000) }
        #expect(owner.liveness == .dead("worker pid \(pid) has exited (zombie)"))
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        #expect(owner.liveness == .dead("worker pid \(pid) has exited"))
    }
}
