import PopCodeSVG
import Foundation
import PopCode

/// The runs of a report arranged for it: the comparison layer's rows, configurations
/// (seeds as repeats) and contrasts, each configuration's colour, and the run to show in
/// detail.
///
/// Runs whose metrics could not be read (unfinished or damaged) are kept in `runs` so the
/// report lists them, but take no part in the comparison.
public struct ReportSweep: Sendable {
    /// Runs that share everything but the seed: one group of the comparison.
    public struct Configuration: Sendable {
        /// Position in the report (and the colour: `Palette.color(index)`).
        public let index: Int
        /// The configuration's keys, e.g. `sigma=0.12, lr=0.05`.
        public let label: String
        /// Indices into `runs`, in run order.
        public let members: [Int]
        /// The comparison's statistics of this configuration.
        public let group: Comparison.Group
        public var color: RGB { Palette.color(index) }
        public var dash: String? { Palette.dash(for: index) }
    }

    public let runs: [ReportRun]
    /// The comparison of the runs that have metrics.
    public let comparison: Comparison
    /// The comparison of the completed runs only, for contrasts: its first configuration,
    /// the reference, then always has results (a failed first configuration would leave
    /// every contrast empty).
    public let completedComparison: Comparison
    public let configurations: [Configuration]
    public let experiments: [String]
    /// `runs[i]`'s row in `comparison.rows` and its configuration, nil for runs without metrics.
    private let rowOfRun: [Int?]
    private let configurationOfRun: [Int?]

    public init(runs: [ReportRun]) {
        self.runs = runs
        var experiments: [String] = []
        for run in runs where !experiments.contains(run.experiment) { experiments.append(run.experiment) }
        self.experiments = experiments

        var rowOfRun = [Int?](repeating: nil, count: runs.count)
        var records: [RunRecord] = []
        for (i, run) in runs.enumerated() {
            guard let metrics = run.metrics else { continue }
            rowOfRun[i] = records.count
            records.append(RunRecord(folder: run.folder.url, experiment: run.experiment, label: run.name, metrics: metrics))
        }
        let comparison = Comparison(records)
        self.comparison = comparison
        completedComparison = Comparison(records.filter { $0.metrics.status == .completed })
        self.rowOfRun = rowOfRun

        // A row's group is the one whose key lists the row's values of the group keys.
        let groupOfKey = Dictionary(comparison.groups.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        let rowGroup = comparison.rows.map { row -> Int? in
            let key = comparison.groupKeys.map { key -> String in
                let value = comparison.sweptKeys.firstIndex(of: key).map { row.swept[$0] } ?? "?"
                return "\(key)=\(value)"
            }
            return groupOfKey[key]
        }
        let configurationOfRun = rowOfRun.map { $0.flatMap { rowGroup[$0] } }
        self.configurationOfRun = configurationOfRun
        var members = [[Int]](repeating: [], count: comparison.groups.count)
        for (run, configuration) in configurationOfRun.enumerated() {
            if let configuration { members[configuration].append(run) }
        }
        configurations = comparison.groups.enumerated().map { index, group in
            let label = group.key.isEmpty ? (experiments.count == 1 ? experiments[0] : "all runs")
                : group.key.joined(separator: ", ")
            return Configuration(index: index, label: label, members: members[index], group: group)
        }
    }

    /// Spec keys whose values differ between the runs (and `experiment` when several are
    /// compared).
    public var varyingKeys: [String] { comparison.sweptKeys }

    /// The comparison row of `runs[index]`, nil for a run without metrics.
    public func row(ofRun index: Int) -> Comparison.Row? {
        rowOfRun[index].map { comparison.rows[$0] }
    }

    /// The configuration of `runs[index]`, nil for a run without metrics.
    public func configuration(ofRun index: Int) -> Configuration? {
        configurationOfRun[index].map { configurations[$0] }
    }

    /// A run's name as shown: qualified by its experiment when several are compared.
    public func displayName(_ run: ReportRun) -> String {
        experiments.count > 1 ? run.qualifiedName : run.name
    }

    /// The index of the run to show in detail: the one `selector` names (its name,
    /// `experiment/name`, or id), else the completed run with the lowest test MSE.
    /// Nil only when no selector is given and no run completed.
    public func detailRun(_ selector: String?) throws(ReportError) -> Int? {
        guard let selector else {
            let completed = runs.indices.filter { runs[$0].final?.testMSE.isFinite == true }
            return completed.min { runs[$0].final!.testMSE < runs[$1].final!.testMSE }
        }
        for match in [{ (run: ReportRun) in run.qualifiedName == selector },
                      { (run: ReportRun) in run.name == selector },
                      { (run: ReportRun) in run.metrics?.id == selector }] {
            let found = runs.indices.filter { match(runs[$0]) }
            if found.count == 1 { return found[0] }
            if found.count > 1 {
                throw .ambiguousRun(selector, matches: found.map { runs[$0].qualifiedName })
            }
        }
        throw .unknownRun(selector, available: runs.map(displayName))
    }
}
