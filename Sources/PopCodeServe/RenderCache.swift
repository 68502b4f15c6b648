import PopCodeSVG
import Foundation
import PopCodeRunner
import Synchronization

/// The heavy parts of experiment pages (tables and plots), rendered once per version of an
/// experiment and kept. While an experiment keeps changing (a big sweep finishing runs every
/// second), its parts are rendered again at most every `costFactor` times what the last
/// rendering took (and never more often than every `minimumInterval` seconds), so that
/// drawing thousands of runs cannot take more than a small share of a core; the counts and
/// the runs in training stay live in the meantime.
final class RenderCache: Sendable {
    struct Parts: Sendable {
        /// The experiment's version these parts show.
        let version: Int
        let parts: [String: Markup.Rendered]
        let renderedAt: Date
        /// Seconds the rendering took.
        let cost: Double

        /// No parts yet (version 0, which no experiment has): the page's live update brings them.
        static let toFollow = Parts(version: 0, parts: [:], renderedAt: .distantPast, cost: 0)
    }

    let costFactor: Double
    let minimumInterval: Double
    private let entries = Mutex<[String: Parts]>([:])

    init(costFactor: Double = 40, minimumInterval: Double = 0) {
        self.costFactor = costFactor
        self.minimumInterval = minimumInterval
    }

    /// The parts for `snapshot`: cached ones when they show its version, or when they were
    /// rendered too recently to render again; else rendered now by `render`.
    func parts(for snapshot: ExperimentSnapshot, now: Date = Date(),
               render: (ExperimentSnapshot) -> [String: Markup]) -> Parts {
        if let cached = entries.withLock({ $0[snapshot.name] }) {
            let wait = max(minimumInterval, cached.cost * costFactor)
            if cached.version == snapshot.version || now.timeIntervalSince(cached.renderedAt) < wait { return cached }
        }
        let start = ContinuousClock.now
        let rendered = render(snapshot).mapValues { $0.prerendered() }
        let elapsed = ContinuousClock.now - start
        let cost = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let parts = Parts(version: snapshot.version, parts: rendered, renderedAt: now, cost: cost)
        entries.withLock { $0[snapshot.name] = parts }
        return parts
    }
}
