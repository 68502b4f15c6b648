import Foundation
import Testing
@testable import PopCodeRunner

/// `ExternalProgram`: output collected, and a program that ignores SIGTERM killed after the
/// grace period instead of hanging popcode (issue 12, item 8).
struct ExternalProgramTests {
    static let shell = ExternalProgram(named: "sh", searchPath: "/bin:/usr/bin")!

    /// Whether process `pid` is gone: no such process, or a zombie nobody has reaped yet (a
    /// container's init may not reap orphans).
    static func isGone(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return errno == ESRCH }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }

    @Test func outputAndStatusAreCollected() throws {
        let output = try Self.shell.run(["-c", "echo out; echo err >&2; exit 3"], timeout: 10)
        #expect(output.status == 3 && output.standardOutput == "out\n" && output.standardError == "err\n")
        #expect(!output.timedOut && !output.killed)
    }

    /// The wait ends when the program exits, not at the next tick of a poll: Foundation's
    /// `waitUntilExit` slept 50 ms at a time, so 20 runs of `true` took over a second; woken by
    /// the exit they take a few milliseconds each (the bound leaves room for a loaded machine).
    @Test func aShortProgramIsNotWaitedOnForAPollInterval() throws {
        let truth = try #require(ExternalProgram(named: "true", searchPath: "/bin:/usr/bin"))
        let start = ContinuousClock.now
        for _ in 0..<20 {
            let output = try truth.run([], timeout: 10)
            #expect(output.status == 0 && !output.timedOut)
        }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .milliseconds(800), "20 runs of true took \(elapsed)")
    }

    @Test func aProgramThatStopsOnSIGTERMIsNotKilled() throws {
        let start = ContinuousClock.now
        let output = try Self.shell.run(["-c", "exec sleep 60"], timeout: 0.3, grace: 5)
        #expect(output.timedOut && !output.killed)
        #expect(ContinuousClock.now - start < .seconds(4))
    }

    @Test(.timeLimit(.minutes(1))) func aProgramThatIgnoresSIGTERMIsKilledAfterTheGracePeriod() throws {
        // The shell ignores TERM, and so does its sleep (an ignored signal stays ignored
        // across exec); the sleep also holds the output pipe open.
        let start = ContinuousClock.now
        let output = try Self.shell.run(["-c", "trap '' TERM; sleep 60 & echo $$ $!; wait; wait"],
                                        timeout: 0.5, grace: 1)
        let elapsed = ContinuousClock.now - start
        #expect(output.timedOut && output.killed)
        #expect(elapsed >= .milliseconds(1400) && elapsed < .seconds(5), "returned after \(elapsed)")
        let pids = output.standardOutput.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(pids.count == 2, "\(output.standardOutput)")
        // The pipes close while the kernel tears a killed process down; give it a moment.
        let deadline = ContinuousClock.now + .seconds(3)
        while !pids.allSatisfy(Self.isGone), ContinuousClock.now < deadline { usleep(20_000) }
        for pid in pids { #expect(Self.isGone(pid), "process \(pid) is still running") }
    }
}
