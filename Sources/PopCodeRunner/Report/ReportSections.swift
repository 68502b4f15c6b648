import PopCodeSVG
import PopCode

/// The report's sections one by one, for pages other than `report.html` (the dashboard of
/// `popcode serve`), so that both draw with the same code: tables, curves, final metrics,
/// one run's pictures, and the curves of runs still in training.
package enum ReportSections {
    /// The report's style sheet.
    package static var style: Markup { .trusted(ReportStyle.css) }

    /// One row per run; `link` gives the page a run's name links to.
    package static func runsTable(_ sweep: ReportSweep, link: ((ReportRun) -> String)? = nil) -> Markup {
        ReportTables.runs(sweep, detail: nil, link: link)
    }

    /// One row per configuration: mean ± sd over its seeds.
    package static func configurations(_ sweep: ReportSweep) -> Markup {
        ReportTables.configurations(sweep)
    }

    /// Each configuration against the first, nil when there is nothing to contrast.
    package static func contrasts(_ sweep: ReportSweep) -> Markup? {
        ReportTables.contrasts(sweep)
    }

    /// The training curves of the runs that have metrics.
    package static func curves(_ sweep: ReportSweep) -> [Markup] {
        ReportCurves.section(sweep)
    }

    /// Final metrics by configuration.
    package static func finals(_ sweep: ReportSweep) -> [Markup] {
        ReportFinals.section(sweep)
    }

    /// Facts and pictures of `sweep.runs[index]`.
    package static func runDetail(_ sweep: ReportSweep, index: Int, why: String) -> [Markup] {
        ReportRunDetail.section(sweep, detail: index, chosenByUser: true, why: why)
    }

    /// The pictures of a run's artifacts (inputs and reconstructions, m̂ projections and
    /// snapshots), for a run whose artifacts were read elsewhere.
    package static func figures(_ artifacts: RunArtifacts, singularValues: [Double]?) -> [Markup] {
        RunFigures(artifacts: artifacts, recordedSingularValues: singularValues).sections()
    }

    /// A halving search's state (experiment.json): a table of its rounds with their
    /// survivors, then the comparison's text of the whole search (dropped configurations
    /// with reason and p, the confirmation, the winner).
    package static func search(_ state: SearchState) -> [Markup] {
        let unit = state.resource == .seeds ? "seeds" : "epochs"
        let rows = state.rounds.map { round -> Markup in
            let survivors: String = switch round.decision {
            case nil: "running"
            case .some where round.isLast: "— (last round)"
            case .some: "\(round.survivors.count): "
                + round.survivors.map { state.configurations[$0].name }.joined(separator: "; ")
            }
            return HTML.element("tr", [
                HTML.text("td", "\(round.index + 1)"), HTML.text("td", "\(round.resource)"),
                HTML.text("td", "\(round.configurations.count)"), HTML.text("td", round.isLast ? "all" : "\(round.keep)"),
                HTML.text("td", survivors, class: "name"),
            ])
        }
        let table = HTML.table(class: "search", header: [
            HTML.text("th", "round"), HTML.text("th", unit), HTML.text("th", "configurations"),
            HTML.text("th", "kept by rank"), HTML.text("th", "survivors", class: "name"),
        ], rows: rows)
        return [HTML.text("p", "Phase: \(state.phase.rawValue)"
                          + (state.pending.isEmpty ? "" : "; waiting for \(state.pending.count) runs") + ".", class: "sub"),
                table, HTML.text("pre", ComparisonRenderer.searchSection(state, headings: false), class: "search")]
    }

    /// The report's plots of a search recorded in `record`: the ladder of a halving search,
    /// then the search space (parallel coordinates and slices) of a sampled or halving
    /// search, from the metrics of `sweep`'s runs; empty for a plain grid.
    package static func searchPlots(_ record: ExperimentRecord, sweep: ReportSweep) -> [Markup] {
        (record.search.flatMap(ReportSearch.figure).map { [$0] } ?? [])
            + ReportSearchSpace.section(record, runs: sweep.runs)
    }

    /// A run in training: its name and the history its last checkpoint (or worker) recorded.
    package struct LiveRun: Sendable {
        package var name: String
        package var history: History

        package init(name: String, history: History) {
            self.name = name
            self.history = history
        }
    }

    /// Loss and train MSE against epoch of runs still in training, one line each in the
    /// report's palette, as the report's curve charts draw them.
    package static func liveCurves(_ runs: [LiveRun]) -> [Markup] {
        let withPoints = runs.filter { !$0.history.epoch.isEmpty }
        guard !withPoints.isEmpty else { return [] }
        let charts = ReportCurves.quantities.prefix(2).map { quantity in
            let lines: [any ChartMark] = withPoints.enumerated().map { index, run in
                let values = quantity.values(run.history)
                let count = min(values.count, run.history.epoch.count)
                return LineMark(x: run.history.epoch.prefix(count).map { Double($0 + 1) }, y: Array(values.prefix(count)),
                                color: Palette.color(index), width: 1.6, label: run.name)
            }
            return Chart(title: quantity.title + " (in training)", width: 560, height: 300,
                         x: ReportCurves.epochAxis, y: quantity.axis, marks: lines).svg()
        }
        let legend = Legend(withPoints.enumerated().map { index, run in
            Legend.Entry(run.name, color: Palette.color(index), symbol: .line(dash: nil, thick: false))
        }, maxWidth: 1180)
        return [legend.svg(title: "Key to the curves of runs in training"),
                HTML.element("div", class: "grid", charts)]
    }

    /// A complete page with the report's style followed by `extraStyle`, and `script` at the
    /// end of the body (both constants).
    package static func page(title: String, body: [Markup], extraStyle: StaticString? = nil,
                             script: StaticString? = nil) -> String {
        HTML.page(title: title, style: .group([style] + (extraStyle.map { [.trusted($0)] } ?? [])),
                  body: body + (script.map { [Markup("script", children: [.trusted($0)])] } ?? []))
    }
}
