import PopCodeSVG
import PopCode

/// The comparison tables: one row per run (failed, unfinished and unreadable runs
/// included, with their reason), one per configuration with mean ± sd over its seeds, and
/// each configuration against the first with Welch's t-test — the numbers of the
/// comparison layer, laid out as HTML.
enum ReportTables {
    /// Up to this many runs, the report shows the table of every run unfolded.
    static let unfoldedRunsLimit = 30
    /// At most this many rows in the report's table of runs (a row is about half a kilobyte:
    /// 10,000 of them would make the page several megabytes); comparison.csv has every run.
    static let reportRowsLimit = 1000

    /// The report's table of runs: unfolded for a few runs; for more, folded in a
    /// `<details>` under a summary line, and for very many (`reportRowsLimit`) only the runs
    /// that did not complete and then the first completed ones, in plan order, with a note.
    static func runsSection(_ sweep: ReportSweep, detail: Int?) -> [Markup] {
        let shown = rowsShown(sweep, limit: reportRowsLimit)
        let table = runs(sweep, detail: detail, only: shown)
        guard sweep.runs.count > unfoldedRunsLimit else { return [table] }
        let notCompleted = sweep.runs.filter { $0.status != .completed }.count
        var summary = "Every run: \(sweep.runs.count) rows"
        if notCompleted > 0 { summary += ", \(notCompleted) not completed" }
        var content = [table]
        if shown.count < sweep.runs.count {
            summary = "\(shown.count) of the \(sweep.runs.count) runs"
            content.insert(HTML.text("p", "The table shows \(shown.count) of \(sweep.runs.count) runs: every run that did not "
                                     + "complete, then the completed ones in plan order. comparison.csv, beside this report, "
                                     + "has one row per run.", class: "sub"), at: 0)
        }
        return [HTML.element("details", class: "runs", [HTML.text("summary", summary + " (click to unfold)")] + content)]
    }

    /// The indices of the runs a table of at most `limit` rows shows, in plan order: all when
    /// they fit, else those that did not complete first, then completed ones in plan order.
    static func rowsShown(_ sweep: ReportSweep, limit: Int) -> [Int] {
        guard sweep.runs.count > limit else { return Array(sweep.runs.indices) }
        let notCompleted = sweep.runs.indices.filter { sweep.runs[$0].status != .completed }.prefix(limit)
        let completed = sweep.runs.indices.filter { sweep.runs[$0].status == .completed }.prefix(limit - notCompleted.count)
        return (notCompleted + completed).sorted()
    }

    /// `link` gives a run's page, for tables whose names link to one (the dashboard);
    /// `only` the runs to list (default: all).
    static func runs(_ sweep: ReportSweep, detail: Int?, link: ((ReportRun) -> String)? = nil, only: [Int]? = nil) -> Markup {
        let metrics = ReportMetric.tableColumns
        let header = [HTML.text("th", "run", class: "name"), HTML.text("th", "status", class: "status")]
            + sweep.varyingKeys.map { HTML.text("th", $0) }
            + [metrics[0].headerCell, metrics[1].headerCell, headerCell("singular values", unit: "of m̂")]
            + metrics.dropFirst(2).map(\.headerCell)
        let rows = (only ?? Array(sweep.runs.indices)).map { row(sweep, $0, detail: detail, link: link) }
        return HTML.table(class: "runs", header: header, rows: rows)
    }

    private static func row(_ sweep: ReportSweep, _ index: Int, detail: Int?, link: ((ReportRun) -> String)?) -> Markup {
        let run = sweep.runs[index]
        let comparisonRow = sweep.row(ofRun: index)
        var cells = [nameCell(sweep, index, detail: detail, link: link), HTML.text("td", statusText(run), class: "status")]
        cells += sweep.varyingKeys.indices.map { k in HTML.text("td", comparisonRow?.swept[k] ?? "") }
        let metrics = ReportMetric.tableColumns
        if let comparisonRow, comparisonRow.status == .completed, let final = run.final {
            let values = metrics.map { $0.text(comparisonRow.values[$0.metric]) }
            let singular = final.singularValues.map { TickFormat.number($0, digits: 3) }.joined(separator: ", ")
            cells += [HTML.text("td", values[0]), HTML.text("td", values[1]), HTML.text("td", singular)]
            cells += values.dropFirst(2).map { HTML.text("td", $0) }
        } else {
            cells.append(HTML.element("td", class: "reason", attributes: [.init("colspan", "\(metrics.count + 1)")],
                                      [.text(reason(run))]))
        }
        return HTML.element("tr", class: run.status.rawValue, attributes: [.init("data-run", run.qualifiedName)], cells)
    }

    static func configurations(_ sweep: ReportSweep) -> Markup {
        let metrics = ReportMetric.tableColumns
        let header = [HTML.text("th", "configuration", class: "name"), headerCell("seeds", unit: "completed")]
            + metrics.map(\.headerCell)
        let rows = sweep.configurations.map { configuration -> Markup in
            let group = configuration.group
            var count = "\(group.n)"
            if group.failed > 0 { count += " (+\(group.failed) failed)" }
            var cells = [swatched(configuration.label, configuration.color), HTML.text("td", count)]
            cells += metrics.map { metric in
                HTML.text("td", metric.text(mean: group.mean[metric.metric], sd: group.sd[metric.metric]))
            }
            return HTML.element("tr", class: group.n == 0 ? "failed" : nil, cells)
        }
        return HTML.table(class: "configurations", header: header, rows: rows)
    }

    /// Each contrast of the completed runs' comparison: the difference of means (B − A)
    /// and, where both sides have two or more seeds, the two-sided Welch t-test p-value.
    static func contrasts(_ sweep: ReportSweep) -> Markup? {
        let contrasts = sweep.completedComparison.contrasts
        guard !contrasts.isEmpty else { return nil }
        let metrics = ReportMetric.tableColumns.filter { $0.metric != .trainSeconds }
        let header = [HTML.text("th", "B", class: "name"), HTML.text("th", "against A", class: "name")]
            + metrics.map { headerCell("Δ " + $0.name, unit: "B − A (p)") }
        let rows = contrasts.map { contrast -> Markup in
            var cells = [HTML.text("td", contrast.b, class: "name"), HTML.text("td", contrast.a, class: "name")]
            cells += metrics.map { metric in
                let difference = contrast.difference(metric.metric)
                var text = (difference.map { $0 > 0 } == true ? "+" : "") + metric.text(difference)
                if text != "—", let p = contrast.p[metric.metric], p.isFinite { text += " (p \(pValue(p)))" }
                return HTML.text("td", text)
            }
            return HTML.element("tr", cells)
        }
        return HTML.table(class: "contrasts", header: header, rows: rows)
    }

    /// A p-value to two significant digits, `< 0.001` below that.
    static func pValue(_ p: Double) -> String {
        p < 0.001 ? "< 0.001" : TickFormat.number(p, digits: 2)
    }

    /// A column header with its unit on a second, lighter line.
    static func headerCell(_ name: String, unit: String?) -> Markup {
        HTML.element("th", [.text(name)] + (unit.map { [HTML.text("span", $0, class: "unit")] } ?? []))
    }

    static func statusText(_ run: ReportRun) -> String {
        switch run.status {
        case .completed: "completed"
        case .failed: "✗ failed"
        case .unreadable: "✗ unreadable"
        case .unfinished: "unfinished"
        }
    }

    /// Why a run has no final metrics, with the epoch it failed at when the reason does not say.
    static func reason(_ run: ReportRun) -> String {
        if let error = run.metrics?.error {
            guard let epoch = error.epoch, !error.reason.contains("epoch") else { return error.reason }
            return "\(error.reason) (epoch \(epoch))"
        }
        if run.metrics?.status == .completed { return "no final metrics recorded" }
        return run.problem ?? "no result"
    }

    private static func nameCell(_ sweep: ReportSweep, _ index: Int, detail: Int?,
                                 link: ((ReportRun) -> String)?) -> Markup {
        let run = sweep.runs[index]
        let color = sweep.configuration(ofRun: index)?.color ?? RGB(hex: 0xbbbbbb)
        let name: Markup = link.map { HTML.element("a", attributes: [.init("href", $0(run))], [.text(sweep.displayName(run))]) }
            ?? .text(sweep.displayName(run))
        var cell = swatched(name, color)
        if index == detail {
            cell = cell.appending([HTML.element("a", attributes: [.init("href", "#run")], [.text(" ▸ details")])])
        }
        return cell
    }

    private static func swatched(_ name: String, _ color: RGB) -> Markup {
        swatched(.text(name), color)
    }

    private static func swatched(_ name: Markup, _ color: RGB) -> Markup {
        HTML.element("td", class: "name", [
            HTML.element("span", class: "swatch", attributes: [.init("style", "background:\(color.css)")]),
            name,
        ])
    }
}
