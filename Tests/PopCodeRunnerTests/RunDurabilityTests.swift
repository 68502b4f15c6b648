import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

/// Results written without a flush (`ResultDurability.deferred`, as `popcode run` writes
/// them) and what a system crash can leave of them: an empty or zero-filled metrics.json
/// counts as no result, so the run is trained again; anything else unreadable stays in the way.
struct RunDurabilityTests {
    @Test func aDeferredRunWritesTheSameMetricsAsAFlushedOne() throws {
        var documents: [MetricsDocument] = []
        for durability in [ResultDurability.eachRun, .deferred] {
            let sweep = try SweepExecutionTests.sweep("name: d\nseed: [0]\n", in: temporaryFolder("durable\(durability)"))
            let results = Scheduler.run([sweep.request(for: sweep.runs[0], checkpoints: .whenStopped, durability: durability)],
                                        concurrency: 1)
            #expect(results.allSatisfy { if case .outcome(.completed) = $0 { true } else { false } })
            AtomicFile.flushAll()
            documents.append(try #require(try sweep.runFolder(sweep.runs[0]).metrics()).withoutTimings)
        }
        #expect(documents[0] == documents[1])
    }

    @Test func aMetricsFileLostInACrashMeansTheRunIsTrainedAgain() throws {
        let sweep = try SweepExecutionTests.sweep("name: lost\nseed: [0, 1, 2]\n", in: temporaryFolder())
        _ = Scheduler.run(sweep.runs.map { sweep.request(for: $0, checkpoints: .whenStopped, durability: .deferred) },
                          concurrency: 1)
        let folders = sweep.runs.map(sweep.runFolder)
        // What ext4 leaves of a renamed, unflushed file (empty), what others may (zeros), and a damaged file.
        try Data().write(to: folders[0].metricsURL)
        try Data(repeating: 0, count: 4096).write(to: folders[1].metricsURL)
        try Data("{\"schema\": \"popcode.metr".utf8).write(to: folders[2].metricsURL)
        #expect(try folders[0].metrics() == nil)
        #expect(try folders[1].metrics() == nil)
        #expect(sweep.state(of: sweep.runs[0]) == .pending)
        #expect(sweep.state(of: sweep.runs[1]) == .pending)
        guard case .unreadable = sweep.state(of: sweep.runs[2]) else {
            Issue.record("a damaged metrics.json must stay in the way")
            return
        }
        let policy = RunPolicy(sweep)
        #expect(policy.todo.map(\.index) == [0, 1])
        #expect(policy.conflicts.map(\.run.index) == [2])
        // Trained again, the lost runs complete as before.
        let again = Scheduler.run(policy.todo.map { sweep.request(for: $0, checkpoints: .whenStopped) }, concurrency: 1)
        #expect(again.allSatisfy { if case .outcome(.completed) = $0 { true } else { false } })
        #expect(try folders[0].metrics()?.status == .completed)
    }

    @Test func runPolicyLooksOnlyIntoFoldersThatExist() throws {
        let sweep = try SweepExecutionTests.sweep("name: some\nseed: {from: 0, to: 9}\n", in: temporaryFolder())
        _ = Scheduler.run([sweep.request(for: sweep.runs[3], checkpoints: .whenStopped)], concurrency: 1)
        try FileManager.default.createDirectory(at: sweep.runFolder(sweep.runs[5]).url, withIntermediateDirectories: true)
        try Data("not json".utf8).write(to: sweep.runFolder(sweep.runs[5]).metricsURL)
        let policy = RunPolicy(sweep)
        #expect(policy.skipped.map(\.index) == [3])
        #expect(policy.conflicts.map(\.run.index) == [5])
        #expect(policy.todo.map(\.index) == [0, 1, 2, 4, 6, 7, 8, 9])
        #expect(sweep.presentRunFolders() == [sweep.runs[3].label, sweep.runs[5].label])
    }
}
