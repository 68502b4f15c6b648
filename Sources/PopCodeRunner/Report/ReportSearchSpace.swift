import PopCodeSVG
import Foundation
import PopCode

/// The report's plots of a search space: a parallel-coordinates plot of every configuration
/// of a sampled (or halving) search, coloured by the metric, and one slice plot per key —
/// the metric against the key's value, mean ± sd over seeds, on a logarithmic axis for keys
/// drawn from `loguniform` (or `int` with `log: true`).
///
/// Everything comes from the experiment record (its configurations, the laws they were
/// drawn from, which runs belong to which configuration) and the runs' metrics.json.
enum ReportSearchSpace {
    /// How a key's axis maps values.
    enum Scale: Equatable {
        /// Linear over the law's bounds (nil: the values' extent).
        case linear(ClosedRange<Double>?)
        /// `log₁₀` of the values, over `log₁₀` of the law's bounds.
        case logarithmic(ClosedRange<Double>)
        /// One position per value, in this order.
        case categories([String])
    }

    struct Key {
        let key: RunSpec.CodingKeys
        let scale: Scale

        /// Where `value` sits on this key's axis (NaN when it cannot).
        func position(_ value: SpecValue?) -> Double {
            guard let value else { return .nan }
            switch scale {
            case .linear: return value.doubleValue ?? .nan
            case .logarithmic: return value.doubleValue.map { $0 > 0 ? log10($0) : .nan } ?? .nan
            case .categories(let names): return names.firstIndex(of: value.description).map(Double.init) ?? .nan
            }
        }

        var axis: Axis {
            switch scale {
            case .linear: Axis(key.rawValue)
            case .logarithmic: Axis(key.rawValue, unit: "log scale", ticks: .logarithmic)
            case .categories(let names):
                Axis(key.rawValue, ticks: .fixed(names.enumerated().map { Axis.Tick(Double($0.offset), $0.element) }), grid: false)
            }
        }

        var domain: ClosedRange<Double>? {
            switch scale {
            case .linear(let range): range
            case .logarithmic(let range): range
            case .categories(let names): -0.5...(Double(names.count) - 0.5)
            }
        }
    }

    /// One configuration and the metric of its finished runs.
    struct Point {
        let configuration: SearchConfiguration
        let values: [Double]
        var mean: Double? { values.isEmpty ? nil : Statistics.mean(values) }
        var sd: Double? { values.count >= 2 ? Statistics.standardDeviation(values) : nil }
        func value(of key: RunSpec.CodingKeys) -> SpecValue? {
            configuration.values.first { $0.key == key }?.value
        }
    }

    /// What the plots show.
    struct Space {
        let metric: ComparisonMetric
        let goal: HalvingSettings.Goal
        let keys: [Key]
        let points: [Point]
        let winner: Int?
        /// Which runs each point's values come from, for the captions.
        let basis: String
    }

    /// The space of the search recorded in `record`, with the metrics of `runs`; nil for a
    /// plain grid (its tables say it all) or a search of fewer than two configurations.
    static func space(_ record: ExperimentRecord, runs: [ReportRun]) -> Space? {
        let experiment = record.experiment
        let state = record.search
        guard experiment.method != .grid || state != nil else { return nil }
        let configurations = state?.configurations ?? experiment.configurations
        guard configurations.count >= 2, let first = configurations.first else { return nil }
        let metric = state?.metric ?? experiment.halving?.metric ?? .testMSE
        let goal = state?.goal ?? (metric.largerIsBetter == true ? .maximize : .minimize)

        let laws = Dictionary(experiment.sampled.map { ($0.key, $0.distribution) }, uniquingKeysWith: { a, _ in a })
        let keys = first.values.map(\.key).map { key -> Key in
            let values = configurations.compactMap { c in c.values.first { $0.key == key }?.value }
            return Key(key: key, scale: scale(laws[key], values: values))
        }

        // The runs of each configuration: those of the search's rounds (for a halving over
        // epochs, the first round, where every configuration had the same epochs), or every
        // seed of a sampled search.
        var members = [[String]](repeating: [], count: configurations.count)
        let basis: String
        if let state {
            for run in state.runs where run.round != nil && (state.resource == .seeds || run.round == 0) {
                members[run.configuration].append(run.run.id)
            }
            basis = state.resource == .seeds
                ? "over the seeds of the last round it reached (survivors have more)"
                : "after round 1 (\(state.schedule[0]) epochs, the budget every configuration got), over its seeds"
        } else {
            for c in configurations {
                members[c.index] = experiment.seeds.map {
                    experiment.run(index: 0, configuration: c, seed: $0, showSeed: experiment.seedIsListed).id
                }
            }
            basis = "over its seeds"
        }
        var value: [String: Double] = [:]
        for run in runs {
            guard let metrics = run.metrics, metrics.status == .completed,
                  let v = metric.value(in: metrics), v.isFinite else { continue }
            value[metrics.id] = v
        }
        let points = configurations.map { c in Point(configuration: c, values: members[c.index].compactMap { value[$0] }) }
        return Space(metric: metric, goal: goal, keys: keys, points: points, winner: state?.winner?.configuration,
                     basis: basis)
    }

    /// The axis of a key drawn from `law` (nil: a listed key) taking `values`.
    static func scale(_ law: Distribution?, values: [SpecValue]) -> Scale {
        switch law {
        case .uniform(let a, let b)?: return .linear(a...b)
        case .logUniform(let a, let b)?: return .logarithmic(log10(a)...log10(b))
        case .integer(let a, let b, let log)?:
            return log ? .logarithmic(log10(Double(a))...log10(Double(b))) : .linear(Double(a)...Double(b))
        case .choice(let options)?: return .categories(options.map(\.description))
        case nil:
            if values.allSatisfy({ $0.doubleValue != nil }) { return .linear(nil) }
            var names: [String] = []
            for value in values where !names.contains(value.description) { names.append(value.description) }
            return .categories(names)
        }
    }

    /// Every configuration as a line across the keys' axes and the metric's, coloured by the
    /// metric; the best drawn last (on top).
    static func parallelCoordinates(_ space: Space) -> ParallelCoordinates {
        let better: (Double, Double) -> Bool = space.goal == .minimize ? { $0 < $1 } : { $0 > $1 }
        // Worst first; configurations without a value first of all (grey, underneath).
        let order = space.points.indices.sorted { i, j in
            switch (space.points[i].mean, space.points[j].mean) {
            case let (a?, b?): a != b ? better(b, a) : i < j
            case (nil, _?): true
            case (_?, nil): false
            case (nil, nil): i < j
            }
        }
        let points = order.map { space.points[$0] }
        var dimensions = space.keys.map { key in
            ParallelCoordinates.Dimension(axis: key.axis, values: points.map { key.position($0.value(of: key.key)) },
                                          domain: key.domain)
        }
        dimensions.append(.init(axis: Axis(space.metric.rawValue), values: points.map { $0.mean ?? .nan }))
        let labels = points.map { point in
            let values = point.configuration.values.map { "\($0.key.rawValue)=\(TickFormat.number($0.value.doubleValue ?? .nan, digits: 4))" }
            return point.configuration.name + " (" + values.joined(separator: ", ") + "): "
                + (point.mean.map { "\(space.metric.rawValue) \(TickFormat.number($0, digits: 4))" } ?? "no result")
        }
        return ParallelCoordinates(title: "Configurations of the search", width: max(520, 170 * Double(dimensions.count)),
                                   height: 340, dimensions: dimensions, colorValues: points.map(\.mean),
                                   colorAxis: Axis("mean \(space.metric.rawValue)"), labels: labels)
    }

    /// The metric against one key: each seed a dot, the mean a square with ± sd whiskers; the
    /// winner's in the second colour.
    static func slice(_ space: Space, key: Key) -> Chart {
        var dotsX: [Double] = [], dotsY: [Double] = []
        var barX: [Double] = [], centers: [Double] = [], spreads: [Double] = [], colors: [RGB] = []
        for point in space.points {
            let x = key.position(point.value(of: key.key))
            guard x.isFinite, let mean = point.mean else { continue }
            dotsX += point.values.map { _ in x }
            dotsY += point.values
            barX.append(x)
            centers.append(mean)
            spreads.append(point.sd ?? 0)
            colors.append(point.configuration.index == space.winner ? Palette.color(1) : Palette.color(0))
        }
        var chart = Chart(title: "\(space.metric.rawValue) against \(key.key.rawValue)", width: 380, height: 280,
                          x: key.axis, y: Axis(space.metric.rawValue),
                          marks: [PointMark(x: dotsX, y: dotsY, colors: [SVG.muted], radius: 2, opacity: 0.5),
                                  ErrorBarMark(x: barX, center: centers, spread: spreads, colors: colors, capWidth: 6)])
        chart.xDomain = key.domain
        chart.yPadding = 0.04
        return chart
    }

    /// The section: the parallel coordinates and the slices, or nothing (see `space`).
    static func section(_ record: ExperimentRecord?, runs: [ReportRun]) -> [Markup] {
        guard let record, let space = space(record, runs: runs) else { return [] }
        let unit = space.goal == .minimize ? "lower is better" : "higher is better"
        let logKeys = space.keys.filter { if case .logarithmic = $0.scale { true } else { false } }.map(\.key.rawValue)
        var sliceCaption = "Each configuration's mean \(space.metric.rawValue) \(space.basis) (squares, whiskers ± 1 sd "
            + "for two or more seeds; dots: single seeds) against each key"
        sliceCaption += logKeys.isEmpty ? "." : "; " + logKeys.joined(separator: ", ")
            + (logKeys.count == 1 ? " is" : " are") + " drawn on a log axis, as "
            + (logKeys.count == 1 ? "it was" : "they were") + " sampled."
        if space.winner != nil { sliceCaption += " The winner is in orange." }
        let slices = space.keys.map { slice(space, key: $0).svg() }
        return [HTML.element("section", id: "search-space", [
            HTML.text("h2", "Search space"),
            HTML.figure([parallelCoordinates(space).svg()],
                        caption: "One line per configuration (\(space.points.count)) through its value of each key "
                            + "and its mean \(space.metric.rawValue) \(space.basis), coloured by that mean (\(unit)); "
                            + "grey: no result yet (or failed). The best lie on top."),
            HTML.figure([HTML.element("div", class: "grid3", slices)], caption: sliceCaption),
        ])]
    }
}
