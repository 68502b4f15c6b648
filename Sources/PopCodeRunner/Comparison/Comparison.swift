import Foundation
import PopCode

/// The comparison of a set of runs: one row per run, groups that treat seeds as repeats
/// of one configuration, and contrasts between two runs or groups.
public struct Comparison: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var experiment: String
        public var label: String
        public var id: String
        public var status: MetricsDocument.Status
        /// Values of the keys that differ between the runs, in `sweptKeys` order.
        public var swept: [String]
        public var values: [ComparisonMetric: Double]
        public var failure: String?
    }

    public struct Group: Sendable, Hashable {
        /// The configuration: values of `groupKeys`, in order.
        public var key: [String]
        public var labels: [String]
        /// Completed runs in the group.
        public var n: Int
        public var failed: Int
        public var mean: [ComparisonMetric: Double]
        public var sd: [ComparisonMetric: Double]
        /// Each metric's values over the group's completed runs.
        public var samples: [ComparisonMetric: [Double]]
        public var name: String { key.isEmpty ? "all runs" : key.joined(separator: ",") }
    }

    /// B against A, metric by metric.
    public struct Contrast: Sendable, Hashable {
        public var a: String
        public var b: String
        public var aValues: [ComparisonMetric: Double]
        public var bValues: [ComparisonMetric: Double]
        /// Welch t-test p-values, when both sides have ≥ 2 completed seeds.
        public var p: [ComparisonMetric: Double]
        public func difference(_ metric: ComparisonMetric) -> Double? {
            guard let a = aValues[metric], let b = bValues[metric] else { return nil }
            return b - a
        }
    }

    public var metrics: [ComparisonMetric]
    /// Spec keys whose values differ between the runs.
    public var sweptKeys: [String]
    /// Keys that define a configuration (the swept keys less `seed`, unless chosen).
    public var groupKeys: [String]
    public var rows: [Row]
    public var groups: [Group]
    public var contrasts: [Contrast]
    /// A halving search's state, for the comparison's search section.
    public var search: SearchState?
    /// Lines saying how the runs' provenance differs (`provenanceWarnings`), shown above
    /// the tables; empty when the runs were computed alike.
    public var warnings: [String]

    public var failedCount: Int { rows.filter { $0.status == .failed }.count }

    /// Compares `records`. `groupBy` names the spec keys that define a configuration
    /// (default: every swept key except `seed`).
    public init(_ records: [RunRecord], groupBy: [String]? = nil,
                metrics: [ComparisonMetric] = ComparisonMetric.allCases, search: SearchState? = nil) {
        self.metrics = metrics
        self.search = search
        warnings = Self.provenanceWarnings(records.map(\.metrics))
        let specs = records.map { Self.keyValues($0.metrics.spec) }
        let multipleExperiments = Set(records.map(\.experiment)).count > 1
        // Keys that differ between runs, in the experiment file's order (from the experiment
        // records; from the run labels for folders written without one), then the rest.
        let keyOrder = Self.recordedKeyOrder(records) ?? Self.labelKeyOrder(records)
        let rank = Dictionary(keyOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let allKeys = RunSpec.CodingKeys.allCases.map(\.rawValue)
        var swept = allKeys.filter { key in Set(specs.map { $0[key] ?? "" }).count > 1 }
            .sorted { (rank[$0] ?? Int.max, allKeys.firstIndex(of: $0)!) < (rank[$1] ?? Int.max, allKeys.firstIndex(of: $1)!) }
        if multipleExperiments { swept.insert("experiment", at: 0) }
        sweptKeys = swept
        let groupKeys = groupBy ?? swept.filter { $0 != "seed" }
        self.groupKeys = groupKeys
        let metrics = metrics

        func lookup(_ index: Int, _ key: String) -> String {
            key == "experiment" ? records[index].experiment : specs[index][key] ?? "?"
        }
        let rows = records.indices.map { index in
            let record = records[index]
            var values: [ComparisonMetric: Double] = [:]
            for metric in metrics {
                if let v = metric.value(in: record.metrics) { values[metric] = v }
            }
            return Row(experiment: record.experiment, label: record.label, id: record.metrics.id,
                       status: record.metrics.status, swept: swept.map { lookup(index, $0) },
                       values: values, failure: record.metrics.error?.reason)
        }

        var order: [[String]] = []
        var members: [[String]: [Int]] = [:]
        for i in records.indices {
            let key = groupKeys.map { "\($0)=\(lookup(i, $0))" }
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(i)
        }
        let groups = order.map { key in
            let indices = members[key]!
            let completed = indices.filter { rows[$0].status == .completed }
            var mean: [ComparisonMetric: Double] = [:], sd: [ComparisonMetric: Double] = [:]
            var samples: [ComparisonMetric: [Double]] = [:]
            for metric in metrics {
                let values = completed.compactMap { rows[$0].values[metric] }
                samples[metric] = values
                if !values.isEmpty {
                    mean[metric] = Statistics.mean(values)
                    sd[metric] = Statistics.standardDeviation(values)
                }
            }
            return Group(key: key, labels: indices.map { rows[$0].label }, n: completed.count,
                         failed: indices.count - completed.count, mean: mean, sd: sd, samples: samples)
        }

        var contrasts: [Contrast] = []
        let comparable = groups.filter { $0.n > 0 }
        if comparable.count >= 2 {
            // Every configuration with results against the first one that has results.
            let reference = comparable[0]
            for other in comparable.dropFirst() {
                var p: [ComparisonMetric: Double] = [:]
                for metric in metrics {
                    if let test = Statistics.welchTTest(reference.samples[metric] ?? [], other.samples[metric] ?? []) {
                        p[metric] = test.p
                    }
                }
                contrasts.append(Contrast(a: reference.name, b: other.name, aValues: reference.mean,
                                          bValues: other.mean, p: p))
            }
        } else if groups.count < 2 && rows.count == 2 {
            contrasts.append(Contrast(a: rows[0].label, b: rows[1].label, aValues: rows[0].values,
                                      bValues: rows[1].values, p: [:]))
        }
        self.rows = rows
        self.groups = groups
        self.contrasts = contrasts
    }

    /// Every spec key with its value as text (`0.18`, `200`, `bars`), and `-` for a key that
    /// does not apply to the run (`code_weight` of a bottleneck run).
    static func keyValues(_ spec: RunSpec) -> [String: String] {
        var values: [String: String] = [:]
        for key in RunSpec.CodingKeys.allCases {
            values[key.rawValue] = spec.applies(key) ? spec.value(for: key).description : "-"
        }
        return values
    }
}
