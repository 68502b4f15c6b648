import PopCodeRunner

/// The text of `popcode run --dry-run`: the expanded runs, their ids and their state.
/// Long sweeps are abbreviated: an axis shows its first and last values and its count, and
/// the table its first and last runs (`--index N` shows any one run).
enum SweepPlanText {
    /// Axes with more values than this show only their first and last few.
    static let axisValuesShown = 12
    /// Tables with more runs than this show only the first and last few.
    static let runsShown = 40

    /// `values` joined by commas, or for a long list `a, b, c, d, e, …, y, z (N values)`.
    static func abbreviated(_ values: [String]) -> String {
        guard values.count > axisValuesShown else { return values.joined(separator: ", ") }
        return (values.prefix(5) + ["…"] + values.suffix(2)).joined(separator: ", ") + " (\(values.count) values)"
    }

    static func describe(_ plan: Sweep, selected: [PlannedRun]) -> String {
        let count = "\(plan.runs.count) run\(plan.runs.count == 1 ? "" : "s")"
            + (plan.experiment.halving != nil ? " in the first round" : "")
        var lines = ["experiment \(plan.experiment.name): \(count) → \(plan.folder.relativePath)/"]
        let fixed = plan.experiment.fixed.map { "\($0.key.rawValue)=\($0.value)" }
        if !fixed.isEmpty { lines.append("fixed: " + fixed.joined(separator: ", ")) }
        for axis in plan.experiment.axes {
            lines.append("sweep \(axis.key.rawValue): " + abbreviated(axis.values.map(\.description)))
        }
        lines += SearchPlanText.describe(plan.experiment)
        let shown = selected.count > runsShown ? Array(selected.prefix(30)) + Array(selected.suffix(5)) : selected
        var rows = shown.map { run -> [String] in
            let state: String = switch plan.state(of: run) {
            case .completed: "completed (will skip)"
            case .otherNumerics(let m): "completed by numerics revision \(m.numericsRevision) (--force retrains)"
            case .failed: "failed (will retry)"
            case .resumable(let epoch): "checkpoint at epoch \(epoch) (will resume)"
            case .pending: "pending"
            case .conflict(let id): "folder holds another spec (\(id))"
            case .unreadable: "unreadable metrics.json"
            }
            return ["\(run.index)", run.id, run.label, state]
        }
        if shown.count < selected.count {
            rows.insert(["…", "", "(\(selected.count - shown.count) more runs; --index N shows run N)", ""], at: 30)
        }
        lines.append("")
        lines.append(ComparisonRenderer.table(header: ["index", "id", "run", "state"], rows: rows))
        return lines.joined(separator: "\n")
    }
}
