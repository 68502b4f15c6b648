import PopCodeSVG
import Foundation

/// Final test-set metrics by configuration: each seed a dot, the mean a square with
/// ± sd whiskers (for two or more seeds), configurations along x in sweep order.
enum ReportFinals {
    static let metrics: [(title: String, metric: ReportMetric)] = [
        ("Test MSE", .testMSE), ("Variance explained", .varianceExplained), ("Cubic R² of latents from m̂", .r2Cubic),
    ]

    static func section(_ sweep: ReportSweep) -> [Markup] {
        let shown = sweep.configurations.filter { $0.group.n > 0 }
        guard !shown.isEmpty else {
            return [HTML.text("p", "No run completed, so there are no final metrics to plot.", class: "note")]
        }
        let charts = metrics.map { chart($0.title, $0.metric, sweep: sweep, configurations: shown).svg() }
        let failed = sweep.runs.filter { $0.status != .completed }.count
        var caption = "Dots: single seeds; squares: mean over seeds, whiskers ± 1 sd (shown for two or more seeds)."
        if failed > 0 {
            caption += failed == 1 ? " One run has no final metrics (failed or unfinished); the table lists it."
                : " \(failed) runs have no final metrics (failed or unfinished); the table lists them."
        }
        return [HTML.figure([HTML.element("div", class: "grid3", charts)], caption: caption)]
    }

    static func chart(_ title: String, _ metric: ReportMetric, sweep: ReportSweep,
                      configurations: [ReportSweep.Configuration]) -> Chart {
        var dotsX: [Double] = [], dotsY: [Double] = [], dotColors: [RGB?] = []
        var barX: [Double] = [], centers: [Double] = [], spreads: [Double] = [], barColors: [RGB] = []
        for (position, configuration) in configurations.enumerated() {
            let group = configuration.group
            let values = (group.samples[metric.metric] ?? []).filter(\.isFinite)
            for (k, value) in values.enumerated() {
                // Spread the seeds sideways a little so equal values stay visible.
                let offset = values.count > 1 ? (Double(k) / Double(values.count - 1) - 0.5) * 0.3 : 0
                dotsX.append(Double(position) + offset - 0.12)
                dotsY.append(value)
                dotColors.append(configuration.color)
            }
            if let mean = group.mean[metric.metric], mean.isFinite {
                barX.append(Double(position) + 0.18)
                centers.append(mean)
                spreads.append(group.sd[metric.metric] ?? 0)
                barColors.append(configuration.color)
            }
        }
        let ticks = configurations.enumerated().map { Axis.Tick(Double($0.offset), $0.element.label.replacingOccurrences(of: ", ", with: "\n")) }
        var chart = Chart(title: title, width: 380, height: 300,
                          x: Axis("configuration", ticks: .fixed(ticks), grid: false),
                          y: Axis(metric.name, unit: metric.unit),
                          marks: [PointMark(x: dotsX, y: dotsY, colors: dotColors, radius: 3, opacity: 0.75),
                                  ErrorBarMark(x: barX, center: centers, spread: spreads, colors: barColors)])
        chart.xDomain = -0.6...(Double(configurations.count) - 0.4)
        chart.yPadding = 0.04
        return chart
    }
}
