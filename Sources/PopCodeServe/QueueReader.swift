import Foundation
import PopCodeRunner
import Synchronization

/// The queue as the dashboard sees it: a read-only connection to its database, opened when
/// the file appears, and its status computed at most once per `interval` seconds however
/// many pages ask.
final class QueueReader: Sendable {
    enum Reading: Sendable {
        /// No database file (yet).
        case none
        case status(QueueStatus)
        /// The file exists but cannot be read.
        case problem(String)
    }

    let path: String
    let interval: Double

    private struct State: Sendable {
        var database: QueueDatabase?
        var last: (at: Date, reading: Reading)?
    }

    private let state = Mutex(State())

    init(path: String, interval: Double = 1) {
        self.path = path
        self.interval = interval
    }

    func read(now: Date = Date()) -> Reading {
        state.withLock { state in
            if let last = state.last, now.timeIntervalSince(last.at) < interval { return last.reading }
            let reading = fresh(&state, now: now)
            state.last = (now, reading)
            return reading
        }
    }

    private func fresh(_ state: inout State, now: Date) -> Reading {
        guard FileManager.default.fileExists(atPath: path) else {
            state.database = nil
            return .none
        }
        do {
            let database = try state.database ?? QueueDatabase(path: path, mode: .readOnly)
            state.database = database
            return .status(QueueStatus(runs: try database.runs(), database: path, now: now))
        } catch {
            state.database = nil
            return .problem("\(error)")
        }
    }
}
