/// The learnable parameters of the population-code autoencoder.
///
/// Bottleneck: encoder `h = tanh(x·W1 + b1)`, `m̂ = sigmoid(h·W2 + b2)`; population code
/// `b_i = exp(-‖μ_i − m̂‖² / 2σ²)` for the rows μ_i of `mu`; decoder `x̂ = b·Wd + bd`.
/// The mdl model (`MDLNetwork`) has the same matrices, with `W2`/`b2` mapping to the units.
/// Biases are stored as `1 × n` matrices.
public struct Parameters: Sendable, Hashable, Codable {
    public var w1: Matrix
    public var b1: Matrix
    public var w2: Matrix
    public var b2: Matrix
    public var mu: Matrix
    public var wd: Matrix
    public var bd: Matrix

    public init(w1: Matrix, b1: Matrix, w2: Matrix, b2: Matrix, mu: Matrix, wd: Matrix, bd: Matrix) {
        self.w1 = w1
        self.b1 = b1
        self.w2 = w2
        self.b2 = b2
        self.mu = mu
        self.wd = wd
        self.bd = bd
    }

    enum CodingKeys: String, CodingKey {
        case w1 = "W1", b1, w2 = "W2", b2, mu, wd = "Wd", bd
    }

    /// The reference's initialisation, drawn from numpy's `default_rng(seed)` in its order:
    /// μ on a published grid (`gridMu`) when there is one for `nHidden × nImplicit`, else
    /// uniform in the unit cube, plus N(0, 0.01²) jitter; then `W1`, `W2`, `Wd` from
    /// N(0, 2 / (fan_in + fan_out)); biases zero. `W2` maps to m̂ (`E × K`) for the bottleneck
    /// and to the hidden units' activities (`E × H`) for the mdl model.
    public init(spec: RunSpec, inputs: Int = DipoleData.pixelCount) {
        var rng = RandomGenerator(seed: UInt64(spec.seed))
        let hidden = spec.nHidden, implicit = spec.nImplicit, encoder = spec.nEncHidden
        var mu = Self.gridMu(hidden: hidden, implicit: implicit)
            ?? Matrix(rows: hidden, columns: implicit,
                      storage: rng.uniform(low: 0, high: 1, count: hidden * implicit))
        let jitter = rng.normal(mean: 0, standardDeviation: 0.01, count: mu.storage.count)
        for i in mu.storage.indices { mu.storage[i] += jitter[i] }

        func glorot(_ fanIn: Int, _ fanOut: Int) -> Matrix {
            let scale = (2.0 / Double(fanIn + fanOut)).squareRoot()
            return Matrix(rows: fanIn, columns: fanOut,
                          storage: rng.normal(mean: 0, standardDeviation: scale, count: fanIn * fanOut))
        }
        let out = Self.encoderOutputs(spec)
        w1 = glorot(inputs, encoder)
        b1 = Matrix(rows: 1, columns: encoder)
        w2 = glorot(encoder, out)
        b2 = Matrix(rows: 1, columns: out)
        self.mu = mu
        wd = glorot(hidden, inputs)
        bd = Matrix(rows: 1, columns: inputs)
    }

    /// The width of the encoder's output layer: K for the bottleneck, H for the mdl model.
    static func encoderOutputs(_ spec: RunSpec) -> Int {
        switch spec.model {
        case .bottleneck: spec.nImplicit
        case .mdl: spec.nHidden
        }
    }

    /// The published μ grids of `linspace(0.05, 0.95, k)` per axis, the last axis fastest:
    /// 9×5×5 for 225 units in 3-D, 10×10 for 100 units in 2-D; `nil` for other sizes.
    public static func gridMu(hidden: Int, implicit: Int) -> Matrix? {
        let shape: [Int]
        switch (hidden, implicit) {
        case (225, 3): shape = [9, 5, 5]
        case (100, 2): shape = [10, 10]
        default: return nil
        }
        let axes = shape.map { Self.linspace(0.05, 0.95, count: $0) }
        var mu = Matrix(rows: hidden, columns: implicit)
        for row in 0..<hidden {
            var rest = row
            for k in (0..<implicit).reversed() {
                mu[row, k] = axes[k][rest % shape[k]]
                rest /= shape[k]
            }
        }
        return mu
    }

    /// numpy's `linspace(start, stop, count)`: `start + i · (stop − start)/(count − 1)`,
    /// with the last point exactly `stop`.
    static func linspace(_ start: Double, _ stop: Double, count: Int) -> [Double] {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let step = (stop - start) / Double(count - 1)
        var values = (0..<count).map { Double($0) * step + start }
        values[count - 1] = stop
        return values
    }

    /// The `(rows, columns)` of each matrix in `all` for a spec.
    public static func shapes(for spec: RunSpec, inputs: Int = DipoleData.pixelCount) -> [(rows: Int, columns: Int)] {
        let out = encoderOutputs(spec)
        return [(inputs, spec.nEncHidden), (1, spec.nEncHidden), (spec.nEncHidden, out), (1, out),
                (spec.nHidden, spec.nImplicit), (spec.nHidden, inputs), (1, inputs)]
    }

    /// All parameter matrices in a fixed order: W1, b1, W2, b2, mu, Wd, bd.
    public var all: [Matrix] { [w1, b1, w2, b2, mu, wd, bd] }

    /// Names matching `all`, as in the baseline's fixtures.
    public static let names = ["W1", "b1", "W2", "b2", "mu", "Wd", "bd"]
}
