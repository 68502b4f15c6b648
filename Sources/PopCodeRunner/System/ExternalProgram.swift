import Dispatch
import Foundation
import Synchronization

/// Runs a program found on `PATH`, without input, and collects what it prints.
struct ExternalProgram: Sendable {
    /// The program's absolute path.
    let path: String

    struct Output: Sendable {
        let status: Int32
        let standardOutput: String
        let standardError: String
        /// True when the program was stopped because it ran past its timeout.
        let timedOut: Bool
    }

    /// The program `name` in the first folder of `searchPath` (a `PATH` value) that has it
    /// as an executable file, or `nil`.
    init?(named name: String, searchPath: String?) {
        let folders = (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        guard let found = folders.lazy.map({ "\($0.isEmpty ? "." : $0)/\(name)" })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        path = found
    }

    /// Runs the program with `arguments`; after `timeout` seconds it is sent SIGTERM.
    /// Throws when it cannot be started.
    func run(_ arguments: [String], timeout: Double? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()

        // Both pipes are drained at once, so a program that fills one while the other is
        // being read cannot block.
        let collected = Mutex<(out: Data, err: Data)>((Data(), Data()))
        let group = DispatchGroup()
        let outHandle = stdout.fileHandleForReading, errHandle = stderr.fileHandleForReading
        DispatchQueue.global().async(group: group) {
            let data = outHandle.readDataToEndOfFile()
            collected.withLock { $0.out = data }
        }
        DispatchQueue.global().async(group: group) {
            let data = errHandle.readDataToEndOfFile()
            collected.withLock { $0.err = data }
        }
        let finished = Atomic<Bool>(false)
        let timedOut = Atomic<Bool>(false)
        if let timeout {
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if !finished.load(ordering: .acquiring) {
                    timedOut.store(true, ordering: .releasing)
                    kill(pid, SIGTERM)
                }
            }
        }
        process.waitUntilExit()
        finished.store(true, ordering: .releasing)
        group.wait()
        let (out, err) = collected.withLock { $0 }
        return Output(status: process.terminationStatus,
                      standardOutput: String(decoding: out, as: UTF8.self),
                      standardError: String(decoding: err, as: UTF8.self),
                      timedOut: timedOut.load(ordering: .acquiring))
    }
}
