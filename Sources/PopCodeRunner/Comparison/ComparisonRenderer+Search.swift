import Foundation

/// The search section of the comparison: rounds, survivors, dropped configurations with
/// their reason and p-value, the confirmation and the winner with its confidence interval.
extension ComparisonRenderer {
    static func searchSection(_ state: SearchState, headings: Bool) -> String {
        let title = { (t: String) in headings ? "## \(t)" : t }
        let metric = state.metric
        let unit = state.resource == .seeds ? "seeds" : "epochs"
        var parts: [String] = []
        parts.append(title("Search: successive halving over \(state.resource.rawValue), \(state.goal.rawValue) "
                           + "\(metric.rawValue) (eta \(state.eta), "
                           + (state.resource == .seeds ? "guard alpha \(state.alpha))" : "by rank: no statistical guard over epochs)")))
        let name = { (c: Int) in state.configurations[c].name.isEmpty ? "configuration \(c)" : state.configurations[c].name }
        let rounds = state.rounds.map { round -> [String] in
            let survivors: String
            if let decision = round.decision {
                survivors = round.isLast ? "— (last round)" : "\(round.survivors.count)"
                    + (decision.contains { $0.reason == .guarded } ? " (\(decision.filter { $0.reason == .guarded }.count) kept by the guard)" : "")
            } else {
                survivors = "running"
            }
            return ["\(round.index + 1)", "\(round.resource)", "\(round.configurations.count)",
                    round.isLast ? "all" : "\(round.keep)", survivors]
        }
        parts.append(table(header: ["round", unit, "configurations", "kept by rank", "survivors"], rows: rounds))
        if state.phase != .finished, let next = state.schedule.dropFirst(state.rounds.count).first {
            parts.append("(next round: \(next) \(unit))")
        }

        let dropped = state.rounds.flatMap { round in
            (round.decision ?? []).filter { $0.verdict == .dropped }.map { (round.index, $0) }
        }
        if !dropped.isEmpty {
            let rows = dropped.map { round, d -> [String] in
                [name(d.configuration), "\(round + 1)", d.reason.rawValue,
                 d.mean.map { format($0, metric) } ?? "—", d.p.map(formatP) ?? "—"]
            }
            parts.append("Dropped configurations:\n\n"
                         + table(header: ["configuration", "left after round", "reason", "mean \(metric.header)", "p (one-sided Welch)"], rows: rows))
        }
        let guarded = state.rounds.flatMap { round in
            (round.decision ?? []).filter { $0.reason == .guarded }.map { (round.index, $0) }
        }
        if !guarded.isEmpty {
            parts.append("Kept by the guard (outside the top, not worse than the best at p < \(state.alpha)): "
                         + guarded.map { "\(name($0.1.configuration)) after round \($0.0 + 1) (p = \(formatP($0.1.p ?? 1)))" }
                            .joined(separator: ", "))
        }
        if let last = state.rounds.last, last.isLast, let decision = last.decision {
            let rows = decision.map { d -> [String] in
                [d.rank.map(String.init) ?? "failed", name(d.configuration), "\(d.values.count)",
                 estimateText(d.mean, d.sd, metric)]
            }
            parts.append("Last round (\(last.resource) \(unit)):\n\n"
                         + table(header: ["rank", "configuration", "n", "mean ± sd"], rows: rows))
        }
        if let confirmation = state.confirmation {
            let seeds = confirmation.seeds.map(String.init).joined(separator: ", ")
            if let results = confirmation.results {
                let rows = results.map { e -> [String] in
                    [name(e.configuration), "\(e.values.count)" + (e.failed > 0 ? " (+\(e.failed) failed)" : ""),
                     estimateText(e.mean, e.sd, metric), intervalText(e, metric)]
                }
                parts.append("Confirmation on fresh seeds \(seeds) (never used in selection):\n\n"
                             + table(header: ["configuration", "n", "mean ± sd", "95 % CI"], rows: rows))
            } else {
                parts.append("Confirmation on fresh seeds \(seeds): running")
            }
        }
        if let winner = state.winner {
            let values = winner.values.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: ", ")
            let e = winner.estimate
            let on = winner.confirmed
                ? "on fresh seeds \(e.seeds.map(String.init).joined(separator: ", "))"
                : "on the last round's seeds (no confirmation: set 'confirm' for an unbiased estimate)"
            parts.append("Winner: \(name(winner.configuration)) (\(values)): \(metric.rawValue) "
                         + "\(estimateText(e.mean, e.sd, metric)), 95 % CI \(intervalText(e, metric)) \(on)")
        } else if state.phase == .finished {
            parts.append("No winner: every configuration failed.")
        }
        return parts.joined(separator: "\n\n")
    }

    private static func estimateText(_ mean: Double?, _ sd: Double?, _ metric: ComparisonMetric) -> String {
        guard let mean else { return "—" }
        guard let sd else { return format(mean, metric) }
        return "\(format(mean, metric)) ± \(format(sd, metric))"
    }

    private static func intervalText(_ e: Estimate, _ metric: ComparisonMetric) -> String {
        guard let low = e.ciLow, let high = e.ciHigh else { return "— (one seed)" }
        return "[\(format(low, metric)), \(format(high, metric))]"
    }
}
