import ArgumentParser
import Foundation
import PopCode
import PopCodeRunner

/// `popcode compare`: the comparison table of finished runs.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare runs: one row per run, seeds grouped as repeats, differences with p-values.",
        discussion: """
            Each FOLDER is an experiment folder (runs/<experiment>, whose run folders are read) or a \
            single run folder. Keys whose values differ between the runs are shown as columns; runs \
            that differ only by seed form one configuration (n, mean ± sd), and two runs or \
            configurations are compared metric by metric (Welch t-test p-value when both have ≥ 2 \
            seeds).

            Examples:
              popcode compare runs/seeds
              popcode compare runs/sigma-lr-grid --group-by sigma
              popcode compare runs/seeds runs/sigma-lr-grid --format csv > all.csv
              popcode compare runs/sigma-lr-grid --metrics test_mse,r2_cubic

            Metrics: \(ComparisonMetric.allCases.map(\.rawValue).joined(separator: ", ")).
            """)

    @Argument(help: ArgumentHelp("Experiment or run folders.", valueName: "folder"))
    var folders: [String]

    @Option(help: ArgumentHelp("table (aligned Markdown), markdown (with headings), csv or json.", valueName: "format"))
    var format: ComparisonRenderer.Format = .table

    @Option(help: ArgumentHelp("Comma-separated spec keys that define a configuration (default: every swept key but seed).", valueName: "keys"))
    var groupBy: String?

    @Option(help: ArgumentHelp("Comma-separated metrics to show (default: all).", valueName: "metrics"))
    var metrics: String?

    func validate() throws {
        if let metrics {
            for name in metrics.split(separator: ",") where ComparisonMetric(rawValue: String(name)) == nil {
                throw ValidationError("unknown metric '\(name)'; choose from \(ComparisonMetric.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if let groupBy {
            let known = Set(["experiment"] + RunSpec.CodingKeys.allCases.map(\.rawValue))
            for key in groupBy.split(separator: ",") where !known.contains(String(key)) {
                throw ValidationError("unknown key '\(key)' in --group-by; choose from \(known.sorted().joined(separator: ", "))")
            }
        }
    }

    func run() throws {
        let records: [RunRecord]
        do {
            records = try RunCatalog.load(folders.map { URL(fileURLWithPath: $0) })
        } catch {
            printError("error: \(error.description)")
            throw ExitStatus.usage.exitCode
        }
        let chosen = metrics.map { $0.split(separator: ",").compactMap { ComparisonMetric(rawValue: String($0)) } }
        let comparison = Comparison(records, groupBy: groupBy.map { $0.split(separator: ",").map(String.init) },
                                    metrics: chosen ?? ComparisonMetric.allCases,
                                    search: RunCatalog.search(of: folders.map { URL(fileURLWithPath: $0) }))
        print(ComparisonRenderer.render(comparison, as: format), terminator: "")
    }
}
