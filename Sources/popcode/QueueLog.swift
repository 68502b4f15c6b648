import Foundation
import PopCodeRunner

/// A queue worker's log on standard error: one timestamped line per event, meant for a log
/// file (`nohup … > runs/worker.log`). Safe to call from the worker's threads.
final class QueueLog: Sendable {
    private let quiet: Bool

    init(quiet: Bool) {
        self.quiet = quiet
    }

    func handle(_ event: QueueEvent) {
        switch event {
        case .reclaimed(let run, let state, let reason):
            let fate = switch state {
            case .completed: "completed (its results were already written)"
            case .cancelled: "cancelled (as requested)"
            default: "back to pending"
            }
            line("\(run.name): taken back from a dead worker (\(reason)): \(fate)")
        case .started(let run):
            line("\(run.name): started" + (run.attempts > 1 ? " (attempt \(run.attempts))" : ""))
        case .note(let run, let text):
            line("\(run.name): \(text)")
        case .finished(let run, let end):
            switch end {
            case .completed(let metrics):
                let mse = metrics.final.map { String(format: "  test_mse %.5f", $0.testMSE) } ?? ""
                line("\(run.name): completed in \(String(format: "%.1f", metrics.timing.trainSeconds)) s of training\(mse)")
            case .alreadyCompleted:
                line("\(run.name): already completed on disk")
            case .failed(let reason):
                line("\(run.name): FAILED: \(reason)", always: true)
            case .cancelled(let epochs):
                line("\(run.name): cancelled at epoch \(epochs) (checkpoint kept; popcode queue retry resumes it)")
            case .released(let epochs):
                line("\(run.name): stopped at epoch \(epochs), checkpoint saved, back to pending")
            }
        case .waiting:
            line("nothing pending; waiting for new runs (popcode queue add …; Ctrl-C to stop)")
        case .problem(let text):
            line("problem: \(text)", always: true)
        }
    }

    func line(_ text: String, always: Bool = false) {
        guard always || !quiet else { return }
        FileHandle.standardError.write(Data("\(Self.timestamp()) \(text)\n".utf8))
    }

    /// `2025-06-01 02:13:07`, local time.
    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1,
                      parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
