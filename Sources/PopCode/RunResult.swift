/// The training history, one entry per recorded epoch (0-based epoch numbers).
public struct History: Sendable, Hashable, Codable {
    public var epoch: [Int] = []
    /// Mean minibatch loss `½ SSE / n` over the epoch, weighted by batch size.
    public var loss: [Double] = []
    /// Train-set MSE per pixel after the epoch.
    public var mse: [Double] = []
    /// Train-set description-length proxy after the epoch, in bits per image.
    public var dlBits: [Double] = []
    /// Train-set linear R² mean after the epoch.
    public var r2LinearMean: [Double] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case epoch, loss, mse
        case dlBits = "dl_bits"
        case r2LinearMean = "r2_linear_mean"
    }
}

/// The final evaluation on the test set.
public struct FinalMetrics: Sendable, Hashable, Codable {
    public var testMSE: Double
    /// MSE of predicting each pixel by its mean (mean per-pixel variance).
    public var naiveMSE: Double
    /// `1 − test_mse / naive_mse`.
    public var varianceExplained: Double
    public var dlBits: Double
    /// Singular values of the centred test-set m̂, largest first.
    public var singularValues: [Double]
    public var r2Linear: R2Scores
    public var r2Cubic: R2Scores

    public init(testMSE: Double, naiveMSE: Double, varianceExplained: Double, dlBits: Double,
                singularValues: [Double], r2Linear: R2Scores, r2Cubic: R2Scores) {
        self.testMSE = testMSE
        self.naiveMSE = naiveMSE
        self.varianceExplained = varianceExplained
        self.dlBits = dlBits
        self.singularValues = singularValues
        self.r2Linear = r2Linear
        self.r2Cubic = r2Cubic
    }

    enum CodingKeys: String, CodingKey {
        case testMSE = "test_mse"
        case naiveMSE = "naive_mse"
        case varianceExplained = "variance_explained"
        case dlBits = "dl_bits"
        case singularValues = "singular_values"
        case r2Linear = "r2_linear"
        case r2Cubic = "r2_cubic"
    }
}

/// The test-set implicit code m̂ (`nTest × K`) after a given number of epochs.
public struct ImplicitSnapshot: Sendable, Hashable, Codable {
    public var epoch: Int
    public var implicit: Matrix

    public init(epoch: Int, implicit: Matrix) {
        self.epoch = epoch
        self.implicit = implicit
    }
}

/// Everything a finished run produced.
public struct RunResult: Sendable, Hashable, Codable {
    public var spec: RunSpec
    public var final: FinalMetrics
    public var history: History
    /// Wall-clock seconds of the training loop (history included), summed over resumptions.
    public var trainSeconds: Double
    /// The learned parameters.
    public var parameters: Parameters
    /// Test-set m̂ after training (`nTest × K`) and the test latents `(x, y, θ)`.
    public var testImplicit: Matrix
    public var testLatents: Matrix
    /// The first test images and their reconstructions (`rows × 64` each).
    public var sampleImages: Matrix
    public var sampleReconstructions: Matrix
    /// Test-set m̂ at a few epochs through training.
    public var snapshots: [ImplicitSnapshot]
}
