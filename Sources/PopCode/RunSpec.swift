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
    /// What the images show (see `TaskKind`).
    public var task: TaskKind
    /// How m̂ is formed and what the loss charges (see `ModelKind`).
    public var model: ModelKind
    /// Weight of the code cost KL(a ‖ b) in the mdl model's loss.
    public var codeWeight: Double
    /// Epochs over which the mdl model's code weight ramps up linearly (0: no ramp).
    public var codeWarmup: Int
    /// Standard deviation of the Gaussian noise on the mdl model's scaled activities in training.
    public var activityNoise: Double
    /// The arithmetic of training and evaluation (see `Precision`).
    public var precision: Precision

    public init(seed: Int = 0, epochs: Int = 200, nTrain: Int = 2000, nTest: Int = 500,
                nHidden: Int = 225, nImplicit: Int = 3, nEncHidden: Int = 64,
                batchSize: Int = 64, lr: Double = 0.1, sigma: Double = 0.18,
                historyEvery: Int = 1, task: TaskKind = .dipole3D, model: ModelKind = .bottleneck,
                codeWeight: Double = 0.3, codeWarmup: Int = 30, activityNoise: Double = 0.1,
                precision: Precision = .float64) {
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
        self.task = task
        self.model = model
        self.codeWeight = codeWeight
        self.codeWarmup = codeWarmup
        self.activityNoise = activityNoise
        self.precision = precision
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
        case task, model
        case codeWeight = "code_weight"
        case codeWarmup = "code_warmup"
        case activityNoise = "activity_noise"
        case precision

        /// Whether the key was added after the first release of `RunSpec`. Such a key is
        /// optional in stored specs (older files lack it: it takes its default) and is left
        /// out of a run's identity while it holds its default, so existing run ids stay valid.
        /// Every key added from now on must answer `true`.
        public var isOptional: Bool {
            switch self {
            case .seed, .epochs, .nTrain, .nTest, .nHidden, .nImplicit, .nEncHidden, .batchSize,
                 .lr, .sigma, .historyEvery:
                false
            case .task, .model, .codeWeight, .codeWarmup, .activityNoise, .precision:
                true
            }
        }

        /// The model a key belongs to, or `nil` for a key every model uses.
        public var onlyFor: ModelKind? {
            switch self {
            case .codeWeight, .codeWarmup, .activityNoise: .mdl
            default: nil
            }
        }
    }

    /// Whether `key` means anything for this spec (the mdl model's keys do not for the
    /// bottleneck).
    public func applies(_ key: CodingKeys) -> Bool {
        key.onlyFor.map { $0 == model } ?? true
    }
}

/// The images a run learns to encode, with their latents and the regression targets of R².
public enum TaskKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A dipole at (x, y) turned by θ; targets x, y, cos 2θ, sin 2θ.
    case dipole3D = "dipole-3d"
    /// The same dipole with θ = 0: two latents, targets x and y.
    case dipolePosition = "dipole-position"
    /// "What and where": a vertical or horizontal bar at a position; targets the class and the position.
    case bars
}

/// The floating-point arithmetic of a run.
public enum Precision: String, Sendable, Hashable, Codable, CaseIterable {
    /// Double precision throughout: bit for bit the numpy baseline's arithmetic.
    case float64
    /// Single precision in the network (SGEMM, SLEEF's float kernels), from the same data and
    /// initial weights rounded to float32; metrics are computed in double from its outputs.
    case float32
}

/// The model between the encoder and the decoder.
public enum ModelKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// m̂ is the encoder's sigmoid output; the decoder reads the bumps around it.
    case bottleneck
    /// Softmax activities over the hidden units, m̂ their centre of mass, KL to the standard
    /// bump as the code cost, reconstruction from the noisy activities.
    case mdl
}

extension RunSpec {
    /// Encodes every key that applies to the spec (`applies`): a bottleneck run's spec has
    /// no `code_weight`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seed, forKey: .seed)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(nTrain, forKey: .nTrain)
        try c.encode(nTest, forKey: .nTest)
        try c.encode(nHidden, forKey: .nHidden)
        try c.encode(nImplicit, forKey: .nImplicit)
        try c.encode(nEncHidden, forKey: .nEncHidden)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(lr, forKey: .lr)
        try c.encode(sigma, forKey: .sigma)
        try c.encode(historyEvery, forKey: .historyEvery)
        try c.encode(task, forKey: .task)
        try c.encode(model, forKey: .model)
        if applies(.codeWeight) { try c.encode(codeWeight, forKey: .codeWeight) }
        if applies(.codeWarmup) { try c.encode(codeWarmup, forKey: .codeWarmup) }
        if applies(.activityNoise) { try c.encode(activityNoise, forKey: .activityNoise) }
        try c.encode(precision, forKey: .precision)
    }

    /// Decodes a stored spec; keys with `isOptional` may be missing and take their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = RunSpec()
        self.init(
            seed: try c.decode(Int.self, forKey: .seed),
            epochs: try c.decode(Int.self, forKey: .epochs),
            nTrain: try c.decode(Int.self, forKey: .nTrain),
            nTest: try c.decode(Int.self, forKey: .nTest),
            nHidden: try c.decode(Int.self, forKey: .nHidden),
            nImplicit: try c.decode(Int.self, forKey: .nImplicit),
            nEncHidden: try c.decode(Int.self, forKey: .nEncHidden),
            batchSize: try c.decode(Int.self, forKey: .batchSize),
            lr: try c.decode(Double.self, forKey: .lr),
            sigma: try c.decode(Double.self, forKey: .sigma),
            historyEvery: try c.decode(Int.self, forKey: .historyEvery),
            task: try c.decodeIfPresent(TaskKind.self, forKey: .task) ?? defaults.task,
            model: try c.decodeIfPresent(ModelKind.self, forKey: .model) ?? defaults.model,
            codeWeight: try c.decodeIfPresent(Double.self, forKey: .codeWeight) ?? defaults.codeWeight,
            codeWarmup: try c.decodeIfPresent(Int.self, forKey: .codeWarmup) ?? defaults.codeWarmup,
            activityNoise: try c.decodeIfPresent(Double.self, forKey: .activityNoise) ?? defaults.activityNoise,
            precision: try c.decodeIfPresent(Precision.self, forKey: .precision) ?? defaults.precision)
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
        guard codeWeight.isFinite, codeWeight >= 0 else {
            throw RunSpecError(key: .codeWeight, message: "must be a finite number >= 0, got \(codeWeight)")
        }
        try count(.codeWarmup, codeWarmup, min: 0)
        guard activityNoise.isFinite, activityNoise >= 0 else {
            throw RunSpecError(key: .activityNoise, message: "must be a finite number >= 0, got \(activityNoise)")
        }
        guard precision == .float64 || model == .bottleneck else {
            throw RunSpecError(key: .precision, message: "float32 is implemented for model bottleneck only, not \(model.rawValue)")
        }
        let defaults = RunSpec()
        for key in [CodingKeys.codeWeight, .codeWarmup, .activityNoise] where !applies(key) {
            let isDefault = switch key {
            case .codeWeight: codeWeight == defaults.codeWeight
            case .codeWarmup: codeWarmup == defaults.codeWarmup
            default: activityNoise == defaults.activityNoise
            }
            guard isDefault else {
                throw RunSpecError(key: key, message: "applies only to model \(key.onlyFor!.rawValue), not \(model.rawValue)")
            }
        }
    }
}
