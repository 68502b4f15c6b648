import PopCodeSVG
import Foundation

/// How the report shows one of the comparison's metrics: its name, unit and decimals.
struct ReportMetric: Sendable {
    let metric: ComparisonMetric
    let name: String
    let unit: String?
    let decimals: Int

    func text(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        return TickFormat.minus(String(format: "%.\(decimals)f", value))
    }

    /// `mean ± sd`, or the mean alone when there is no sd (a single seed).
    func text(mean: Double?, sd: Double?) -> String {
        guard let mean, mean.isFinite else { return "—" }
        guard let sd, sd.isFinite else { return text(mean) }
        return "\(text(mean)) ± \(text(sd))"
    }

    /// The metric of a run, nil when it has none.
    func value(_ metrics: MetricsDocument) -> Double? { metric.value(in: metrics) }

    var headerCell: Markup { ReportTables.headerCell(name, unit: unit) }

    static let testMSE = ReportMetric(metric: .testMSE, name: "test MSE", unit: "per pixel", decimals: 5)
    static let varianceExplained = ReportMetric(metric: .varianceExplained, name: "variance explained", unit: nil,
                                                decimals: 3)
    static let r2Linear = ReportMetric(metric: .r2LinearMean, name: "R² linear", unit: "mean", decimals: 3)
    static let r2Cubic = ReportMetric(metric: .r2CubicMean, name: "R² cubic", unit: "mean", decimals: 3)
    static let dlBits = ReportMetric(metric: .dlBits, name: "DL", unit: "bits per image", decimals: 2)
    static let trainSeconds = ReportMetric(metric: .trainSeconds, name: "train time", unit: "s", decimals: 2)

    /// The columns of the tables, singular values aside.
    static let tableColumns: [ReportMetric] = [.testMSE, .varianceExplained, .r2Linear, .r2Cubic, .dlBits, .trainSeconds]
}
