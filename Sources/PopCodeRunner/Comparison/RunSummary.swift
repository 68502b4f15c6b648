import Foundation

/// One-line summaries of runs, in the style of the numpy baseline's output.
public enum RunSummary {
    /// `seed 0: 1.63 s  test_mse 0.0113 (naive 0.0277)  sv [6.67, 4.61, 3.80]  r2 linear 0.202 cubic 0.563  dl -59.71`
    public static func line(_ metrics: MetricsDocument) -> String {
        let name = metrics.label.map { $0 == "run" ? "seed \(metrics.spec.seed)" : $0 } ?? "seed \(metrics.spec.seed)"
        guard let final = metrics.final else {
            return "\(name): \(metrics.status.rawValue): \(metrics.error?.reason ?? "no result")"
        }
        let sv = final.singularValues.map { String(format: "%.2f", $0) }.joined(separator: ", ")
        return String(format: "%@: %.2f s  test_mse %.4f (naive %.4f)  sv [%@]  r2 linear %.3f cubic %.3f  dl %.2f",
                      name, metrics.timing.trainSeconds, final.testMSE, final.naiveMSE, sv,
                      final.r2Linear.mean, final.r2Cubic.mean, final.dlBits)
    }
}
