import Foundation

/// The worker that holds a claimed run: a process, told apart from a later process with
/// the same pid by its start time, plus a token for the worker instance inside it.
///
/// A run whose owner is dead goes back to pending; a live owner is never robbed, however
/// old its last heartbeat (a long epoch is not a crash).
public struct QueueOwner: Sendable, Hashable, Codable {
    public var pid: Int32
    /// Field 22 of `/proc/<pid>/stat`: when the process started, in clock ticks after boot.
    public var startTicks: UInt64
    public var host: String
    /// `/proc/sys/kernel/random/boot_id` (start ticks restart from 0 at each boot).
    public var bootID: String?
    /// Tells apart two workers in one process (and every worker start).
    public var token: String

    public init(pid: Int32, startTicks: UInt64, host: String, bootID: String?, token: String) {
        self.pid = pid
        self.startTicks = startTicks
        self.host = host
        self.bootID = bootID
        self.token = token
    }

    /// This process, with a fresh token.
    public static func current() -> QueueOwner {
        QueueOwner(pid: getpid(), startTicks: ProcessTable.startTicks(of: getpid()) ?? 0,
                   host: ProcessTable.hostName, bootID: ProcessTable.bootID, token: UUID().uuidString)
    }

    /// Whether the owner can still be working on its runs, judged from this machine.
    public enum Liveness: Sendable, Hashable {
        case alive
        /// Certainly gone, and why.
        case dead(String)
        /// Runs on another machine: cannot be checked, so treated as alive.
        case unknown(String)

        public var isDead: Bool {
            if case .dead = self { true } else { false }
        }
    }

    /// Alive when the same process (pid and start time, this boot) still exists and is not
    /// a zombie. Never decided by a timeout.
    public var liveness: Liveness {
        guard host == ProcessTable.hostName else { return .unknown("runs on host \(host)") }
        if let bootID, let current = ProcessTable.bootID, bootID != current {
            return .dead("the machine rebooted since worker pid \(pid) started")
        }
        guard let stat = ProcessTable.stat(of: pid) else { return .dead("worker pid \(pid) has exited") }
        guard stat.startTicks == startTicks else {
            return .dead("worker pid \(pid) has exited (the pid now belongs to another process)")
        }
        if stat.state == "Z" || stat.state == "X" { return .dead("worker pid \(pid) has exited (zombie)") }
        return .alive
    }
}

/// What `/proc` says about processes and this machine.
enum ProcessTable {
    struct Stat: Hashable {
        /// Field 3: R, S, D, Z (zombie), X (dead), …
        var state: Character
        /// Field 22.
        var startTicks: UInt64
    }

    static func stat(of pid: Int32) -> Stat? {
        guard pid > 0, let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return parseStat(text)
    }

    static func startTicks(of pid: Int32) -> UInt64? { stat(of: pid)?.startTicks }

    /// Parses a `/proc/<pid>/stat` line: `pid (comm) state ppid … starttime …`. The command
    /// name may hold spaces and parentheses, so fields are counted after the last `)`.
    static func parseStat(_ text: String) -> Stat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
        guard fields.count > 19, let state = fields[0].first, let start = UInt64(fields[19]) else { return nil }
        return Stat(state: state, startTicks: start)
    }

    static let bootID: String? = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines)

    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()
}
