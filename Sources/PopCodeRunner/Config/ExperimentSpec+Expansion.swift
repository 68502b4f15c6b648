import PopCode

extension ExperimentSpec {
    /// The number of runs: the product of the axes' value counts (1 with no axes),
    /// `Int.max` if that overflows.
    public var runCount: Int {
        if halving != nil || method != .grid { return expand().count }
        var count = 1
        for axis in axes {
            let (product, overflow) = count.multipliedReportingOverflow(by: axis.values.count)
            if overflow { return .max }
            count = product
        }
        return count
    }

    /// The runs of the experiment: the Cartesian product of the axes in file order, the
    /// first axis outermost and the last varying fastest, each over `RunSpec()`'s defaults
    /// with the fixed values set.
    ///
    /// Pure: the same spec gives the same runs in the same order with the same ids. Run
    /// `i` takes value `⌊i / (n_{k+1} ⋯ n_m)⌋ mod n_k` of axis `k` (axes `1…m` with `n_k`
    /// values). The label is `key=value` for each axis joined by `,` (`seed=0,sigma=0.18`),
    /// with values as in `SpecValue.description`, `run` when there is no axis; any character
    /// outside `[A-Za-z0-9._=,+-]` becomes `_`, and a label longer than 120 characters is cut
    /// to 100 and ended with `-` and the run id, so it stays a valid, unique folder name.
    ///
    /// A key that does not apply to a run (the mdl model's `code_weight` in a run of
    /// `model: bottleneck`, in a sweep over `model`) keeps its default in that run and is left
    /// out of its label; runs that thereby equal an earlier one are listed once, at the
    /// first place (so `runCount` is an upper bound of the number of runs).
    ///
    /// Expansion does not validate; `ExperimentLoader` and `applying(overrides:)` only return
    /// specs whose every run is valid.
    public func expand() -> [PlannedRun] {
        if halving != nil { return HalvingSearch.firstRound(of: self) }
        if method != .grid {
            var runs: [PlannedRun] = []
            var seen: Set<String> = []
            for configuration in configurations {
                for seed in seeds {
                    let run = run(index: runs.count, configuration: configuration, seed: seed, showSeed: seedIsListed)
                    if seen.insert(run.id).inserted { runs.append(run) }
                }
            }
            return runs
        }
        var base = RunSpec()
        for value in fixed { base.set(value.key, to: value.value) }
        let axes = self.axes
        let count = runCount
        guard count > 0 else { return [] }
        var runs: [PlannedRun] = []
        runs.reserveCapacity(count)
        var indices = [Int](repeating: 0, count: axes.count)
        var seen: Set<String> = []
        for _ in 0..<count {
            var spec = base
            for (axis, position) in zip(axes, indices) { spec.set(axis.key, to: axis.values[position]) }
            let swept = axes.filter { spec.applies($0.key) }
                .map { ParameterValue(key: $0.key, value: spec.value(for: $0.key)) }
            spec = spec.normalized
            let id = spec.id
            if seen.insert(id).inserted {
                let label = Self.label(swept.map { ($0.key.rawValue, $0.value.description) })
                runs.append(PlannedRun(index: runs.count, spec: spec, id: id,
                                       label: Self.safeLabel(label, id: id), sweptValues: swept))
            }
            for axis in indices.indices.reversed() {
                indices[axis] += 1
                if indices[axis] < axes[axis].values.count { break }
                indices[axis] = 0
            }
        }
        return runs
    }

    /// `label` made a valid, unique folder name: `run` when empty, bytes outside
    /// `[A-Za-z0-9._=,+-]` as `_`, cut to 100 bytes and ended with `-<id>` beyond 120.
    static func safeLabel(_ label: String, id: String) -> String {
        guard !label.isEmpty else { return "run" }
        var label = label
        if !label.utf8.allSatisfy(isLabelByte) {
            label = String(decoding: label.utf8.map { isLabelByte($0) ? $0 : UInt8(ascii: "_") }, as: UTF8.self)
        }
        guard label.utf8.count > 120 else { return label }
        return String(decoding: label.utf8.prefix(100), as: UTF8.self) + "-" + id
    }

    /// Whether `byte` may appear in a label: `[A-Za-z0-9._=,+-]`.
    private static func isLabelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
