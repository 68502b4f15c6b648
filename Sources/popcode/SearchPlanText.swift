import PopCodeRunner

/// The search part of `popcode run --dry-run`: the distributions, the drawn configurations
/// with their values, and the halving schedule.
enum SearchPlanText {
    static func describe(_ experiment: ExperimentSpec) -> [String] {
        var lines: [String] = []
        for (key, law) in experiment.sampled {
            lines.append("sample \(key.rawValue): \(law.yamlText)")
        }
        if let search = experiment.search, search.method != .grid {
            lines.append("search: \(search.method.rawValue), \(search.samples ?? 0) samples, seed \(search.seed)")
        }
        if let halving = experiment.halving {
            let schedule = halving.schedule.map(String.init).joined(separator: " → ")
            lines.append("halving over \(halving.resource.rawValue): \(schedule) (eta \(halving.eta)), "
                         + "\(halving.goal.rawValue) \(halving.metric.rawValue), "
                         + (halving.resource == .seeds ? "guard alpha \(halving.alpha), " : "rank only (no guard), ")
                         + "confirm \(halving.confirm)")
            let seeds = HalvingSearch.confirmationSeeds(experiment)
            if !seeds.isEmpty {
                lines.append("confirmation seeds (never used in selection): "
                             + seeds.map(String.init).joined(separator: ", "))
            }
        }
        let configurations = experiment.configurations
        guard experiment.method != .grid || experiment.halving != nil, !configurations.isEmpty else { return lines }
        let keys = configurations[0].values.map(\.key)
        let rows = configurations.map { configuration in
            [configuration.name.isEmpty ? "\(configuration.index)" : configuration.name]
                + configuration.values.map(\.value.description)
        }
        lines.append("")
        lines.append("\(configurations.count) configuration\(configurations.count == 1 ? "" : "s"):")
        lines.append(ComparisonRenderer.table(header: ["configuration"] + keys.map(\.rawValue), rows: rows))
        if experiment.halving != nil { lines.append("runs of the first round:") }
        return lines
    }
}
