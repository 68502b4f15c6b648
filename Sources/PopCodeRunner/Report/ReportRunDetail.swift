import PopCodeSVG
import Foundation
import PopCode

/// The section about one run: its facts, and from its artifacts the example inputs with
/// their reconstructions, the test-set m̂ in 2-D projections coloured by each latent, a
/// 3-D view, the singular values, and m̂ at snapshot epochs through training.
enum ReportRunDetail {
    /// `why` says why this run is shown (default: how the report chose it).
    static func section(_ sweep: ReportSweep, detail: Int?, chosenByUser: Bool, why: String? = nil) -> [Markup] {
        guard let detail else {
            return [HTML.text("h2", "Run details"),
                    HTML.text("p", "No run completed, so there is no run to show in detail "
                              + "(choose one with --run to see what it left).", class: "note")]
        }
        let run = sweep.runs[detail]
        let why = why ?? (chosenByUser ? "chosen with --run" : "the completed run with the lowest test MSE; choose another with --run")
        var parts = [HTML.element("h2", [.text("Run \(sweep.displayName(run))")]),
                     HTML.text("p", why, class: "sub"),
                     facts(run)]
        if run.status != .completed {
            parts.append(HTML.element("div", class: "callout", [
                HTML.text("strong", "\(ReportTables.statusText(run)): "), .text(ReportTables.reason(run)),
            ]))
        }
        let artifacts: RunArtifacts
        do {
            guard let read = try run.folder.artifacts() else {
                parts.append(HTML.element("div", class: "missing", [
                    .text("No arrays (arrays.npz) in \(run.folder.url.relativePath): the pictures of this run cannot be drawn. "
                          + "Runs save them when they complete; failed runs have none."),
                ]))
                return parts
            }
            artifacts = read
        } catch {
            parts.append(HTML.element("div", class: "missing", [.text("The arrays cannot be read: \(error.description)")]))
            return parts
        }
        parts += RunFigures(artifacts: artifacts, recordedSingularValues: run.final?.singularValues,
                            task: run.metrics?.spec.task ?? .dipole3D).sections()
        return parts
    }

    private static func facts(_ run: ReportRun) -> Markup {
        var rows: [(String, String)] = [("experiment", run.experiment), ("folder", run.folder.url.relativePath),
                                        ("status", run.status.rawValue)]
        if let metrics = run.metrics {
            rows.append(("id", metrics.id))
            let values = Comparison.keyValues(metrics.spec)
            let spec = RunSpec.CodingKeys.allCases.filter { metrics.spec.applies($0) }
                .map { "\($0.rawValue)=\(values[$0.rawValue] ?? "?")" }
            rows.append(("spec", spec.joined(separator: "  ")))
            if let final = run.final {
                rows.append(("test MSE", "\(ReportMetric.testMSE.text(final.testMSE)) (naive \(ReportMetric.testMSE.text(final.naiveMSE)), "
                             + "variance explained \(ReportMetric.varianceExplained.text(final.varianceExplained)))"))
                rows.append(("R² " + final.r2Linear.names.joined(separator: ", "),
                             "linear " + r2(final.r2Linear) + ";  cubic " + r2(final.r2Cubic)))
                if let dimension = final.effectiveDimension {
                    rows.append(("effective dimension", ReportMetric.r2Linear.text(dimension)
                                 + (final.dimsUsed.map { " (\($0) of \(final.singularValues.count) singular values ≥ 10 % of the largest)" } ?? "")))
                }
                if let bits = final.codeBits {
                    rows.append(("code cost", "\(ReportMetric.r2Linear.text(bits)) bits per image (KL of the activities to their bump)"))
                }
            }
            rows.append(("train time", "\(ReportMetric.trainSeconds.text(metrics.timing.trainSeconds)) s"
                         + (metrics.timing.startedAt.map { ", started \($0)" } ?? "")))
            let environment = metrics.environment
            rows.append(("computed with", "popcode \(environment.popcodeVersion), Swift \(environment.swiftVersion), "
                         + "\(environment.blas), \(environment.cores) cores on \(environment.host)"
                         + (environment.gitCommit.map { ", commit \($0.prefix(12))" } ?? "")))
        }
        return HTML.element("dl", class: "facts", rows.flatMap { [HTML.text("dt", $0.0), HTML.text("dd", $0.1)] })
    }

    private static func r2(_ scores: R2Scores) -> String {
        scores.values.map { ReportMetric.r2Linear.text($0) }
            .joined(separator: ", ")
    }
}
