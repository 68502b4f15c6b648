import PopCodeSVG
import Foundation

/// The report's search section: a ladder plot of a halving search, each configuration's
/// mean metric after each round it reached (dropped configurations end where they left).
enum ReportSearch {
    /// The section for the search recorded in `folders`' experiment.json, or nothing.
    static func section(folders: [URL]) -> [Markup] {
        guard let state = RunCatalog.search(of: folders), let figure = figure(state) else { return [] }
        return [HTML.element("section", id: "search", [HTML.text("h2", "Search"), figure])]
    }

    /// The ladder with its caption, or nil before any round is decided.
    static func figure(_ state: SearchState) -> Markup? {
        guard let chart = ladder(state) else { return nil }
        return HTML.figure([chart.svg()], caption: "Each line is one configuration: its mean \(state.metric.rawValue) over "
                           + "the \(state.resource.rawValue) of each round it reached; lines stop where the configuration "
                           + "was dropped. The winner's line is thick.")
    }

    /// Configurations × rounds: x is the round's resource (seeds or epochs), y the mean.
    static func ladder(_ state: SearchState) -> Chart? {
        var means: [Int: [(Double, Double)]] = [:]
        for round in state.rounds {
            for decision in round.decision ?? [] {
                guard let mean = decision.mean else { continue }
                means[decision.configuration, default: []].append((Double(round.resource), mean))
            }
        }
        guard !means.isEmpty else { return nil }
        let winner = state.winner?.configuration
        let marks: [any ChartMark] = means.keys.sorted().map { c in
            let points = means[c]!
            return LineMark(x: points.map(\.0), y: points.map(\.1), color: Palette.color(c),
                            width: c == winner ? 3 : 1.2, opacity: c == winner ? 1 : 0.7,
                            label: state.configurations[c].name)
        }
        let ticks = state.schedule.map { Axis.Tick(Double($0), "\($0)") }
        return Chart(title: "Rounds of the search", width: 440, height: 300,
                     x: Axis(state.resource.rawValue, ticks: .fixed(ticks), grid: false),
                     y: Axis(state.metric.rawValue), marks: marks)
    }
}
