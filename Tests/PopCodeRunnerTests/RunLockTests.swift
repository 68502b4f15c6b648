import Dispatch
import Foundation
import PopCode
import Synchronization
import Testing
@testable import PopCodeRunner

/// The per-run-folder lock: no two trainers, in any mix of `popcode run`, `queue run` and
/// Slurm tasks, train the same run at once.
struct RunLockTests {
    @Test func aHeldLockIsBusyForEveryOtherHolderAndFreeWhenReleased() throws {
        let folder = temporaryFolder().appendingPathComponent("seed=0")
        var lock = try Self.take(folder)
        #expect(lock != nil, "a fresh folder's lock should be free")
        let path = folder.appendingPathComponent(RunLock.fileName).path
        #expect(lock?.path == path)
        let me = "pid \(getpid()) on \(AtomicFile.hostTag)"
        #expect(Self.contents(path) == me + "\n")
        // Another open file, even in this process, finds it taken, and who holds it.
        guard case .busy(let holder) = try RunLock.acquire(folder) else {
            Issue.record("a held lock was acquired twice")
            return
        }
        #expect(holder == me)
        var waited: [String] = []
        let stopped = try RunLock.acquire(folder, interval: .milliseconds(5), waiting: { waited.append($0) },
                                          shouldStop: { waited.count == 1 })
        #expect(stopped == nil && waited == [holder])
        let inode = Self.inode(path)
        lock = nil
        // Released: the file stays (no removal, no new file for the next holder), emptied.
        #expect(Self.contents(path) == "")
        let again = try Self.take(folder)
        #expect(again != nil, "a released lock is still taken")
        #expect(Self.inode(path) == inode && inode != nil)
        #expect(Self.contents(path) == me + "\n")
        withExtendedLifetime(again) {}
    }

    /// An older popcode removed the file when it let go: whoever locks next gets the file
    /// now at the path, never the removed one, so the lock still excludes.
    @Test func aRemovedLockFileIsMadeAgainAndStillExcludes() throws {
        let folder = temporaryFolder().appendingPathComponent("seed=0")
        let path = folder.appendingPathComponent(RunLock.fileName).path
        var old = try Self.take(folder)
        let removed = Self.inode(path)
        #expect(unlink(path) == 0)  // the old holder letting go: removed, then unlocked
        let lock = try Self.take(folder)
        #expect(lock != nil, "the lock of a removed file was not made again")
        #expect(Self.inode(path) != nil && Self.inode(path) != removed)
        old = nil
        #expect(try RunLock.acquire(folder).isBusy && old == nil)
        withExtendedLifetime(lock) {}
    }

    /// The note a killed holder left is emptied; a live holder's is kept; nothing is made.
    @Test func aStaleNoteIsClearedAndAHeldOneKept() throws {
        let folder = temporaryFolder().appendingPathComponent("seed=0")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(RunLock.fileName).path
        RunLock.clearStaleNote(in: folder)  // nothing there: nothing made
        #expect(!FileManager.default.fileExists(atPath: path))
        // What a SIGKILL leaves: the holder's note, with nobody holding its flock.
        try Data("pid 1 on elsewhere\n".utf8).write(to: URL(fileURLWithPath: path))
        RunLock.clearStaleNote(in: folder)
        #expect(Self.contents(path) == "")
        RunLock.clearStaleNote(in: folder)
        #expect(Self.contents(path) == "")
        let held = try Self.take(folder)
        RunLock.clearStaleNote(in: folder)
        #expect(held != nil && Self.contents(path) == "pid \(getpid()) on \(AtomicFile.hostTag)\n")
        #expect(try RunLock.acquire(folder).isBusy)
        withExtendedLifetime(held) {}
    }

    /// What the file at `path` holds (nil: no file).
    static func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    static func inode(_ path: String) -> UInt? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt(info.st_ino) : nil
    }

    /// The lock of `folder` if it is free (no binding keeps it alive: setting the result to
    /// nil releases it).
    static func take(_ folder: URL) throws -> RunLock? {
        if case .acquired(let lock) = try RunLock.acquire(folder) { lock } else { nil }
    }

    @Test func aLockThatCannotBeMadeIsAStorageError() throws {
        let file = temporaryFolder().appendingPathComponent("plain-file")
        try Data().write(to: file)
        #expect(throws: AtomicFile.WriteError.self) { try RunLock.acquire(file.appendingPathComponent("run")) }
    }

    @Test func twoSchedulersOnOneSweepTrainEachRunOnce() throws {
        let root = temporaryFolder()
        let sweep = Sweep(experiment: try QueueFixture.experiment(seeds: [0, 1, 2, 3], epochs: 40), runsDirectory: root)
        let trained = Mutex<[String]>([])
        let results = Mutex<[[JobResult]]>([])
        // Two independent schedules, as two `popcode run` of one file would be.
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let outcome = Scheduler.run(sweep.runs.map { sweep.request(for: $0, checkpoints: .whenStopped) },
                                        concurrency: 2) { event in
                if case .finished(let i, .completed) = event { trained.withLock { $0.append(sweep.runs[i].label) } }
            }
            results.withLock { $0.append(outcome) }
        }
        #expect(trained.withLock { $0.sorted() } == sweep.runs.map(\.label).sorted())
        for outcome in results.withLock({ $0 }) {
            #expect(outcome.allSatisfy {
                switch $0 {
                case .outcome(.completed), .outcome(.completedElsewhere): true
                default: false
                }
            })
        }
        for run in sweep.runs {
            #expect(try sweep.runFolder(run).metrics()?.status == .completed)
            // Every lock let go: its file kept, and empty.
            #expect(Self.contents(sweep.runFolder(run).url.appendingPathComponent(RunLock.fileName).path) == "")
        }
    }

    @Test func aRunHeldElsewhereIsPutOffThenWaitedForAndNotTrainedAgain() throws {
        let sweep = try SweepExecutionTests.sweep("name: wait\nseed: [0, 1]\n", in: temporaryFolder())
        let held = sweep.runs[0]
        // "Another process" holds run 0; it completes it a while after run 1 has finished here.
        let holder = Mutex<RunLock?>(try Self.take(sweep.runFolder(held).url))
        #expect(holder.withLock { $0 != nil })
        let events = Mutex<[String]>([])
        let results = Scheduler.run(sweep.runs.map { sweep.request(for: $0, checkpoints: .whenStopped) }, concurrency: 1) { event in
            switch event {
            case .deferred(let i, let who):
                events.withLock { $0.append("deferred \(i) (\(who))") }
            case .note(let i, let text):
                events.withLock { $0.append("note \(i): \(text)") }
            case .finished(let i, let outcome):
                let how = switch outcome {
                case .completed: "completed"
                case .completedElsewhere: "completed elsewhere"
                default: "\(outcome)"
                }
                events.withLock { $0.append("finished \(i) \(how)") }
                if i == 1 {
                    Thread.detachNewThread {
                        Thread.sleep(forTimeInterval: 0.3)
                        try? sweep.runFolder(held).write(madeUpMetrics(label: held.label, spec: held.spec, testMSE: 0.01))
                        holder.withLock { $0 = nil }
                    }
                }
            default: break
            }
        }
        let me = "pid \(getpid()) on \(AtomicFile.hostTag)"
        #expect(events.withLock { $0 } == [
            "deferred 0 (\(me))",
            "finished 1 completed",
            "note 0: waiting: \(me) is training this run",
            "finished 0 completed elsewhere",
        ])
        guard case .outcome(.completedElsewhere(let metrics)) = results[0] else {
            Issue.record("run 0 should have been completed elsewhere: \(results[0])")
            return
        }
        #expect(metrics.final?.testMSE == 0.01)
    }

    @Test func aQueueWorkerAndPopcodeRunOnOneFolderTrainEachRunOnce() throws {
        let queue = try QueueFixture()
        let sweep = queue.sweep(try QueueFixture.experiment(seeds: [0, 1, 2, 3], epochs: 40))
        _ = try queue.open().add(sweep, source: nil, overrides: [])
        let worker = QueueWorker(database: try queue.open(), options: QueueWorkerTests.fast)
        let trained = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 {
                _ = Scheduler.run(sweep.runs.map { sweep.request(for: $0, checkpoints: .whenStopped) }, concurrency: 2) { event in
                    if case .finished(let i, .completed) = event { trained.withLock { $0.append(sweep.runs[i].label) } }
                }
            } else {
                _ = worker.run { event in
                    if case .finished(let run, .completed) = event { trained.withLock { $0.append(run.label) } }
                }
            }
        }
        #expect(trained.withLock { $0.sorted() } == sweep.runs.map(\.label).sorted())
        #expect(try queue.open().runs().allSatisfy { $0.state == .completed })
    }
}

extension RunLock.Attempt {
    var isBusy: Bool { if case .busy = self { true } else { false } }
}
