/// Everything that determines one training run: the data, the model and the optimiser.
///
/// Two runs with equal specs produce bit-identical results (timings aside). Field names
/// in YAML, JSON and on the command line are the snake_case `CodingKeys` below.
public struct RunSpec: Sendable, Hashable, Codable {
    /// Seed of the training data, the initial weights and the per-epoch shuffles;
    /// the test set uses `seed + 1000`.
    public var seed: Int
    public var epochs: Int
    public var nTrain: Int
    public var nTest: Int
    /// Number of radial-basis units (bumps) in the population code.
    public var nHidden: Int
    /// Dimension of the implicit space m̂.
    public var nImplicit: Int
    /// Width of the encoder's tanh layer.
    public var nEncHidden: Int
    public var batchSize: Int
    /// SGD learning rate.
    public var lr: Double
    /// Width σ of the bumps `b_i = exp(-‖μ_i − m̂‖² / 2σ²)`.
    public var sigma: Double
    /// Record the training history every this many epochs (the last epoch is always recorded).
    public var historyEvery: Int

    public init(seed: Int = 0, epochs: Int = 200, nTrain: Int = 2000, nTest: Int = 500,
                nHidden: Int = 225, nImplicit: Int = 3, nEncHidden: Int = 64,
                batchSize: Int = 64, lr: Double = 0.1, sigma: Double = 0.18,
                historyEvery: Int = 1) {
        self.seed = seed
        self.epochs = epochs
        self.nTrain = nTrain
        self.nTest = nTest
        self.nHidden = nHidden
        self.nImplicit = nImplicit
        self.nEncHidden = nEncHidden
        self.batchSize = batchSize
        self.lr = lr
        self.sigma = sigma
        self.historyEvery = historyEvery
    }

    public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case seed, epochs
        case nTrain = "n_train"
        case nTest = "n_test"
        case nHidden = "n_hidden"
        case nImplicit = "n_implicit"
        case nEncHidden = "n_enc_hidden"
        case batchSize = "batch_size"
        case lr, sigma
        case historyEvery = "history_every"
    }
}

/// A spec value that cannot be trained, with the key it belongs to.
public struct RunSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    public let key: RunSpec.CodingKeys
    public let message: String
    public var description: String { "\(key.rawValue): \(message)" }
}

extension RunSpec {
    /// The largest size accepted for any count (keeps memory and int arithmetic sane).
    public static let maxCount = 10_000_000

    /// The first problem that makes this spec untrainable, if any.
    public func validate() throws(RunSpecError) {
        func count(_ key: CodingKeys, _ value: Int, min: Int = 1) throws(RunSpecError) {
            guard value >= min else {
                throw RunSpecError(key: key, message: "must be at least \(min), got \(value)")
            }
            guard value <= Self.maxCount else {
                throw RunSpecError(key: key, message: "must be at most \(Self.maxCount), got \(value)")
            }
        }
        guard seed >= 0, seed <= Int(UInt32.max) else {
            throw RunSpecError(key: .seed, message: "must be between 0 and \(UInt32.max), got \(seed)")
        }
        try count(.epochs, epochs, min: 0)
        try count(.nTrain, nTrain)
        try count(.nTest, nTest)
        try count(.nHidden, nHidden)
        try count(.nImplicit, nImplicit)
        try count(.nEncHidden, nEncHidden)
        try count(.batchSize, batchSize)
        try count(.historyEvery, historyEvery)
        guard batchSize <= nTrain else {
            throw RunSpecError(key: .batchSize,
                               message: "must not exceed n_train (\(nTrain)), got \(batchSize)")
        }
        guard lr.isFinite, lr > 0 else {
            throw RunSpecError(key: .lr, message: "must be a finite number > 0, got \(lr)")
        }
        guard sigma.isFinite, sigma > 0 else {
            throw RunSpecError(key: .sigma, message: "must be a finite number > 0, got \(sigma)")
        }
    }
}
