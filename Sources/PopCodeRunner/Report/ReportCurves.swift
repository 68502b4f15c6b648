import PopCodeSVG
import PopCode

/// Training curves against epoch: one thin line per run in its configuration's colour
/// (dashed for failed runs, which are clipped to the completed runs' range), and for each
/// configuration with several completed seeds the mean over seeds with a ± sd band.
enum ReportCurves {
    struct Quantity: Sendable {
        let title: String
        let axis: Axis
        let values: @Sendable (History) -> [Double]
    }

    static let quantities = [
        Quantity(title: "Training loss", axis: Axis("loss", unit: "½·SSE per image"), values: { $0.loss }),
        Quantity(title: "Train MSE", axis: Axis("MSE", unit: "per pixel"), values: { $0.mse }),
        Quantity(title: "Description length", axis: Axis("DL", unit: "bits per image"), values: { $0.dlBits }),
        Quantity(title: "Linear R² of latents from m̂", axis: Axis("R² linear (mean)"), values: { $0.r2LinearMean }),
    ]

    static let epochAxis = Axis("epochs trained")
    static let failedDash = "5 3"
    /// Above this many runs with a history, completed runs of configurations with a mean line
    /// are not drawn one by one (thousands of lines make pages of many megabytes and show
    /// nothing the mean ± sd does not).
    static let individualLinesLimit = 100

    static func section(_ sweep: ReportSweep) -> [Markup] {
        let withHistory = sweep.runs.indices.filter { !(sweep.runs[$0].metrics?.history?.epoch.isEmpty ?? true) }
        guard !withHistory.isEmpty else {
            return [HTML.text("p", "No run has a training history to plot.", class: "note")]
        }
        let charts = quantities.map { quantity in
            chart(quantity, sweep: sweep, runs: withHistory).svg()
        }
        let lines = withHistory.count > individualLinesLimit
            ? "With \(withHistory.count) runs, a thick line and band show the mean ± sd over the seeds of each configuration "
                + "that has two or more, and thin lines only the other runs. "
            : "One thin line per run, coloured by configuration; a thick line and band show the mean ± sd "
                + "over the seeds of a configuration where it has two or more. "
        return [
            legend(sweep, runs: withHistory).svg(title: "Key to the training curves"),
            HTML.figure([HTML.element("div", class: "grid", charts)],
                        caption: lines + "Failed runs are dashed and clipped. "
                            + "Loss is the epoch's mean minibatch loss; MSE, DL and R² are measured on the training set after each epoch."),
        ]
    }

    /// Runs of a configuration with a completed training history, by index into `sweep.runs`.
    private static func completedWithHistory(_ configuration: ReportSweep.Configuration, _ sweep: ReportSweep,
                                             _ runs: Set<Int>) -> [Int] {
        configuration.members.filter { runs.contains($0) && sweep.runs[$0].status == .completed }
    }

    static func chart(_ quantity: Quantity, sweep: ReportSweep, runs: [Int]) -> Chart {
        var bands: [any ChartMark] = [], lines: [any ChartMark] = [], means: [any ChartMark] = []
        let anyCompleted = runs.contains { sweep.runs[$0].status == .completed }
        let shown = Set(runs)
        // Completed runs with a history per configuration, counted once (not once per run).
        let completedCount = Dictionary(uniqueKeysWithValues: sweep.configurations.map {
            ($0.index, completedWithHistory($0, sweep, shown).count)
        })
        for index in runs {
            let run = sweep.runs[index]
            guard let history = run.metrics?.history, let configuration = sweep.configuration(ofRun: index) else { continue }
            let repeated = completedCount[configuration.index, default: 0] >= 2
            let failed = run.status != .completed
            if repeated && !failed && runs.count > individualLinesLimit { continue }
            lines.append(LineMark(
                x: history.epoch.map { Double($0 + 1) }, y: aligned(quantity.values(history), history.epoch.count),
                color: configuration.color, width: repeated ? 1 : 1.6,
                dash: failed ? failedDash : configuration.dash, opacity: repeated ? 0.45 : 1,
                definesDomain: !failed || !anyCompleted, label: sweep.displayName(run)))
        }
        for configuration in sweep.configurations {
            let members = completedWithHistory(configuration, sweep, shown)
            guard members.count >= 2 else { continue }
            let histories = members.compactMap { sweep.runs[$0].metrics?.history }
            let (epochs, mean, sd) = seedSummary(histories, quantity.values)
            let x = epochs.map { Double($0 + 1) }
            bands.append(BandMark(x: x, lower: zip(mean, sd).map { $0 - $1 }, upper: zip(mean, sd).map { $0 + $1 },
                                  color: configuration.color, opacity: 0.18))
            means.append(LineMark(x: x, y: mean, color: configuration.color, width: 2.6, dash: configuration.dash,
                                  label: "\(configuration.label): mean of \(members.count) seeds"))
        }
        return Chart(title: quantity.title, width: 560, height: 300, x: epochAxis, y: quantity.axis,
                     marks: bands + lines + means)
    }

    /// Mean and sample sd (the comparison layer's `Statistics`) over `histories` at the
    /// epochs all of them recorded, of the finite values (NaN where there are too few).
    static func seedSummary(_ histories: [History], _ values: (History) -> [Double])
        -> (epochs: [Int], mean: [Double], sd: [Double]) {
        let tables = histories.map { history in
            Dictionary(zip(history.epoch, aligned(values(history), history.epoch.count)), uniquingKeysWith: { a, _ in a })
        }
        var common = Set(tables.first?.keys ?? [:].keys)
        for table in tables.dropFirst() { common.formIntersection(table.keys) }
        let epochs = common.sorted()
        let samples = epochs.map { epoch in tables.map { $0[epoch]! }.filter(\.isFinite) }
        return (epochs, samples.map(Statistics.mean), samples.map(Statistics.standardDeviation))
    }

    /// `values` cut or padded with NaN to `count` (a damaged history must not crash the page).
    private static func aligned(_ values: [Double], _ count: Int) -> [Double] {
        values.count >= count ? Array(values.prefix(count)) : values + Array(repeating: .nan, count: count - values.count)
    }

    static func legend(_ sweep: ReportSweep, runs: [Int]) -> Legend {
        let shown = Set(runs)
        var entries = sweep.configurations.compactMap { configuration -> Legend.Entry? in
            guard configuration.members.contains(where: shown.contains) else { return nil }
            let n = completedWithHistory(configuration, sweep, shown).count
            return n >= 2
                ? Legend.Entry("\(configuration.label) (mean ± sd of \(n) seeds)", color: configuration.color,
                               symbol: .lineWithBand)
                : Legend.Entry(configuration.label, color: configuration.color,
                               symbol: .line(dash: configuration.dash, thick: false))
        }
        if runs.contains(where: { sweep.runs[$0].status != .completed }) {
            entries.append(Legend.Entry("failed run", color: RGB(hex: 0x777777), symbol: .line(dash: failedDash, thick: false)))
        }
        return Legend(entries, maxWidth: 1180)
    }
}
