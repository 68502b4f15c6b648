/// The learnable parameters of the population-code autoencoder.
///
/// Encoder: `h = tanh(x·W1 + b1)`, `m̂ = sigmoid(h·W2 + b2)`. Population code:
/// `b_i = exp(-‖μ_i − m̂‖² / 2σ²)` for the rows μ_i of `mu`. Decoder: `x̂ = b·Wd + bd`.
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

    /// The baseline's initialisation, drawn from numpy's `default_rng(seed)` in its order:
    /// μ on the 9×5×5 grid of `linspace(0.05, 0.95, k)` when `nHidden = 225` and
    /// `nImplicit = 3` (else uniform in the unit cube), plus N(0, 0.01²) jitter; then
    /// `W1`, `W2`, `Wd` from N(0, 2 / (fan_in + fan_out)); biases zero.
    public init(spec: RunSpec, inputs: Int = DipoleData.pixelCount) {
        var rng = RandomGenerator(seed: UInt64(spec.seed))
        let hidden = spec.nHidden, implicit = spec.nImplicit, encoder = spec.nEncHidden
        var mu: Matrix
        if hidden == 225 && implicit == 3 {
            let axes = [9, 5, 5].map { Self.linspace(0.05, 0.95, count: $0) }
            mu = Matrix(rows: hidden, columns: implicit)
            var row = 0
            for a in axes[0] {
                for b in axes[1] {
                    for c in axes[2] {
                        mu[row, 0] = a
                        mu[row, 1] = b
                        mu[row, 2] = c
                        row += 1
                    }
                }
            }
        } else {
            mu = Matrix(rows: hidden, columns: implicit,
                        storage: rng.uniform(low: 0, high: 1, count: hidden * implicit))
        }
        let jitter = rng.normal(mean: 0, standardDeviation: 0.01, count: mu.storage.count)
        for i in mu.storage.indices { mu.storage[i] += jitter[i] }

        func glorot(_ fanIn: Int, _ fanOut: Int) -> Matrix {
            let scale = (2.0 / Double(fanIn + fanOut)).squareRoot()
            return Matrix(rows: fanIn, columns: fanOut,
                          storage: rng.normal(mean: 0, standardDeviation: scale, count: fanIn * fanOut))
        }
        w1 = glorot(inputs, encoder)
        b1 = Matrix(rows: 1, columns: encoder)
        w2 = glorot(encoder, implicit)
        b2 = Matrix(rows: 1, columns: implicit)
        self.mu = mu
        wd = glorot(hidden, inputs)
        bd = Matrix(rows: 1, columns: inputs)
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
        [(inputs, spec.nEncHidden), (1, spec.nEncHidden), (spec.nEncHidden, spec.nImplicit), (1, spec.nImplicit),
         (spec.nHidden, spec.nImplicit), (spec.nHidden, inputs), (1, inputs)]
    }

    /// All parameter matrices in a fixed order: W1, b1, W2, b2, mu, Wd, bd.
    public var all: [Matrix] { [w1, b1, w2, b2, mu, wd, bd] }

    /// Names matching `all`, as in the baseline's fixtures.
    public static let names = ["W1", "b1", "W2", "b2", "mu", "Wd", "bd"]
}
