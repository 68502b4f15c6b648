import Dispatch
import Foundation
import Synchronization
import Testing
@testable import PopCodeRunner

/// Comparison refreshes render outside any transaction: the queue never waits for a report.
struct QueueRefreshTests {
    @Test func aSecondWorkerClaimsAndFinishesWhileAReportRenders() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        let sweep = queue.sweep(try QueueFixture.experiment(seeds: [0, 1]))
        _ = try database.add(sweep, source: nil, overrides: [])
        let owner = QueueOwner.current()
        let first = try #require(try database.claim(owner: owner))
        #expect(try database.finish(first, owner: owner, state: .completed))

        let other = try queue.open()  // another worker's connection
        let renders = Mutex<[[QueuedRun.State]]>([])
        let problems = try database.refreshStaleExperiments { _, runs in
            let count = renders.withLock { $0.append(runs.map(\.state)); return $0.count }
            if count == 1 {
                // A slow render: meanwhile the other worker claims the second run and finishes
                // it. Inside a write transaction its claim would wait (up to the 60 s busy
                // timeout) for this render to end, which waits for it: the 10 s below pass.
                let done = DispatchSemaphore(value: 0)
                let otherOwner = QueueOwner.current()
                Thread.detachNewThread {
                    if let run = try? other.claim(owner: otherOwner),
                       (try? other.finish(run, owner: otherOwner, state: .completed)) == true {
                        done.signal()
                    }
                }
                #expect(done.wait(timeout: .now() + 10) == .success, "the other worker waited for the render")
            }
            return .written
        }
        #expect(problems.isEmpty)
        // The run that finished during the first render kept the experiment stale (the
        // compare-and-set did not clear it), so it was rendered again, with both runs.
        #expect(renders.withLock { $0 } == [[.completed, .pending], [.completed, .completed]])
        let again = Mutex(0)
        _ = try database.refreshStaleExperiments { _, _ in again.withLock { $0 += 1 }; return .written }
        #expect(again.withLock { $0 } == 0)
    }

    @Test func anExperimentAnotherProcessWritesStaysStaleForIt() throws {
        let queue = try QueueFixture()
        let database = try queue.open()
        _ = try database.add(queue.sweep(try QueueFixture.experiment(seeds: [0])), source: nil, overrides: [])
        let owner = QueueOwner.current()
        #expect(try database.finish(try #require(try database.claim(owner: owner)), owner: owner, state: .completed))
        let calls = Mutex(0)
        #expect(try database.refreshStaleExperiments { _, _ in calls.withLock { $0 += 1 }; return .busy }.isEmpty)
        #expect(try database.refreshStaleExperiments { _, _ in calls.withLock { $0 += 1 }; return .failed("disk full") }
                == ["disk full"])
        #expect(try database.refreshStaleExperiments { _, _ in calls.withLock { $0 += 1 }; return .written }.isEmpty)
        #expect(try database.refreshStaleExperiments { _, _ in calls.withLock { $0 += 1 }; return .written }.isEmpty)
        #expect(calls.withLock { $0 } == 3)
    }
}
