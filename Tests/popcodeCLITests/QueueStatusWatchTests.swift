import Foundation
import Testing

@Suite struct QueueStatusWatchTests {
    /// Off a terminal, `--watch` prints one status line per interval and Ctrl-C ends it with
    /// exit 0 and without the training runs' checkpoint notice (it trains nothing).
    @Test func watchPrintsLinesUntilInterrupted() throws {
        let dir = try CLI.workspace(["w.yaml": "name: w\n" + CLI.tinyKeys + "seed: [0, 1]\n"])
        let added = try CLI.run(["queue", "add", "w.yaml"], in: dir)
        #expect(added.status == 0, "\(added.stderr)")

        let (process, out, err) = try CLI.start(["queue", "status", "--watch", "--interval", "0.2"], in: dir)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(process.isRunning)
        process.interrupt()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 0, "\(stderr)")
        let lines = stdout.split(separator: "\n")
        #expect(lines.count >= 2, "\(stdout)")
        #expect(lines.allSatisfy { $0.contains("2 pending, 0 running, 0 completed") }, "\(stdout)")
        #expect(!stderr.contains("checkpoint"), "\(stderr)")
    }
}
