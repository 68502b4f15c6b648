import Foundation

/// A single progress line on standard error: redrawn in place on a terminal, silent
/// otherwise (log lines are for multi-run commands).
final class ProgressLine {
    private let enabled: Bool
    private var lastDraw = ContinuousClock.now
    private var drawn = false

    init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) != 0
    }

    func update(_ text: String) {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard now - lastDraw > .milliseconds(100) else { return }
        lastDraw = now
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
        drawn = true
    }

    func finish() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        drawn = false
    }
}
