#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The paper's own procedure: MDL pressure as a cost on the code, not an architecture
/// (`popcode_family.py`, "MDL MODEL"). For a batch X (n × 64), H units at learnable
/// positions μ_j ∈ R^K:
///
///     h   = tanh(X·W1 + b1)                         (n × E)
///     a   = softmax(h·W2 + b2)                      (n × H)  the population's activities
///     m̂   = a·μ                                     (n × K)  their centre of mass
///     b   = softmax(−‖μ_j − m̂‖² / 2σ²)              (n × H)  the standard bump on m̂
///     r   = √H · a  (+ ν·N(0, 1) per unit in training)
///     x̂   = r·Wd + bd
///     L   = (½ Σ‖x̂ − X‖² + w Σ KL(a ‖ b)) / n,   KL = Σ_j a_j (log a_j − log b_j)
///
/// with `w = code_weight · min(1, (e + 1) / code_warmup)` in epoch e (`code_weight` when the
/// warmup is 0). The training noise comes from `default_rng(seed + 2000)`: one standard
/// normal per (image, unit) of each minibatch, row by row.
///
/// A class because it owns raw memory (freed in `deinit`); one per run, one thread.
final class MDLNetwork {
    let inputs: Int
    let encoder: Int
    let implicit: Int
    let hidden: Int
    let sigma: Double
    let codeWeight: Double
    let codeWarmup: Int
    let activityNoise: Double
    let capacity: Int
    /// The most rows one gradient can take: the backward scratch holds that many (a
    /// minibatch), not `capacity` (a whole data set: ≈ 9 MB more for the reference shapes).
    let stepCapacity: Int
    /// The training noise stream, advanced by every `lossAndGradients` call when ν > 0.
    var noise: RandomGenerator

    let shapes: [(rows: Int, columns: Int)]
    let offsets: [Int]
    let parameterCount: Int
    let parameters: UnsafeMutablePointer<Double>
    let gradients: UnsafeMutablePointer<Double>

    // Activations of the last pass (first n rows valid).
    let h: UnsafeMutablePointer<Double>
    let logA: UnsafeMutablePointer<Double>
    let a: UnsafeMutablePointer<Double>
    let m: UnsafeMutablePointer<Double>
    let logB: UnsafeMutablePointer<Double>
    let b: UnsafeMutablePointer<Double>
    let r: UnsafeMutablePointer<Double>
    let kl: UnsafeMutablePointer<Double>
    let reconstruction: UnsafeMutablePointer<Double>
    // Backward scratch.
    private let gradOut: UnsafeMutablePointer<Double>
    private let gradU: UnsafeMutablePointer<Double>
    private let gradM: UnsafeMutablePointer<Double>
    private let gradA: UnsafeMutablePointer<Double>
    private let gradH: UnsafeMutablePointer<Double>
    private let gradUTM: UnsafeMutablePointer<Double>
    private var buffers: [UnsafeMutablePointer<Double>] = []

    /// A network for forward passes of up to `capacity` rows and gradients of up to
    /// `stepCapacity` rows (default: `capacity`).
    init(parameters initial: Parameters, spec: RunSpec, capacity: Int, stepCapacity: Int? = nil,
         noise: RandomGenerator) {
        Linear.useSingleThread()
        inputs = initial.w1.rows
        encoder = initial.w1.columns
        hidden = initial.mu.rows
        implicit = initial.mu.columns
        precondition(initial.w2.columns == hidden, "MDLNetwork: W2 must map to the \(hidden) units")
        sigma = spec.sigma
        codeWeight = spec.codeWeight
        codeWarmup = spec.codeWarmup
        activityNoise = spec.activityNoise
        self.capacity = capacity
        let stepCapacity = min(stepCapacity ?? capacity, capacity)
        self.stepCapacity = stepCapacity
        self.noise = noise
        shapes = initial.all.map { ($0.rows, $0.columns) }
        var offsets: [Int] = []
        var total = 0
        for matrix in initial.all {
            offsets.append(total)
            total += matrix.storage.count
        }
        self.offsets = offsets
        parameterCount = total

        var buffers: [UnsafeMutablePointer<Double>] = []
        func allocate(_ count: Int) -> UnsafeMutablePointer<Double> {
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
            buffer.initialize(repeating: 0, count: max(count, 1))
            buffers.append(buffer)
            return buffer
        }
        let units = capacity * hidden
        parameters = allocate(total)
        gradients = allocate(total)
        h = allocate(capacity * encoder)
        logA = allocate(units)
        a = allocate(units)
        m = allocate(capacity * implicit)
        logB = allocate(units)
        b = allocate(units)
        r = allocate(units)
        kl = allocate(capacity)
        reconstruction = allocate(capacity * inputs)
        gradOut = allocate(stepCapacity * inputs)
        gradU = allocate(stepCapacity * hidden)
        gradM = allocate(stepCapacity * implicit)
        gradA = allocate(stepCapacity * hidden)
        gradH = allocate(stepCapacity * encoder)
        gradUTM = allocate(hidden * implicit)
        self.buffers = buffers
        for (matrix, offset) in zip(initial.all, offsets) {
            matrix.storage.withUnsafeBufferPointer { (parameters + offset).update(from: $0.baseAddress!, count: $0.count) }
        }
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    private var w1: UnsafeMutablePointer<Double> { parameters + offsets[0] }
    private var b1: UnsafeMutablePointer<Double> { parameters + offsets[1] }
    private var w2: UnsafeMutablePointer<Double> { parameters + offsets[2] }
    private var b2: UnsafeMutablePointer<Double> { parameters + offsets[3] }
    private var mu: UnsafeMutablePointer<Double> { parameters + offsets[4] }
    private var wd: UnsafeMutablePointer<Double> { parameters + offsets[5] }
    private var bd: UnsafeMutablePointer<Double> { parameters + offsets[6] }

    var currentParameters: Parameters { Parameters(unpacking: parameters, shapes: shapes) }
    var currentGradients: Parameters { Parameters(unpacking: gradients, shapes: shapes) }

    /// The code weight w in epoch `epoch` (0-based).
    func weight(epoch: Int) -> Double {
        codeWarmup > 0 ? codeWeight * min(1.0, Double(epoch + 1) / Double(codeWarmup)) : codeWeight
    }

    /// The forward pass on the `n` rows of `x`, with `noise` (n × H, or nil) added to r.
    func forward(_ x: UnsafePointer<Double>, rows n: Int, noise: UnsafePointer<Double>?) {
        precondition(n <= capacity, "forward: \(n) rows exceed the capacity \(capacity)")
        guard n > 0 else { return }
        let (hidden, implicit) = (hidden, implicit)
        // h = tanh(X·W1 + b1)
        Linear.gemm(x, rows: n, columns: inputs, transpose: false,
                    w1, rows: inputs, columns: encoder, transpose: false, into: h)
        addRow(b1, to: h, rows: n, columns: encoder)
        VectorMath.tanh(UnsafeMutableBufferPointer(start: h, count: n * encoder))
        // log a = log_softmax(h·W2 + b2), a = exp(log a)
        Linear.gemm(h, rows: n, columns: encoder, transpose: false,
                    w2, rows: encoder, columns: hidden, transpose: false, into: logA)
        addRow(b2, to: logA, rows: n, columns: hidden)
        logSoftmax(logA, rows: n, into: a)
        // m̂ = a·μ
        Linear.gemm(a, rows: n, columns: hidden, transpose: false,
                    mu, rows: hidden, columns: implicit, transpose: false, into: m)
        // log b = log_softmax(−‖μ_j − m̂‖² / 2σ²), b = exp(log b)
        let twoSigma2 = 2.0 * (sigma * sigma)
        for row in 0..<n {
            let mRow = m + row * implicit
            let out = logB + row * hidden
            for j in 0..<hidden {
                let muJ = mu + j * implicit
                var d2 = 0.0
                for k in 0..<implicit {
                    let d = muJ[k] - mRow[k]
                    d2 += d * d
                }
                out[j] = -d2 / twoSigma2
            }
        }
        logSoftmax(logB, rows: n, into: b)
        // KL(a ‖ b) per image; r = √H a (+ noise); x̂ = r·Wd + bd
        let scale = Double(hidden).squareRoot()
        for row in 0..<n {
            var sum = 0.0
            for j in (row * hidden)..<((row + 1) * hidden) {
                sum += a[j] * (logA[j] - logB[j])
                r[j] = a[j] * scale
            }
            kl[row] = sum
        }
        if let noise {
            for i in 0..<(n * hidden) { r[i] += noise[i] }
        }
        Linear.gemm(r, rows: n, columns: hidden, transpose: false,
                    wd, rows: hidden, columns: inputs, transpose: false, into: reconstruction)
        addRow(bd, to: reconstruction, rows: n, columns: inputs)
    }

    /// The training loss of the `n` rows of `x` in epoch `epoch` (drawing the batch's noise),
    /// leaving its gradient with respect to every parameter in `gradients`.
    func lossAndGradients(_ x: UnsafePointer<Double>, rows n: Int, epoch: Int) -> Double {
        let w = weight(epoch: epoch)
        if activityNoise > 0 {
            let draws = noise.standardNormal(count: n * hidden).map { activityNoise * $0 }
            draws.withUnsafeBufferPointer { forward(x, rows: n, noise: $0.baseAddress!) }
        } else {
            forward(x, rows: n, noise: nil)
        }
        return backward(x, rows: n, codeWeight: w)
    }

    /// The gradients of the loss with code weight `w` at the last forward pass of `x`.
    func backward(_ x: UnsafePointer<Double>, rows n: Int, codeWeight w: Double) -> Double {
        precondition(n <= stepCapacity, "backward: \(n) rows exceed the step capacity \(stepCapacity)")
        let (hidden, implicit) = (hidden, implicit)
        let count = Double(n)
        var sse = 0.0
        for i in 0..<(n * inputs) {
            let err = reconstruction[i] - x[i]
            sse += err * err
            gradOut[i] = err / count
        }
        var klSum = 0.0
        for row in 0..<n { klSum += kl[row] }
        let c = w / count
        let sigma2 = sigma * sigma
        // g_u = c (b − a): the gradient through log b's softmax
        for i in 0..<(n * hidden) { gradU[i] = c * (b[i] - a[i]) }
        // g_m = g_u·μ / σ²
        Linear.gemm(gradU, rows: n, columns: hidden, transpose: false,
                    mu, rows: hidden, columns: implicit, transpose: false, into: gradM)
        for i in 0..<(n * implicit) { gradM[i] /= sigma2 }
        // g_μ = −(Σ_rows g_u ⊗ μ − g_uᵀ·m̂) / σ² + aᵀ·g_m
        let gradMu = gradients + offsets[4]
        Linear.gemm(gradU, rows: n, columns: hidden, transpose: true,
                    m, rows: n, columns: implicit, transpose: false, into: gradUTM)
        Linear.gemm(a, rows: n, columns: hidden, transpose: true,
                    gradM, rows: n, columns: implicit, transpose: false, into: gradMu)
        for j in 0..<hidden {
            var column = 0.0
            for row in 0..<n { column += gradU[row * hidden + j] }
            for k in 0..<implicit {
                let i = j * implicit + k
                gradMu[i] = -(column * mu[i] - gradUTM[i]) / sigma2 + gradMu[i]
            }
        }
        // g_a = √H g_out·Wdᵀ + c (log a − log b) + g_m·μᵀ
        Linear.gemm(gradOut, rows: n, columns: inputs, transpose: false,
                    wd, rows: hidden, columns: inputs, transpose: true, into: gradA)
        let scale = Double(hidden).squareRoot()
        for i in 0..<(n * hidden) { gradA[i] = gradA[i] * scale + c * (logA[i] - logB[i]) }
        Linear.gemm(gradM, rows: n, columns: implicit, transpose: false,
                    mu, rows: hidden, columns: implicit, transpose: true, into: gradA, beta: 1)
        // g_z = a ⊙ (g_a − Σ_j a_j g_a,j), in place of g_a
        for row in 0..<n {
            let aRow = a + row * hidden, gRow = gradA + row * hidden
            var dot = 0.0
            for j in 0..<hidden { dot += aRow[j] * gRow[j] }
            for j in 0..<hidden { gRow[j] = aRow[j] * (gRow[j] - dot) }
        }
        // g_hpre = (g_z·W2ᵀ) ⊙ (1 − h²)
        Linear.gemm(gradA, rows: n, columns: hidden, transpose: false,
                    w2, rows: encoder, columns: hidden, transpose: true, into: gradH)
        for i in 0..<(n * encoder) { gradH[i] *= 1.0 - h[i] * h[i] }

        Linear.gemm(r, rows: n, columns: hidden, transpose: true,
                    gradOut, rows: n, columns: inputs, transpose: false, into: gradients + offsets[5])
        columnSums(gradOut, rows: n, columns: inputs, into: gradients + offsets[6])
        Linear.gemm(h, rows: n, columns: encoder, transpose: true,
                    gradA, rows: n, columns: hidden, transpose: false, into: gradients + offsets[2])
        columnSums(gradA, rows: n, columns: hidden, into: gradients + offsets[3])
        Linear.gemm(x, rows: n, columns: inputs, transpose: true,
                    gradH, rows: n, columns: encoder, transpose: false, into: gradients + offsets[0])
        columnSums(gradH, rows: n, columns: encoder, into: gradients + offsets[1])
        return (0.5 * sse + w * klSum) / count
    }

    /// The mean code cost KL(a ‖ b) of the last pass's `n` rows, in bits per image.
    func meanCodeBits(rows n: Int) -> Double {
        guard n > 0 else { return .nan }
        var sum = 0.0
        for row in 0..<n { sum += kl[row] }
        return sum / Double(n) / M_LN2
    }

    /// One SGD step: `p ← p − lr · g`.
    func step(learningRate lr: Double) {
        for i in 0..<parameterCount { parameters[i] -= lr * gradients[i] }
    }

    /// `z ← z − max_j z_j − log Σ_j exp(z_j − max_j z_j)` per row (log_softmax, in place),
    /// and `exp` of the result into `out`.
    private func logSoftmax(_ z: UnsafeMutablePointer<Double>, rows n: Int, into out: UnsafeMutablePointer<Double>) {
        let hidden = hidden
        for row in 0..<n {
            let zRow = z + row * hidden, oRow = out + row * hidden
            var top = -Double.infinity
            for j in 0..<hidden { top = max(top, zRow[j]) }
            for j in 0..<hidden {
                zRow[j] -= top
                oRow[j] = zRow[j]
            }
            VectorMath.exp(UnsafeMutableBufferPointer(start: oRow, count: hidden))
            var sum = 0.0
            for j in 0..<hidden { sum += oRow[j] }
            let logSum = log(sum)
            for j in 0..<hidden { zRow[j] -= logSum }
        }
        for i in 0..<(n * hidden) { out[i] = z[i] }
        VectorMath.exp(UnsafeMutableBufferPointer(start: out, count: n * hidden))
    }

    private func addRow(_ v: UnsafeMutablePointer<Double>, to x: UnsafeMutablePointer<Double>, rows: Int, columns: Int) {
        for row in 0..<rows {
            for c in 0..<columns { x[row * columns + c] += v[c] }
        }
    }

    private func columnSums(_ x: UnsafeMutablePointer<Double>, rows: Int, columns: Int,
                            into out: UnsafeMutablePointer<Double>) {
        out.update(repeating: 0, count: columns)
        for row in 0..<rows {
            for c in 0..<columns { out[c] += x[row * columns + c] }
        }
    }
}

extension Parameters {
    /// The matrices of `shapes` (in `Parameters.all` order) read one after another from `flat`.
    init(unpacking flat: UnsafePointer<Double>, shapes: [(rows: Int, columns: Int)]) {
        var offset = 0
        var matrices: [Matrix] = []
        for shape in shapes {
            let count = shape.rows * shape.columns
            matrices.append(Matrix(rows: shape.rows, columns: shape.columns,
                                   storage: Array(UnsafeBufferPointer(start: flat + offset, count: count))))
            offset += count
        }
        self.init(w1: matrices[0], b1: matrices[1], w2: matrices[2], b2: matrices[3],
                  mu: matrices[4], wd: matrices[5], bd: matrices[6])
    }
}
