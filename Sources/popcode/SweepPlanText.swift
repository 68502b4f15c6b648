import PopCodeRunner

/// The text of `popcode run --dry-run`: the expanded runs, their ids and their state.
enum SweepPlanText {
    static func describe(_ plan: Sweep, selected: [PlannedRun]) -> String {
        let count = "\(plan.runs.count) run\(plan.runs.count == 1 ? "" : "s")"
            + (plan.experiment.halving != nil ? " in the first round" : "")
        var lines = ["experiment \(plan.experiment.name): \(count) → \(plan.folder.relativePath)/"]
        let fixed = plan.experiment.fixed.map { "\($0.key.rawValue)=\($0.value)" }
        if !fixed.isEmpty { lines.append("fixed: " + fixed.joined(separator: ", ")) }
        for axis in plan.experiment.axes {
            lines.append("sweep \(axis.key.rawValue): " + axis.values.map(\.description).joined(separator: ", "))
        }
        lines += SearchPlanText.describe(plan.experiment)
        let rows = selected.map { run -> [String] in
            let state: String = switch plan.state(of: run) {
            case .completed: "completed (will skip)"
            case .failed: "failed (will retry)"
            case .resumable(let epoch): "checkpoint at epoch \(epoch) (will resume)"
            case .pending: "pending"
            case .conflict(let id): "folder holds another spec (\(id))"
            case .unreadable: "unreadable metrics.json"
            }
            return ["\(run.index)", run.id, run.label, state]
        }
        lines.append("")
        lines.append(ComparisonRenderer.table(header: ["index", "id", "run", "state"], rows: rows))
        return lines.joined(separator: "\n")
    }
}
