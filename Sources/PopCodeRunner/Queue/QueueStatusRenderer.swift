import Foundation

/// `QueueStatus` as text for people (aligned Markdown tables) or JSON for scripts.
public enum QueueStatusRenderer {
    public enum Format: String, Sendable, CaseIterable {
        case table, json
    }

    public static func render(_ status: QueueStatus, as format: Format) -> String {
        switch format {
        case .table: text(status)
        case .json: json(status)
        }
    }

    static func text(_ s: QueueStatus) -> String {
        let states = QueuedRun.State.allCases
        let c = s.counts
        var out = "queue \(s.database): \(c.total) run\(c.total == 1 ? "" : "s"): "
            + states.map { "\(c[$0]) \($0.rawValue)" }.joined(separator: ", ") + "\n"
        guard c.total > 0 else { return out + "nothing queued (popcode queue add FILE)\n" }

        out += "\n" + ComparisonRenderer.table(
            header: ["experiment"] + states.map(\.rawValue),
            rows: s.experiments.map { e in [e.name] + states.map { "\(e.counts[$0])" } }) + "\n"

        if !s.searches.isEmpty {
            out += "\nSearches:\n" + ComparisonRenderer.table(
                header: ["experiment", "stage", "configurations", "survivors by round", "winner"],
                rows: s.searches.map { search in
                    let stage: String = switch search.phase {
                    case .round: "round \(search.round ?? 0) of \(search.rounds) (\(search.resource ?? 0) \(search.unit))"
                    case .confirming: "confirming"
                    case .finished: "finished"
                    }
                    return [search.experiment, stage, "\(search.configurations)",
                            search.survivors.isEmpty ? "-" : search.survivors.map(String.init).joined(separator: " → "),
                            search.winner ?? "-"]
                }) + "\n"
        }

        if !s.running.isEmpty {
            out += "\nRunning now:\n" + ComparisonRenderer.table(
                header: ["run", "experiment", "epoch", "mse", "worker", "heartbeat"],
                rows: s.running.map { r in
                    var worker = r.host == ProcessTable.hostName ? "pid \(r.pid)" : "pid \(r.pid) on \(r.host)"
                    if r.workerAlive == false { worker += " (dead: reclaimed when a worker starts)" }
                    if r.cancelRequested { worker += " (cancelling)" }
                    return [r.label, r.experiment,
                            r.epochsDone.map { "\($0)/\(r.epochs)" } ?? "starting",
                            r.mse.map { String(format: "%.5f", $0) } ?? "-",
                            worker,
                            r.secondsSinceHeartbeat.map { "\(duration($0)) ago" } ?? "-"]
                }) + "\n"
        }

        if !s.failed.isEmpty {
            out += "\nFailed (popcode queue retry puts them back):\n"
            for f in s.failed { out += "- \(f.experiment)/\(f.label) (id \(f.id)): \(f.error ?? "unknown")\n" }
        }

        out += "\n" + estimateLine(s.estimate, counts: c) + "\n"
        if let t = s.throughput { out += throughputLine(t) + "\n" }
        return out
    }

    /// One line for logs: time, counts, ETA and rate, e.g.
    /// `2026-12-01T22:50:02Z 4 pending, 2 running, 30 completed, 1 failed, 0 cancelled; ETA 3:20; 2.9 runs/min`.
    public static func line(_ s: QueueStatus, at date: Date) -> String {
        let counts = QueuedRun.State.allCases.map { "\(s.counts[$0]) \($0.rawValue)" }.joined(separator: ", ")
        let eta: String = if s.counts.pending + s.counts.running == 0 { "nothing left" }
            else if let seconds = s.estimate.etaSeconds { "ETA \(duration(seconds))" }
            else if s.estimate.workSeconds != nil { "no worker running" }
            else { "ETA unknown" }
        let speed = s.throughput.map { rate($0.runsPerSecond) } ?? "no run finished lately"
        return "\(ISO8601DateFormatter().string(from: date)) \(counts); \(eta); \(speed)"
    }

    /// `Lately: 12 runs finished in 4:10 (2.9 runs/min).`
    public static func throughputLine(_ t: QueueStatus.Throughput) -> String {
        "Lately: \(t.finished) run\(t.finished == 1 ? "" : "s") finished in \(duration(t.seconds)) "
            + "(\(rate(t.runsPerSecond)))."
    }

    /// A rate per second, per minute or per hour, whichever reads best.
    public static func rate(_ runsPerSecond: Double) -> String {
        if runsPerSecond >= 1 { return String(format: "%.2f runs/s", runsPerSecond) }
        if runsPerSecond * 60 >= 1 { return String(format: "%.1f runs/min", runsPerSecond * 60) }
        return String(format: "%.1f runs/h", runsPerSecond * 3600)
    }

    public static func estimateLine(_ e: QueueStatus.Estimate, counts: QueueStatus.Counts) -> String {
        guard counts.pending + counts.running > 0 else { return "Nothing left to train." }
        guard let work = e.workSeconds else {
            return "ETA: unknown until a run completes (\(e.remainingEpochs) epochs left)."
        }
        let basis = "measured on \(e.basisRuns) completed run\(e.basisRuns == 1 ? "" : "s")"
        guard let eta = e.etaSeconds else {
            return "No worker is running; about \(duration(work)) of training left (\(basis)). Start one: popcode queue run"
        }
        return "ETA \(duration(eta)): \(e.remainingEpochs) epochs left, \(e.parallel) run\(e.parallel == 1 ? "" : "s") at once (\(basis))."
    }

    static func json(_ s: QueueStatus) -> String {
        let encoder = JSONCoding.encoder
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = (try? encoder.encode(s)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `0:42`, `12:05`, `1:02:03`.
    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
