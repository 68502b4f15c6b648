import PopCode

/// One configuration of a search: the values of the keys that define it (drawn, or a grid
/// point of the listed keys other than `seed`); its runs differ only in seed (and, for a
/// halving over epochs, in epochs).
public struct SearchConfiguration: Sendable, Hashable, Codable {
    /// Position in the search's configuration order, from 0.
    public let index: Int
    /// How run labels name it: `cfg=07` for a sampled search (with any listed keys after
    /// it), the listed values for a grid (`lr=0.1,sigma=0.18`); empty for a single grid point.
    public let name: String
    /// The values that define it, in file order.
    public let values: [ParameterValue]

    public init(index: Int, name: String, values: [ParameterValue]) {
        self.index = index
        self.name = name
        self.values = values
    }
}

extension ExperimentSpec {
    /// How many configurations a sampled search may draw in all while skipping repeats,
    /// per configuration asked for.
    static let drawAttemptsPerSample = 1000

    /// The sampled values of each configuration (keys as in `sampled`), or nil when
    /// `drawAttemptsPerSample × samples` draws do not give `samples` distinct ones.
    ///
    /// `random`: configuration after configuration, one `nextDouble()` of
    /// `RandomGenerator(seed: search.seed)` (numpy's `default_rng(seed).random()`) per
    /// sampled key in file order, mapped by `Distribution.value(at:)`. `sobol`: point
    /// `0, 1, 2, …` of `SobolSequence(dimensions: keys, scrambleSeed: search.seed)`, one
    /// coordinate per key. A configuration equal to an earlier one is skipped and the
    /// next draw (next point) taken instead, so the result is a pure function of the file.
    func sampledPoints() -> [[SpecValue]]? {
        let laws = sampled.map(\.distribution)
        guard let samples = search?.samples, method != .grid, !laws.isEmpty else { return [] }
        let seed = UInt64(search?.seed ?? 0)
        var random = RandomGenerator(seed: seed)
        let sobol = method == .sobol ? SobolSequence(dimensions: laws.count, scrambleSeed: seed) : nil
        var seen: Set<[SpecValue]> = []
        var points: [[SpecValue]] = []
        var draw = 0
        while points.count < samples {
            guard draw < samples * Self.drawAttemptsPerSample else { return nil }
            let u = sobol?.point(draw) ?? laws.map { _ in random.nextDouble() }
            draw += 1
            let values = zip(laws, u).map { $0.value(at: $1) }
            if seen.insert(values).inserted { points.append(values) }
        }
        return points
    }

    /// The configurations, in order: for a sampled search, each drawn point (in draw
    /// order) crossed with the grid of listed keys other than `seed`, the drawn point
    /// outermost; for a grid, the grid of listed keys other than `seed` in file order.
    /// Pure: the same file gives the same configurations.
    public var configurations: [SearchConfiguration] {
        let axes = self.axes.filter { $0.key != .seed }
        let grid = Self.product(axes)
        guard method != .grid else {
            return grid.enumerated().map { index, values in
                SearchConfiguration(index: index, name: Self.label(values.map { ($0.key.rawValue, $0.value.description) }),
                              values: Self.inFileOrder(values, parameters))
            }
        }
        let keys = sampled.map(\.key)
        let points = sampledPoints() ?? []
        let width = Swift.max(2, String(Swift.max(points.count * grid.count - 1, 0)).count)
        var result: [SearchConfiguration] = []
        for point in points {
            for values in grid {
                let index = result.count
                let number = String(index)
                let name = "cfg=" + String(repeating: "0", count: Swift.max(0, width - number.count)) + number
                let drawn = zip(keys, point).map { ParameterValue(key: $0, value: $1) }
                let label = Self.label([("", name)] + values.map { ($0.key.rawValue, $0.value.description) })
                result.append(SearchConfiguration(index: index, name: label,
                                            values: Self.inFileOrder(drawn + values, parameters)))
            }
        }
        return result
    }

    /// The seeds each configuration runs with, outside a halving over seeds: the listed
    /// seeds, or the one fixed (or default) seed.
    public var seeds: [Int] {
        if let axis = axes.first(where: { $0.key == .seed }) { return axis.values.compactMap(\.intValue) }
        return [fixed.first(where: { $0.key == .seed })?.value.intValue ?? RunSpec().seed]
    }

    /// Whether `seed` is a list (so run labels name it).
    var seedIsListed: Bool { axes.contains { $0.key == .seed } }

    /// The run of `configuration` with `seed` (and `epochs`, when given): the fixed values
    /// over `RunSpec()`'s defaults, then the configuration's values. Its label is the
    /// configuration's name, then `seed=` when seeds vary, then `epochs=` when epochs vary
    /// (`cfg=07,seed=1`, `cfg=03,seed=0,epochs=75`).
    public func run(index: Int, configuration: SearchConfiguration, seed: Int, showSeed: Bool,
                    epochs: Int? = nil) -> PlannedRun {
        var spec = RunSpec()
        for value in fixed { spec.set(value.key, to: value.value) }
        for value in configuration.values { spec.set(value.key, to: value.value) }
        spec.seed = seed
        if let epochs { spec.epochs = epochs }
        spec = spec.normalized
        var components = configuration.name.isEmpty ? [] : [("", configuration.name)]
        var swept = configuration.values
        if showSeed {
            components.append(("seed", "\(seed)"))
            swept.append(ParameterValue(key: .seed, value: .int(seed)))
        }
        if let epochs {
            components.append(("epochs", "\(epochs)"))
            swept.append(ParameterValue(key: .epochs, value: .int(epochs)))
        }
        let id = spec.id
        return PlannedRun(index: index, spec: spec, id: id, label: Self.safeLabel(Self.label(components), id: id),
                          sweptValues: swept)
    }

    /// `key=value` pairs joined by `,`; a pair with an empty key is written as its value.
    static func label(_ components: [(key: String, value: String)]) -> String {
        components.map { $0.key.isEmpty ? $0.value : "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// The Cartesian product of `axes`, the first outermost.
    static func product(_ axes: [SweepAxis]) -> [[ParameterValue]] {
        axes.reduce([[]]) { partial, axis in
            partial.flatMap { prefix in axis.values.map { prefix + [ParameterValue(key: axis.key, value: $0)] } }
        }
    }

    /// `values` sorted by their key's position in `parameters`.
    private static func inFileOrder(_ values: [ParameterValue], _ parameters: [Parameter]) -> [ParameterValue] {
        let rank = Dictionary(uniqueKeysWithValues: parameters.enumerated().map { ($1.key, $0) })
        return values.sorted { rank[$0.key, default: .max] < rank[$1.key, default: .max] }
    }
}
