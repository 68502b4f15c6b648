#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// R² of predicting each of a task's regression targets from m̂, and their mean.
///
/// Stored as one number per target name plus `mean`:
/// `{"x": 0.26, "y": 0.17, "cos2theta": 0.01, "sin2theta": 0.05, "mean": 0.12}`.
public struct R2Scores: Sendable, Hashable {
    /// The targets' names (`TaskKind.targetNames`), in column order.
    public let names: [String]
    public let values: [Double]
    /// `Σ values / count`, summed in order.
    public let mean: Double

    public init(names: [String], values: [Double]) {
        precondition(names.count == values.count, "R2Scores: \(names.count) names, \(values.count) values")
        self.names = names
        self.values = values
        var sum = 0.0
        for value in values { sum += value }
        mean = values.isEmpty ? .nan : sum / Double(values.count)
    }

    /// The dipole-3d scores.
    public init(x: Double, y: Double, cos2theta: Double, sin2theta: Double) {
        self.init(names: TaskKind.dipole3D.targetNames, values: [x, y, cos2theta, sin2theta])
    }

    /// The score of the target `name`, if there is one.
    public subscript(name: String) -> Double? {
        names.firstIndex(of: name).map { values[$0] }
    }

    /// The dipole-3d targets' scores (NaN when the task has no such target).
    public var x: Double { self["x"] ?? .nan }
    public var y: Double { self["y"] ?? .nan }
    public var cos2theta: Double { self["cos2theta"] ?? .nan }
    public var sin2theta: Double { self["sin2theta"] ?? .nan }
}

/// The evaluation measures, as pure functions of matrices.
public enum Metrics {
    /// Noise level σ_r of the description-length proxy.
    public static let reconstructionSigma = 0.15

    /// Mean squared error over every entry: `Σ (a − b)² / count`, summed in numpy's pairwise
    /// order (`((a - b) ** 2).mean()` bit for bit).
    public static func meanSquaredError(_ a: Matrix, _ b: Matrix) -> Double {
        precondition(a.rows == b.rows && a.columns == b.columns, "meanSquaredError: shapes differ")
        guard !a.storage.isEmpty else { return .nan }
        let sum = a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                NumpyMath.pairwiseSumOfSquaredDifferences(pa.baseAddress!, pb.baseAddress!, count: pa.count)
            }
        }
        return sum / Double(a.storage.count)
    }

    /// The MSE of predicting every pixel by its mean: the mean over pixels of each
    /// pixel's population variance (numpy's `X.var(axis=0).mean()`).
    public static func naiveMeanSquaredError(_ x: Matrix) -> Double {
        guard x.rows > 0, x.columns > 0 else { return .nan }
        let n = Double(x.rows)
        var total = 0.0
        for j in 0..<x.columns {
            var mean = 0.0
            for i in 0..<x.rows { mean += x[i, j] }
            mean /= n
            var v = 0.0
            for i in 0..<x.rows {
                let d = x[i, j] - mean
                v += d * d
            }
            total += v / n
        }
        return total / Double(x.columns)
    }

    /// The description-length proxy in bits per image: the cost of the residuals under
    /// Gaussian noise σ_r, `SSE / (2σ_r² ln 2) + (d/2) log₂(2πσ_r²)`, plus the cost of the
    /// implicit code, `K · log₂(1/σ)` plus `codeBits` (the mdl model's KL cost of the
    /// activities, 0 for the bottleneck), averaged over images.
    public static func descriptionBits(reconstruction: Matrix, data: Matrix,
                                       implicitDimensions k: Int, sigma: Double, codeBits: Double = 0) -> Double {
        precondition(reconstruction.rows == data.rows && reconstruction.columns == data.columns,
                     "descriptionBits: shapes differ")
        guard data.rows > 0 else { return .nan }
        let sr2 = reconstructionSigma * reconstructionSigma
        let d = Double(data.columns)
        let constant = 0.5 * d * log2(2.0 * Double.pi * sr2)
        let code = Double(k) * log2(1.0 / sigma) + codeBits
        // Per image, then over images, each sum in numpy's pairwise order.
        let columns = data.columns
        let perImage = reconstruction.storage.withUnsafeBufferPointer { pr in
            data.storage.withUnsafeBufferPointer { pd in
                (0..<data.rows).map { i in
                    let sse = NumpyMath.pairwiseSumOfSquaredDifferences(
                        pr.baseAddress! + i * columns, pd.baseAddress! + i * columns, count: columns)
                    return (sse / (2.0 * sr2 * M_LN2) + constant) + code
                }
            }
        }
        let total = perImage.withUnsafeBufferPointer { NumpyMath.pairwiseSum($0.baseAddress!, count: $0.count) }
        return total / Double(data.rows)
    }

    /// Columns of the polynomial in m̂ of total degree ≤ `degree` (0 to 3): a constant, the
    /// K coordinates, the products m_i m_j (i ≤ j), then m_i m_j m_l (i ≤ j ≤ l).
    public static func polynomialFeatures(_ m: Matrix, degree: Int) -> Matrix {
        precondition((0...3).contains(degree), "polynomialFeatures: degree \(degree) not in 0...3")
        let k = m.columns
        var terms: [[Int]] = [[]]
        if degree >= 1 { terms += (0..<k).map { [$0] } }
        if degree >= 2 { for i in 0..<k { for j in i..<k { terms.append([i, j]) } } }
        if degree >= 3 {
            for i in 0..<k { for j in i..<k { for l in j..<k { terms.append([i, j, l]) } } }
        }
        var p = Matrix(rows: m.rows, columns: terms.count)
        for r in 0..<m.rows {
            for (c, term) in terms.enumerated() {
                var value = 1.0
                for (position, index) in term.enumerated() {
                    value = position == 0 ? m[r, index] : value * m[r, index]
                }
                p[r, c] = value
            }
        }
        return p
    }

    /// The regression targets per image: x, y, cos 2θ, sin 2θ from latents `(x, y, θ)`.
    public static func targets(latents: Matrix) -> Matrix {
        var t = Matrix(rows: latents.rows, columns: 4)
        for i in 0..<latents.rows {
            t[i, 0] = latents[i, 0]
            t[i, 1] = latents[i, 1]
            t[i, 2] = cos(2 * latents[i, 2])
            t[i, 3] = sin(2 * latents[i, 2])
        }
        return t
    }

    /// R² of the least-squares polynomial fit (degree 1 = linear, 3 = cubic) from m̂ to
    /// each dipole-3d target (x, y, cos 2θ, sin 2θ of latents `(x, y, θ)`).
    public static func recoveryR2(implicit m: Matrix, latents: Matrix, degree: Int) -> R2Scores {
        recoveryR2(implicit: m, targets: targets(latents: latents), names: TaskKind.dipole3D.targetNames,
                   degree: degree)
    }

    /// R² of the least-squares polynomial fit (degree 1 = linear, 3 = cubic) from m̂ to each
    /// column of `targets`: `1 − SS_res / max(SS_tot, 1e-12)`. With K > 3 the polynomial is
    /// built on m̂'s top three principal components (`principalComponents`), as the
    /// reference does: a cubic in 10 dimensions has 286 terms.
    public static func recoveryR2(implicit m: Matrix, targets target: Matrix, names: [String],
                                  degree: Int) -> R2Scores {
        precondition(m.rows == target.rows, "recoveryR2: \(m.rows) codes, \(target.rows) targets")
        precondition(names.count == target.columns, "recoveryR2: \(names.count) names, \(target.columns) targets")
        let p = polynomialFeatures(m.columns > 3 ? principalComponents(m, count: 3) : m, degree: degree)
        let coefficients = Linear.leastSquares(p, target)
        let fitted = Linear.multiply(p, coefficients)
        var r2 = [Double](repeating: .nan, count: target.columns)
        for j in 0..<target.columns {
            var mean = 0.0
            for i in 0..<target.rows { mean += target[i, j] }
            mean /= Double(target.rows)
            var ssRes = 0.0, ssTot = 0.0
            for i in 0..<target.rows {
                let res = target[i, j] - fitted[i, j]
                let dev = target[i, j] - mean
                ssRes += res * res
                ssTot += dev * dev
            }
            r2[j] = 1.0 - ssRes / max(ssTot, 1e-12)
        }
        return R2Scores(names: names, values: r2)
    }

    /// m̂ with each column's mean subtracted.
    public static func centred(_ m: Matrix) -> Matrix {
        var centred = m
        for j in 0..<m.columns {
            var mean = 0.0
            for i in 0..<m.rows { mean += m[i, j] }
            mean /= Double(m.rows)
            for i in 0..<m.rows { centred[i, j] -= mean }
        }
        return centred
    }

    /// The coordinates of the centred m̂ on its first `count` principal axes: `C·V[:, :count]`
    /// for the SVD `C = U S Vᵀ` of the centred m̂ (`n × count`).
    public static func principalComponents(_ m: Matrix, count: Int) -> Matrix {
        let c = centred(m)
        let vt = Linear.rightSingularVectors(c)
        let kept = min(count, vt.rows)
        var axes = Matrix(rows: m.columns, columns: kept)
        for i in 0..<kept {
            for k in 0..<m.columns { axes[k, i] = vt[i, k] }
        }
        return Linear.multiply(c, axes)
    }

    /// The participation ratio `(Σ s²)² / Σ s⁴` of singular values s (largest first): how
    /// many dimensions m̂ spreads over, 1 for a line, K for an isotropic cloud; and how many
    /// singular values reach 10 % of the largest (0 when the largest is 0).
    public static func effectiveDimension(singularValues s: [Double]) -> (ratio: Double, used: Int) {
        var sum = 0.0, sumSquares = 0.0
        for value in s {
            let lambda = value * value
            sum += lambda
            sumSquares += lambda * lambda
        }
        let ratio = sum * sum / max(sumSquares, 1e-300)
        guard let largest = s.first, largest > 0 else { return (ratio, 0) }
        return (ratio, s.filter { $0 >= 0.1 * largest }.count)
    }

    /// Singular values of m̂ after subtracting each column's mean: how many implicit
    /// dimensions the code really uses.
    public static func centredSingularValues(_ m: Matrix) -> [Double] {
        Linear.singularValues(centred(m))
    }
}
