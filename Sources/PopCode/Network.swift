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
/// A class because it owns raw memory (freed in `deinit`); one per run, never shared
/// between threads.
final class Network {
    let inputs: Int
    let encoder: Int
    let implicit: Int
    let hidden: Int
    let sigma: Double
    /// The most rows one pass can take.
    let capacity: Int

    /// Offsets and shapes of each parameter in the flat buffers, in `Parameters.all` order.
    let offsets: [Int]
    let shapes: [(rows: Int, columns: Int)]
    let parameterCount: Int
    let parameters: UnsafeMutablePointer<Double>
    let gradients: UnsafeMutablePointer<Double>

    // Activations of the last forward pass (first n rows valid).
    let h: UnsafeMutablePointer<Double>
    let m: UnsafeMutablePointer<Double>
    let bump: UnsafeMutablePointer<Double>
    let reconstruction: UnsafeMutablePointer<Double>
    // Backward scratch.
    let gradOut: UnsafeMutablePointer<Double>
    let gradBump: UnsafeMutablePointer<Double>
    let gradM: UnsafeMutablePointer<Double>
    let gradH: UnsafeMutablePointer<Double>
    /// μ transposed (K × H), refreshed at every forward pass.
    private let muT: UnsafeMutablePointer<Double>

    private var buffers: [UnsafeMutablePointer<Double>] = []

    init(parameters initial: Parameters, sigma: Double, capacity: Int) {
        Linear.useSingleThread()
        inputs = initial.w1.rows
        encoder = initial.w1.columns
        implicit = initial.w2.columns
        hidden = initial.mu.rows
        self.sigma = sigma
        self.capacity = capacity
        var offsets: [Int] = []
        var total = 0
        for matrix in initial.all {
            offsets.append(total)
            total += matrix.storage.count
        }
        self.offsets = offsets
        shapes = initial.all.map { ($0.rows, $0.columns) }
        parameterCount = total

        func allocate(_ count: Int) -> UnsafeMutablePointer<Double> {
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
            buffer.initialize(repeating: 0, count: max(count, 1))
            return buffer
        }
        parameters = allocate(total)
        gradients = allocate(total)
        h = allocate(capacity * encoder)
        m = allocate(capacity * implicit)
        bump = allocate(capacity * hidden)
        reconstruction = allocate(capacity * inputs)
        gradOut = allocate(capacity * inputs)
        gradBump = allocate(capacity * hidden + hidden * implicit)
        muT = allocate(hidden * implicit)
        gradM = allocate(capacity * implicit)
        gradH = allocate(capacity * encoder)
        buffers = [parameters, gradients, h, m, bump, reconstruction, gradOut, gradBump, gradM, gradH, muT]
        load(initial)
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    /// Copies `p` into the flat parameter buffer.
    func load(_ p: Parameters) {
        for (matrix, offset) in zip(p.all, offsets) {
            matrix.storage.withUnsafeBufferPointer { source in
                (parameters + offset).update(from: source.baseAddress!, count: source.count)
            }
        }
    }

    /// The current parameters as matrices.
    var currentParameters: Parameters { unpack(parameters) }

    /// The gradients of the last `lossAndGradients` call, shaped as parameters.
    var currentGradients: Parameters { unpack(gradients) }

    private func unpack(_ flat: UnsafeMutablePointer<Double>) -> Parameters {
        let matrices = zip(shapes, offsets).map { shape, offset in
            Matrix(rows: shape.rows, columns: shape.columns,
                   storage: Array(UnsafeBufferPointer(start: flat + offset, count: shape.rows * shape.columns)))
        }
        return Parameters(w1: matrices[0], b1: matrices[1], w2: matrices[2], b2: matrices[3],
                          mu: matrices[4], wd: matrices[5], bd: matrices[6])
    }

    private var w1: UnsafeMutablePointer<Double> { parameters + offsets[0] }
    private var b1: UnsafeMutablePointer<Double> { parameters + offsets[1] }
    private var w2: UnsafeMutablePointer<Double> { parameters + offsets[2] }
    private var b2: UnsafeMutablePointer<Double> { parameters + offsets[3] }
    private var mu: UnsafeMutablePointer<Double> { parameters + offsets[4] }
    private var wd: UnsafeMutablePointer<Double> { parameters + offsets[5] }
    private var bd: UnsafeMutablePointer<Double> { parameters + offsets[6] }

    /// Rows per block of a long forward pass (the history and evaluation passes over whole
    /// data sets): a block's activations stay in cache from one product to the next.
    static let forwardBlock = 256

    /// Runs the forward pass on the `n` rows of `x` (row-major, `n × inputs`), filling
    /// `h`, `m`, `bump` and `reconstruction`, in blocks of `forwardBlock` rows. Every row
    /// is computed by the same operations in the same order whatever its block, so the
    /// result does not depend on `n` or on where a row sits.
    func forward(_ x: UnsafePointer<Double>, rows n: Int) {
        precondition(n <= capacity, "forward: \(n) rows exceed the capacity \(capacity)")
        var start = 0
        while start < n {
            let rows = min(Self.forwardBlock, n - start)
            forwardBlock(x + start * inputs, rows: rows, from: start)
            start += rows
        }
    }

    /// The forward pass of rows `first ..< first + n`, whose inputs start at `x`.
    private func forwardBlock(_ x: UnsafePointer<Double>, rows n: Int, from first: Int) {
        let h = self.h + first * encoder
        let m = self.m + first * implicit
        let bump = self.bump + first * hidden
        let reconstruction = self.reconstruction + first * inputs
        // h = tanh(X·W1 + b1): the bias rows first, then the product added to them (β = 1),
        // which rounds as numpy's `X @ W1 + b1` and spares BLAS a pass that zeroes C.
        fillRows(h, with: b1, rows: n, columns: encoder)
        Linear.gemm(x, rows: n, columns: inputs, transpose: false,
                    w1, rows: inputs, columns: encoder, transpose: false, into: h, beta: 1)
        VectorMath.tanh(UnsafeMutableBufferPointer(start: h, count: n * encoder))
        // m̂ = 1 / (1 + exp(-clip(h·W2 + b2, -50, 50)))
        fillRows(m, with: b2, rows: n, columns: implicit)
        Linear.gemm(h, rows: n, columns: encoder, transpose: false,
                    w2, rows: encoder, columns: implicit, transpose: false, into: m, beta: 1)
        for i in 0..<(n * implicit) { m[i] = -min(max(m[i], -50), 50) }
        VectorMath.exp(UnsafeMutableBufferPointer(start: m, count: n * implicit))
        for i in 0..<(n * implicit) { m[i] = 1.0 / (1.0 + m[i]) }
        // b_i = exp(-‖μ_i − m̂‖² / 2σ²), with ‖·‖² summed over k in order as numpy does
        // (d₀² + d₁² + …); μ is read transposed (K × H) so the loop over i vectorises.
        if first == 0 { transposeMu() }
        bumpArguments(m, rows: n, into: bump)
        VectorMath.exp(UnsafeMutableBufferPointer(start: bump, count: n * hidden))
        // x̂ = b·Wd + bd
        fillRows(reconstruction, with: bd, rows: n, columns: inputs)
        Linear.gemm(bump, rows: n, columns: hidden, transpose: false,
                    wd, rows: hidden, columns: inputs, transpose: false, into: reconstruction, beta: 1)
    }

    /// `out[r, i] = -‖μ_i − m̂_r‖² / 2σ²` for the `n` rows of `m`, four bumps at a time.
    private func bumpArguments(_ m: UnsafeMutablePointer<Double>, rows n: Int,
                               into out: UnsafeMutablePointer<Double>) {
        let twoSigma2 = 2.0 * (sigma * sigma)
        let (hidden, implicit, muT) = (hidden, implicit, muT)
        for row in 0..<n {
            let mRow = m + row * implicit
            let outRow = out + row * hidden
            var i = 0
            while i + 4 <= hidden {
                let d0 = load4(muT + i) - mRow[0]
                var sum = d0 * d0
                for k in 1..<implicit {
                    let d = load4(muT + k * hidden + i) - mRow[k]
                    sum += d * d
                }
                store4(-sum / twoSigma2, outRow + i)
                i += 4
            }
            while i < hidden {
                let d0 = muT[i] - mRow[0]
                var sum = d0 * d0
                for k in 1..<implicit {
                    let d = muT[k * hidden + i] - mRow[k]
                    sum += d * d
                }
                outRow[i] = -sum / twoSigma2
                i += 1
            }
        }
    }

    /// The loss `½ Σ (x̂ − X)² / n` of the `n` rows of `x`, leaving its gradient with
    /// respect to every parameter in `gradients`.
    func lossAndGradients(_ x: UnsafePointer<Double>, rows n: Int) -> Double {
        forward(x, rows: n)
        let count = Double(n)
        // err = x̂ − X, g_out = err / n. When n is a power of two, 1/n is exact and
        // multiplying by it rounds exactly as dividing does, without the division's cost.
        var sse = 0.0
        if n & (n - 1) == 0 {
            let inverse = 1.0 / count
            for i in 0..<(n * inputs) {
                let err = reconstruction[i] - x[i]
                sse += err * err
                gradOut[i] = err * inverse
            }
        } else {
            for i in 0..<(n * inputs) {
                let err = reconstruction[i] - x[i]
                sse += err * err
                gradOut[i] = err / count
            }
        }
        // g_bump = g_out · Wdᵀ, then g_r2 = −g_bump · b / 2σ² (in place)
        Linear.gemm(gradOut, rows: n, columns: inputs, transpose: false,
                    wd, rows: hidden, columns: inputs, transpose: true, into: gradBump)
        let twoSigma2 = 2.0 * (sigma * sigma)
        // g_diff = 2 (μ_i − m̂) g_r2, summed over the batch for μ (kept transposed, K × H,
        // while accumulating) and over the bumps for m̂; then g_mpre = −Σ_i g_diff · m̂ (1 − m̂).
        let gradMuT = gradBump + capacity * hidden
        gradMuT.update(repeating: 0, count: hidden * implicit)
        let (hidden, implicit, muT, m, bump, gradBump, gradM) = (hidden, implicit, muT, m, bump, gradBump, gradM)
        for row in 0..<n {
            let mRow = m + row * implicit
            let gmRow = gradM + row * implicit
            let gr2Row = gradBump + row * hidden
            let bumpRow = bump + row * hidden
            // g_r2 = −g_bump · b / 2σ², in place, one row at a time (it stays in cache).
            var j = 0
            while j + 4 <= hidden {
                store4(-load4(gr2Row + j) * load4(bumpRow + j) / twoSigma2, gr2Row + j)
                j += 4
            }
            while j < hidden {
                gr2Row[j] = -gr2Row[j] * bumpRow[j] / twoSigma2
                j += 1
            }
            for k in 0..<implicit {
                let mk = mRow[k]
                let muK = muT + k * hidden
                let gMuK = gradMuT + k * hidden
                var lanes = SIMD4<Double>()
                var i = 0
                while i + 4 <= hidden {
                    let mu4 = UnsafeRawPointer(muK + i).loadUnaligned(as: SIMD4<Double>.self)
                    let g4 = UnsafeRawPointer(gr2Row + i).loadUnaligned(as: SIMD4<Double>.self)
                    let gDiff = 2.0 * (mu4 - mk) * g4
                    let acc = UnsafeRawPointer(gMuK + i).loadUnaligned(as: SIMD4<Double>.self) + gDiff
                    UnsafeMutableRawPointer(gMuK + i).storeBytes(of: acc, as: SIMD4<Double>.self)
                    lanes += gDiff
                    i += 4
                }
                var sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
                while i < hidden {
                    let gDiff = 2.0 * (muK[i] - mk) * gr2Row[i]
                    gMuK[i] += gDiff
                    sum += gDiff
                    i += 1
                }
                gmRow[k] = -sum * mk * (1.0 - mk)
            }
        }
        let gradMu = gradients + offsets[4]
        for i in 0..<hidden {
            for k in 0..<implicit { gradMu[i * implicit + k] = gradMuT[k * hidden + i] }
        }
        // g_hpre = (g_mpre · W2ᵀ) ⊙ (1 − h²)
        Linear.gemm(gradM, rows: n, columns: implicit, transpose: false,
                    w2, rows: encoder, columns: implicit, transpose: true, into: gradH)
        for i in 0..<(n * encoder) { gradH[i] *= 1.0 - h[i] * h[i] }

        // Parameter gradients: weights by GEMM, biases by column sums.
        Linear.gemm(bump, rows: n, columns: hidden, transpose: true,
                    gradOut, rows: n, columns: inputs, transpose: false, into: gradients + offsets[5])
        columnSums(gradOut, rows: n, columns: inputs, into: gradients + offsets[6])
        Linear.gemm(h, rows: n, columns: encoder, transpose: true,
                    gradM, rows: n, columns: implicit, transpose: false, into: gradients + offsets[2])
        columnSums(gradM, rows: n, columns: implicit, into: gradients + offsets[3])
        Linear.gemm(x, rows: n, columns: inputs, transpose: true,
                    gradH, rows: n, columns: encoder, transpose: false, into: gradients + offsets[0])
        columnSums(gradH, rows: n, columns: encoder, into: gradients + offsets[1])
        return 0.5 * sse / count
    }

    private func transposeMu() {
        for i in 0..<hidden {
            for k in 0..<implicit { muT[k * hidden + i] = mu[i * implicit + k] }
        }
    }

    /// One SGD step: `p ← p − lr · g` for every parameter.
    func step(learningRate lr: Double) {
        for i in 0..<parameterCount { parameters[i] -= lr * gradients[i] }
    }

    /// `rows × columns` values at `source` as a matrix.
    func matrix(_ source: UnsafeMutablePointer<Double>, rows: Int, columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns,
               storage: Array(UnsafeBufferPointer(start: source, count: rows * columns)))
    }

    /// Every row of `a` (`rows × columns`) set to `v`.
    private func fillRows(_ a: UnsafeMutablePointer<Double>, with v: UnsafeMutablePointer<Double>,
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

    private func columnSums(_ a: UnsafeMutablePointer<Double>, rows: Int, columns: Int,
                            into out: UnsafeMutablePointer<Double>) {
        out.update(repeating: 0, count: columns)
        for r in 0..<rows {
            let row = a + r * columns
            for c in 0..<columns { out[c] += row[c] }
        }
    }
}

@inline(__always) private func load4(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
}

@inline(__always) private func load4(_ p: UnsafeMutablePointer<Double>) -> SIMD4<Double> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
}

@inline(__always) private func store4(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
}
