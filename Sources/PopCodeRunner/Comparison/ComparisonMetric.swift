import PopCode

/// A number shown in comparison tables.
public enum ComparisonMetric: String, CaseIterable, Sendable, Hashable, Codable {
    case testMSE = "test_mse"
    case varianceExplained = "variance_explained"
    case singularValue1 = "sv1"
    case singularValue2 = "sv2"
    case singularValue3 = "sv3"
    case r2LinearMean = "r2_linear"
    case r2CubicMean = "r2_cubic"
    case dlBits = "dl_bits"
    /// The participation ratio of m̂'s singular values (runs of popcode.metrics/2).
    case effectiveDimension = "eff_dim"
    /// Singular values ≥ 10 % of the largest.
    case dimsUsed = "dims_used"
    /// The mdl model's code cost in bits per image (none for the bottleneck).
    case codeBits = "code_bits"
    case trainSeconds = "train_s"

    /// The metric's value in a run's metrics (nil when the run has no result).
    public func value(in metrics: MetricsDocument) -> Double? {
        if self == .trainSeconds { return metrics.timing.trainSeconds }
        guard let final = metrics.final else { return nil }
        switch self {
        case .testMSE: return final.testMSE
        case .varianceExplained: return final.varianceExplained
        case .singularValue1: return final.singularValues.count > 0 ? final.singularValues[0] : nil
        case .singularValue2: return final.singularValues.count > 1 ? final.singularValues[1] : nil
        case .singularValue3: return final.singularValues.count > 2 ? final.singularValues[2] : nil
        case .r2LinearMean: return final.r2Linear.mean
        case .r2CubicMean: return final.r2Cubic.mean
        case .dlBits: return final.dlBits
        case .effectiveDimension: return final.effectiveDimension
        case .dimsUsed: return final.dimsUsed.map(Double.init)
        case .codeBits: return final.codeBits
        case .trainSeconds: return metrics.timing.trainSeconds
        }
    }

    /// The column header in text tables (kept short so a table fits a terminal).
    public var header: String {
        switch self {
        case .varianceExplained: "var_expl"
        case .r2LinearMean: "r2_lin"
        case .r2CubicMean: "r2_cub"
        default: rawValue
        }
    }

    /// printf-style format for tables.
    var format: String {
        switch self {
        case .testMSE: "%.5f"
        case .dlBits, .trainSeconds, .effectiveDimension: "%.2f"
        case .dimsUsed: "%.1f"
        default: "%.3f"
        }
    }

    /// Whether a larger value is better (for "best" markers); nil when neither.
    public var largerIsBetter: Bool? {
        switch self {
        case .testMSE, .dlBits: false
        case .varianceExplained, .r2LinearMean, .r2CubicMean: true
        default: nil
        }
    }
}
