import Foundation
import PopCodeRunner
import Synchronization

/// Shows a sweep's progress on standard error: on a terminal, a live line per active run
/// and an overall count with ETA, redrawn in place; otherwise plain log lines (started,
/// finished, notes). Silent with `quiet`. Safe to call from the scheduler's threads.
final class SweepProgress: Sendable {
    private struct State {
        var active: [Int: RunProgress] = [:]
        var startedAt: [Int: ContinuousClock.Instant] = [:]
        var finished = 0
        var failed = 0
        var epochsDone = 0
        var finishedEpochs = 0
        var drawnLines = 0
        var lastDraw = ContinuousClock.now - .seconds(1)
    }

    private let labels: [String]
    private let epochs: [Int]
    private let totalEpochs: Int
    private let live: Bool
    private let quiet: Bool
    private let start = ContinuousClock.now
    private let state = Mutex(State())

    init(labels: [String], epochs: [Int], quiet: Bool) {
        self.labels = labels
        self.epochs = epochs
        totalEpochs = max(epochs.reduce(0, +), 1)
        self.quiet = quiet
        live = !quiet && isatty(STDERR_FILENO) != 0
    }

    func handle(_ event: SchedulerEvent) {
        guard !quiet else { return }
        state.withLock { s in
            switch event {
            case .started(let i):
                s.startedAt[i] = .now
                s.active[i] = RunProgress(id: "", epochsDone: 0, epochs: epochs[i], loss: .nan, mse: nil)
                if !live { emit("\(tag(s)) \(labels[i]): started", &s) }
            case .progress(let i, let p):
                var merged = p
                if merged.mse == nil { merged.mse = s.active[i]?.mse }
                s.active[i] = merged
            case .note(let i, let text):
                emit("\(labels[i]): \(text)", &s)
            case .finished(let i, let outcome):
                s.active[i] = nil
                s.finished += 1
                s.finishedEpochs += epochs[i]
                let seconds = s.startedAt[i].map { (ContinuousClock.now - $0).seconds } ?? 0
                switch outcome {
                case .completed(let m):
                    let mse = m.final.map { String(format: "test_mse %.5f", $0.testMSE) } ?? ""
                    emit("\(tag(s)) \(labels[i]): completed in \(String(format: "%.1f", seconds)) s  \(mse)", &s)
                case .failed(let m):
                    s.failed += 1
                    emit("\(tag(s)) \(labels[i]): FAILED: \(m.error?.reason ?? "unknown")", &s)
                case .completedElsewhere:
                    emit("\(tag(s)) \(labels[i]): completed by another process (not trained here)", &s)
                case .interrupted(let epoch):
                    s.finished -= 1
                    s.finishedEpochs -= epochs[i]
                    emit("\(labels[i]): stopped at epoch \(epoch), checkpoint saved", &s)
                case .busy:
                    // `Scheduler.run(_:concurrency:)` reports a busy run as `.deferred`.
                    s.finished -= 1
                    s.finishedEpochs -= epochs[i]
                }
            case .deferred(let i, let holder):
                s.active[i] = nil
                emit("\(labels[i]): \(holder) is training it; coming back to it after the others", &s)
            case .storageFailed(let i, let reason):
                s.active[i] = nil
                s.finished += 1
                s.failed += 1
                emit("\(tag(s)) \(labels[i]): cannot write results: \(reason)", &s)
            }
            if live { draw(&s, force: { if case .progress = event { false } else { true } }()) }
        }
    }

    /// Clears the live lines before the final output.
    func finish() {
        guard live else { return }
        state.withLock { s in clear(&s) }
    }

    private func tag(_ s: State) -> String { "[\(s.finished)/\(labels.count)]" }

    private func emit(_ line: String, _ s: inout State) {
        if live { clear(&s) }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private func clear(_ s: inout State) {
        guard s.drawnLines > 0 else { return }
        FileHandle.standardError.write(Data(String(repeating: "\u{1B}[1A\u{1B}[2K", count: s.drawnLines).utf8))
        s.drawnLines = 0
    }

    private func draw(_ s: inout State, force: Bool) {
        let now = ContinuousClock.now
        guard force || now - s.lastDraw > .milliseconds(150) else { return }
        s.lastDraw = now
        clear(&s)
        var lines = s.active.keys.sorted().map { i -> String in
            let p = s.active[i]!
            let mse = p.mse.map { String(format: "  mse %.5f", $0) } ?? ""
            return "  \(labels[i])  epoch \(p.epochsDone)/\(p.epochs)\(mse)"
        }
        let done = s.finishedEpochs + s.active.values.reduce(0) { $0 + $1.epochsDone }
        let elapsed = (now - start).seconds
        var eta = ""
        if done > 0 && elapsed > 1 {
            let remaining = Double(totalEpochs - done) * elapsed / Double(done)
            eta = "  ETA \(Self.duration(remaining))"
        }
        let failed = s.failed > 0 ? ", \(s.failed) failed" : ""
        lines.append("\(s.finished)/\(labels.count) runs done\(failed), \(s.active.count) running\(eta)")
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        s.drawnLines = lines.count
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
