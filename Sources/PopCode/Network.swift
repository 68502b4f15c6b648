/// The float64 bottleneck network, bit for bit the numpy baseline's arithmetic.
typealias Network = BottleneckNetwork<Double>

/// The autoencoder's forward and backward passes over preallocated buffers.
///
/// Forward, for a batch X (n × 64):
///
///     h  = tanh(X·W1 + b1)                   (n × E)
///     m̂  = 1 / (1 + exp(-clip(h·W2 + b2, ±50)))   (n × K)
///     b_i = exp(-‖μ_i − m̂‖² / 2σ²)            (n × H)
///     x̂  = b·Wd + bd                          (n × 64)
///
/// Backward: the gradient of `L = ½ Σ (x̂ − X)² / n` with respect to every parameter, in
/// the same order of operations as the numpy baseline. Parameters and gradients live in
/// two flat buffers with the same layout, so an SGD step is one loop.
///
/// Generic over the arithmetic's precision (`RunSpec.precision`): `Network` computes in
/// float64, `BottleneckNetwork<Float>` in float32 (SGEMM, SLEEF's single-precision kernels)
/// with the same data and initial weights rounded from the float64 values. The interface is
/// in doubles either way: inputs are rounded on the way in, `m` and `reconstruction` widened
/// on the way out.
///
/// A class because it owns raw memory (freed in `deinit`); one per run, never shared
/// between threads.
final class BottleneckNetwork<Scalar: NetworkScalar> {
    let inputs: Int
    let encoder: Int
    let implicit: Int
    let hidden: Int
    let sigma: Double
    /// 2σ² in `Scalar`, as numpy forms it (`2 * sigma**2`): the bumps' width, forward and backward.
    private let twoSigma2: Scalar
    /// The most rows one forward pass can take.
    let capacity: Int
    /// The most rows one training step (or gradient) can take.
    let stepCapacity: Int
    /// Rows of `h` and `bump`: a forward pass of at most this many rows keeps every row's
    /// activations (a step's backward pass reads them); a longer one (the history and
    /// evaluation passes, which need only m̂ and x̂) reuses the first `forwardBlock` rows for
    /// every block. The buffers so hold a step or a block, not a whole data set: ≈ 1 MB
    /// instead of ≈ 9 MB for the reference config, whose first touch costs page faults
    /// and whose blocks stay in cache.
    private let activationRows: Int

    /// Offsets and shapes of each parameter in the flat buffers, in `Parameters.all` order.
    let offsets: [Int]
    let shapes: [(rows: Int, columns: Int)]
    let parameterCount: Int
    let parameters: UnsafeMutablePointer<Scalar>
    let gradients: UnsafeMutablePointer<Scalar>

    /// m̂ and x̂ of the last forward pass as doubles (first n rows valid): in float64 the
    /// working buffers themselves, in float32 their widened copies.
    let m: UnsafeMutablePointer<Double>
    let reconstruction: UnsafeMutablePointer<Double>

    // Activations of the last forward pass (first n rows valid).
    private let h: UnsafeMutablePointer<Scalar>
    private let code: UnsafeMutablePointer<Scalar>
    private let bump: UnsafeMutablePointer<Scalar>
    private let output: UnsafeMutablePointer<Scalar>
    /// The inputs rounded to `Scalar` (float32 only; float64 reads the caller's buffer).
    private let input: UnsafeMutablePointer<Scalar>
    // Backward scratch.
    private let gradOut: UnsafeMutablePointer<Scalar>
    private let gradBump: UnsafeMutablePointer<Scalar>
    private let gradM: UnsafeMutablePointer<Scalar>
    private let gradH: UnsafeMutablePointer<Scalar>
    /// μ transposed (K × H), refreshed at every forward pass.
    private let muT: UnsafeMutablePointer<Scalar>

    private var buffers: [UnsafeMutableRawPointer] = []
    private static var isDouble: Bool { Scalar.self == Double.self }

    /// A network for forward passes of up to `capacity` rows and training steps of up to
    /// `stepCapacity` rows (default: `capacity`).
    init(parameters initial: Parameters, sigma: Double, capacity: Int, stepCapacity: Int? = nil) {
        Linear.useSingleThread()
        inputs = initial.w1.rows
        encoder = initial.w1.columns
        implicit = initial.w2.columns
        hidden = initial.mu.rows
        self.sigma = sigma
        let width = Scalar(sigma)
        twoSigma2 = 2 * (width * width)
        self.capacity = capacity
        let stepCapacity = min(stepCapacity ?? capacity, capacity)
        self.stepCapacity = stepCapacity
        let activationRows = max(stepCapacity, min(Self.forwardBlock, capacity))
        self.activationRows = activationRows
        var offsets: [Int] = []
        var total = 0
        for matrix in initial.all {
            offsets.append(total)
            total += matrix.storage.count
        }
        self.offsets = offsets
        shapes = initial.all.map { ($0.rows, $0.columns) }
        parameterCount = total

        var buffers: [UnsafeMutableRawPointer] = []
        func allocate<T: BinaryFloatingPoint>(_ count: Int, of _: T.Type = T.self) -> UnsafeMutablePointer<T> {
            let buffer = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
            buffer.initialize(repeating: 0, count: max(count, 1))
            buffers.append(UnsafeMutableRawPointer(buffer))
            return buffer
        }
        parameters = allocate(total)
        gradients = allocate(total)
        h = allocate(activationRows * encoder)
        code = allocate(capacity * implicit)
        bump = allocate(activationRows * hidden)
        output = allocate(capacity * inputs)
        gradOut = allocate(stepCapacity * inputs)
        gradBump = allocate(stepCapacity * hidden + hidden * implicit)
        muT = allocate(hidden * implicit)
        gradM = allocate(stepCapacity * implicit)
        gradH = allocate(stepCapacity * encoder)
        if Self.isDouble {
            m = UnsafeMutableRawPointer(code).assumingMemoryBound(to: Double.self)
            reconstruction = UnsafeMutableRawPointer(output).assumingMemoryBound(to: Double.self)
            input = allocate(1)
        } else {
            m = allocate(capacity * implicit, of: Double.self)
            reconstruction = allocate(capacity * inputs, of: Double.self)
            input = allocate(capacity * inputs)
        }
        self.buffers = buffers
        load(initial)
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    /// Copies `p` into the flat parameter buffer (rounded to `Scalar`).
    func load(_ p: Parameters) {
        for (matrix, offset) in zip(p.all, offsets) {
            for (i, value) in matrix.storage.enumerated() { parameters[offset + i] = Scalar(value) }
        }
    }

    /// The current parameters as matrices.
    var currentParameters: Parameters { unpack(parameters) }

    /// The gradients of the last `lossAndGradients` call, shaped as parameters.
    var currentGradients: Parameters { unpack(gradients) }

    private func unpack(_ flat: UnsafeMutablePointer<Scalar>) -> Parameters {
        let matrices = zip(shapes, offsets).map { shape, offset in
            Matrix(rows: shape.rows, columns: shape.columns,
                   storage: UnsafeBufferPointer(start: flat + offset, count: shape.rows * shape.columns).map(Double.init))
        }
        return Parameters(w1: matrices[0], b1: matrices[1], w2: matrices[2], b2: matrices[3],
                          mu: matrices[4], wd: matrices[5], bd: matrices[6])
    }

    private var w1: UnsafeMutablePointer<Scalar> { parameters + offsets[0] }
    private var b1: UnsafeMutablePointer<Scalar> { parameters + offsets[1] }
    private var w2: UnsafeMutablePointer<Scalar> { parameters + offsets[2] }
    private var b2: UnsafeMutablePointer<Scalar> { parameters + offsets[3] }
    private var mu: UnsafeMutablePointer<Scalar> { parameters + offsets[4] }
    private var wd: UnsafeMutablePointer<Scalar> { parameters + offsets[5] }
    private var bd: UnsafeMutablePointer<Scalar> { parameters + offsets[6] }

    /// Rows per block of a long forward pass (the history and evaluation passes over whole
    /// data sets): a block's activations stay in cache from one product to the next, and its
    /// products have a training step's shapes. 64 rather than 256: on AVX-512 OpenBLAS takes
    /// products this small through its small-matrix kernels, and `b·Wd` over 2,000 rows took
    /// 1.05 ms in 64-row blocks against 1.60 ms in 256-row ones (`X·W1` 0.31 against 0.37),
    /// ≈ 5 % of a reference run; every block size gives the same values bit for bit.
    static var forwardBlock: Int { 64 }

    /// Runs the forward pass on the `n` rows of `x` (row-major, `n × inputs`), filling
    /// `h`, `m`, `bump` and `reconstruction`, in blocks of `forwardBlock` rows. Every row
    /// is computed by the same operations in the same order whatever its block, so the
    /// result does not depend on `n` or on where a row sits.
    // Calls through `PopulationModel` reach the generic code: these make them run the
    // code specialised for each precision.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func forward(_ x: UnsafePointer<Double>, rows n: Int) {
        precondition(n <= capacity, "forward: \(n) rows exceed the capacity \(capacity)")
        let x = scalars(x, rows: n)
        let keepsActivations = n <= activationRows
        var start = 0
        while start < n {
            let rows = min(Self.forwardBlock, n - start)
            forwardBlock(x + start * inputs, rows: rows, from: start, activationsAt: keepsActivations ? start : 0)
            start += rows
        }
        if !Self.isDouble {
            for i in 0..<(n * implicit) { m[i] = Double(code[i]) }
            for i in 0..<(n * inputs) { reconstruction[i] = Double(output[i]) }
        }
    }

    /// The `n` rows of `x` as `Scalar`s: the buffer itself in float64, rounded into `input`
    /// in float32.
    private func scalars(_ x: UnsafePointer<Double>, rows n: Int) -> UnsafePointer<Scalar> {
        if Self.isDouble { return UnsafeRawPointer(x).assumingMemoryBound(to: Scalar.self) }
        for i in 0..<(n * inputs) { input[i] = Scalar(x[i]) }
        return UnsafePointer(input)
    }

    /// The forward pass of rows `first ..< first + n`, whose inputs start at `x`; their `h`
    /// and bumps go to rows `activations ..< activations + n` of those buffers.
    private func forwardBlock(_ x: UnsafePointer<Scalar>, rows n: Int, from first: Int, activationsAt activations: Int) {
        let h = self.h + activations * encoder
        let m = self.code + first * implicit
        let bump = self.bump + activations * hidden
        let reconstruction = self.output + first * inputs
        // h = tanh(X·W1 + b1): the bias rows first, then the product added to them (β = 1),
        // which rounds as numpy's `X @ W1 + b1` and spares BLAS a pass that zeroes C.
        fillRows(h, with: b1, rows: n, columns: encoder)
        Scalar.gemm(x, rows: n, columns: inputs, transpose: false,
                    w1, rows: inputs, columns: encoder, transpose: false, into: h, beta: 1)
        Scalar.tanh(UnsafeMutableBufferPointer(start: h, count: n * encoder))
        // m̂ = 1 / (1 + exp(-clip(h·W2 + b2, -50, 50)))
        fillRows(m, with: b2, rows: n, columns: implicit)
        Scalar.gemm(h, rows: n, columns: encoder, transpose: false,
                    w2, rows: encoder, columns: implicit, transpose: false, into: m, beta: 1)
        for i in 0..<(n * implicit) { m[i] = -min(max(m[i], -50), 50) }
        Scalar.exp(UnsafeMutableBufferPointer(start: m, count: n * implicit))
        for i in 0..<(n * implicit) { m[i] = 1.0 / (1.0 + m[i]) }
        // b_i = exp(-‖μ_i − m̂‖² / 2σ²), with ‖·‖² summed over k in order as numpy does
        // (d₀² + d₁² + …); μ is read transposed (K × H) so the loop over i vectorises.
        if first == 0 { transposeMu() }
        Scalar.bumps(m, rows: n, dimensions: implicit, centres: muT, count: hidden,
                     twoSigma2: twoSigma2, into: bump)
        // x̂ = b·Wd + bd
        fillRows(reconstruction, with: bd, rows: n, columns: inputs)
        Scalar.gemm(bump, rows: n, columns: hidden, transpose: false,
                    wd, rows: hidden, columns: inputs, transpose: false, into: reconstruction, beta: 1)
    }

    /// The loss `½ Σ (x̂ − X)² / n` of the `n` rows of `x`, leaving its gradient with
    /// respect to every parameter in `gradients`.
    // Calls through `PopulationModel` reach the generic code: these make them run the
    // code specialised for each precision.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func lossAndGradients(_ x: UnsafePointer<Double>, rows n: Int) -> Double {
        backward(x, rows: n, learningRate: nil)
    }

    /// One SGD step on the `n` rows of `x`, `p ← p − lr · ∂L/∂p`, returning the loss before
    /// it: as `lossAndGradients` then `step`, but each weight matrix's gradient product
    /// updates the weights itself (GEMM with α = −lr, β = 1: `W + (−lr)·(AᵀB)`), sparing a
    /// pass that writes the gradient and one that reads it back. The weights' update so
    /// rounds once where `step` rounds `lr·g` and then the difference; biases and μ step as
    /// in `step`. Afterwards `gradients` holds the biases' and μ's gradients only.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func trainingStep(_ x: UnsafePointer<Double>, rows n: Int, learningRate lr: Double) -> Double {
        backward(x, rows: n, learningRate: Scalar(lr))
    }

    /// The forward and backward passes on the `n` rows of `x`: the gradients into
    /// `gradients` (`learningRate` nil), or an SGD step with that rate (see `trainingStep`).
    private func backward(_ x: UnsafePointer<Double>, rows n: Int, learningRate lr: Scalar?) -> Double {
        precondition(n <= stepCapacity, "backward: \(n) rows exceed the step capacity \(stepCapacity)")
        forward(x, rows: n)
        let x = scalars(x, rows: n)
        let (reconstruction, m) = (output, code)
        let count = Scalar(n)
        // L = ½ Σ (x̂ − X)² / n with the sum in numpy's pairwise order; g_out = (x̂ − X) / n.
        // When n is a power of two, 1/n is exact and multiplying by it rounds exactly as
        // dividing does, without the division's cost.
        let sse = NumpyMath.pairwiseSumOfSquaredDifferences(reconstruction, x, count: n * inputs)
        if n & (n - 1) == 0 {
            let inverse = 1 / count
            for i in 0..<(n * inputs) { gradOut[i] = (reconstruction[i] - x[i]) * inverse }
        } else {
            for i in 0..<(n * inputs) { gradOut[i] = (reconstruction[i] - x[i]) / count }
        }
        // g_bump = g_out · Wdᵀ
        Scalar.gemm(gradOut, rows: n, columns: inputs, transpose: false,
                    wd, rows: hidden, columns: inputs, transpose: true, into: gradBump)
        // g_r2 = −g_bump · b / 2σ², g_diff = 2 (μ_i − m̂) g_r2, summed over the batch for μ
        // (kept transposed, K × H, while accumulating) and over the bumps for m̂; then
        // g_mpre = −Σ_i g_diff · m̂ (1 − m̂): one pass over each row's bumps (CVectorMath).
        let gradMuT = gradBump + stepCapacity * hidden
        gradMuT.update(repeating: 0, count: hidden * implicit)
        Scalar.bumpsBackward(m, rows: n, dimensions: implicit, centres: muT, count: hidden, bumps: bump,
                             gradBumps: gradBump, twoSigma2: twoSigma2, gradCentres: gradMuT, gradM: gradM)
        let gradMu = gradients + offsets[4]
        for i in 0..<hidden {
            for k in 0..<implicit { gradMu[i * implicit + k] = gradMuT[k * hidden + i] }
        }
        // g_hpre = (g_mpre · W2ᵀ) ⊙ (1 − h²)
        Scalar.gemm(gradM, rows: n, columns: implicit, transpose: false,
                    w2, rows: encoder, columns: implicit, transpose: true, into: gradH)
        for i in 0..<(n * encoder) { gradH[i] *= 1.0 - h[i] * h[i] }

        // Parameter gradients: weights by GEMM (W2 after its last use above), biases by
        // column sums.
        weightGradient(bump, rows: n, columns: hidden, gradOut, columns: inputs, parameter: 5, learningRate: lr)
        columnSums(gradOut, rows: n, columns: inputs, into: gradients + offsets[6])
        weightGradient(h, rows: n, columns: encoder, gradM, columns: implicit, parameter: 2, learningRate: lr)
        columnSums(gradM, rows: n, columns: implicit, into: gradients + offsets[3])
        weightGradient(x, rows: n, columns: inputs, gradH, columns: encoder, parameter: 0, learningRate: lr)
        columnSums(gradH, rows: n, columns: encoder, into: gradients + offsets[1])
        if let lr {
            for index in [1, 3, 4, 6] {
                let (p, g) = (parameters + offsets[index], gradients + offsets[index])
                for i in 0..<(shapes[index].rows * shapes[index].columns) { p[i] -= lr * g[i] }
            }
        }
        return Double(0.5 * sse / count)
    }

    /// The gradient `Aᵀ·B` of parameter `index` (A is `rows × columns`, B `rows × bColumns`):
    /// into `gradients`, or, with a learning rate, subtracted from the parameter as
    /// `W ← W + (−lr)·AᵀB` by the product itself.
    private func weightGradient(_ a: UnsafePointer<Scalar>, rows: Int, columns: Int,
                                _ b: UnsafePointer<Scalar>, columns bColumns: Int,
                                parameter index: Int, learningRate lr: Scalar?) {
        if let lr {
            Scalar.gemm(a, rows: rows, columns: columns, transpose: true, b, rows: rows, columns: bColumns,
                        transpose: false, into: parameters + offsets[index], alpha: -lr, beta: 1)
        } else {
            Scalar.gemm(a, rows: rows, columns: columns, transpose: true, b, rows: rows, columns: bColumns,
                        transpose: false, into: gradients + offsets[index])
        }
    }

    private func transposeMu() {
        for i in 0..<hidden {
            for k in 0..<implicit { muT[k * hidden + i] = mu[i * implicit + k] }
        }
    }

    /// One SGD step: `p ← p − lr · g` for every parameter.
    // Calls through `PopulationModel` reach the generic code: these make them run the
    // code specialised for each precision.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func step(learningRate lr: Double) {
        let lr = Scalar(lr)
        for i in 0..<parameterCount { parameters[i] -= lr * gradients[i] }
    }

    /// `rows × columns` values at `source` as a matrix.
    func matrix(_ source: UnsafeMutablePointer<Double>, rows: Int, columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns,
               storage: Array(UnsafeBufferPointer(start: source, count: rows * columns)))
    }

    /// Every row of `a` (`rows × columns`) set to `v`.
    private func fillRows(_ a: UnsafeMutablePointer<Scalar>, with v: UnsafeMutablePointer<Scalar>,
                          rows: Int, columns: Int) {
        // Vector stores rather than a memmove call per row (rows are short: 3 to 64 values).
        let whole = columns & ~3
        for r in 0..<rows {
            let row = a + r * columns
            var c = 0
            while c < whole {
                store4(load4(v + c), row + c)
                c += 4
            }
            while c < columns {
                row[c] = v[c]
                c += 1
            }
        }
    }

    private func columnSums(_ a: UnsafeMutablePointer<Scalar>, rows: Int, columns: Int,
                            into out: UnsafeMutablePointer<Scalar>) {
        out.update(repeating: 0, count: columns)
        for r in 0..<rows {
            let row = a + r * columns
            for c in 0..<columns { out[c] += row[c] }
        }
    }
}

@inline(__always) private func load4<T: SIMDScalar>(_ p: UnsafePointer<T>) -> SIMD4<T> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<T>.self)
}

@inline(__always) private func load4<T: SIMDScalar>(_ p: UnsafeMutablePointer<T>) -> SIMD4<T> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<T>.self)
}

@inline(__always) private func store4<T: SIMDScalar>(_ v: SIMD4<T>, _ p: UnsafeMutablePointer<T>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<T>.self)
}
