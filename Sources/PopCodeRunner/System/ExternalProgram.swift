import Dispatch
import Foundation
import Synchronization

/// Runs a program found on `PATH`, without input, and collects what it prints.
///
/// A program that runs past its timeout is asked to stop (SIGTERM) and, if it is still
/// there `grace` seconds later, killed (SIGKILL): a program that ignores SIGTERM never hangs
/// popcode. Both signals go to the program's process group (Foundation's `Process` starts
/// each child as the leader of a group of its own), so helpers it started — which would keep
/// its output pipes open — stop with it.
struct ExternalProgram: Sendable {
    /// The program's absolute path.
    let path: String

    /// Seconds between SIGTERM and SIGKILL when none is given.
    static let defaultGrace: Double = 5

    struct Output: Sendable {
        let status: Int32
        let standardOutput: String
        let standardError: String
        /// True when the program was stopped because it ran past its timeout.
        let timedOut: Bool
        /// True when it (or a process it started) outlived SIGTERM by the grace period and
        /// was killed with SIGKILL.
        let killed: Bool
    }

    /// The program `name` in the first folder of `searchPath` (a `PATH` value) that has it
    /// as an executable file, or `nil`.
    init?(named name: String, searchPath: String?) {
        let folders = (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        guard let found = folders.lazy.map({ "\($0.isEmpty ? "." : $0)/\(name)" })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        path = found
    }

    /// Runs the program with `arguments`. After `timeout` seconds its process group is sent
    /// SIGTERM, and SIGKILL `grace` seconds later if the program or its pipes' other writers
    /// are still there; so with a timeout it returns within `timeout + grace` seconds (and the
    /// time the kernel takes to deliver SIGKILL). Throws when it cannot be started.
    func run(_ arguments: [String], timeout: Double? = nil, grace: Double = defaultGrace) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        // Woken by the exit itself: Foundation's `waitUntilExit` on Linux polls its run loop
        // every 50 ms, which made each short program (git, sha256sum) cost 50 ms of waiting:
        // 150 ms of the wall time of every `popcode train`, whose CPU time was 50 ms.
        // (Foundation calls the handler on a thread of its own.)
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try Self.withTerminationSignalsUnblocked { try process.run() }

        // Both pipes are drained at once, so a program that fills one while the other is being
        // read cannot block; each on a thread of its own, not libdispatch's pool, whose few
        // threads may all be busy (training runs, or tests waiting on programs of their own):
        // a read queued behind them would wait, and a caller on the pool could wait on itself.
        let collected = Mutex<(out: Data, err: Data)>((Data(), Data()))
        let outRead = DispatchSemaphore(value: 0), errRead = DispatchSemaphore(value: 0)
        let outHandle = stdout.fileHandleForReading, errHandle = stderr.fileHandleForReading
        Thread {
            let data = outHandle.readDataToEndOfFile()
            collected.withLock { $0.out = data }
            outRead.signal()
        }.start()
        Thread {
            let data = errHandle.readDataToEndOfFile()
            collected.withLock { $0.err = data }
            errRead.signal()
        }.start()

        // Done: the program exited and its pipes closed. The waits and the signals are all on
        // this thread, so no signal is sent once that is so (the group id could be reused).
        var pending = [exited, outRead, errRead]
        func finished(by deadline: DispatchTime) -> Bool {
            while let next = pending.first {
                guard next.wait(timeout: deadline) == .success else { return false }
                pending.removeFirst()
            }
            return true
        }
        var timedOut = false, killed = false
        if let timeout, !finished(by: .now() + timeout) {
            timedOut = true
            let processGroup = -process.processIdentifier
            kill(processGroup, SIGTERM)
            if !finished(by: .now() + grace) {
                killed = true
                kill(processGroup, SIGKILL)
            }
        }
        _ = finished(by: .distantFuture)
        let (out, err) = collected.withLock { $0 }
        return Output(status: process.terminationStatus,
                      standardOutput: String(decoding: out, as: UTF8.self),
                      standardError: String(decoding: err, as: UTF8.self),
                      timedOut: timedOut, killed: killed)
    }

    /// Runs `body` with SIGTERM and SIGINT unblocked on the calling thread. Foundation's
    /// `Process` passes the calling thread's signal mask on to the child, and threads that
    /// libdispatch or the test runner own block most signals: a child started from one would
    /// ignore SIGTERM until it is killed. (A signal that arrives in this short window is
    /// handled as the process's disposition says, as it would be on any unblocked thread.)
    private static func withTerminationSignalsUnblocked<T>(_ body: () throws -> T) rethrows -> T {
        var unblock = sigset_t(), previous = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGTERM)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }
}
