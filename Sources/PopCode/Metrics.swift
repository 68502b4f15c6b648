#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// R² of predicting each latent target from m̂: x, y, cos 2θ, sin 2θ, and their mean.
public struct R2Scores: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double
    public var cos2theta: Double
    public var sin2theta: Double
    public var mean: Double

    public init(x: Double, y: Double, cos2theta: Double, sin2theta: Double) {
        self.x = x
        self.y = y
        self.cos2theta = cos2theta
        self.sin2theta = sin2theta
        mean = (x + y + cos2theta + sin2theta) / 4
    }
}

/// The evaluation measures, as pure functions of matrices.
public enum Metrics {
    /// Noise level σ_r of the description-length proxy.
    public static let reconstructionSigma = 0.15

    /// Mean squared error over every entry: `Σ (a − b)² / count`.
    public static func meanSquaredError(_ a: Matrix, _ b: Matrix) -> Double {
        precondition(a.rows == b.rows && a.columns == b.columns, "meanSquaredError: shapes differ")
        guard !a.storage.isEmpty else { return .nan }
        var sum = 0.0
        for i in a.storage.indices {
            let d = a.storage[i] - b.storage[i]
            sum += d * d
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
    /// implicit code, `K · log₂(1/σ)`, averaged over images.
    public static func descriptionBits(reconstruction: Matrix, data: Matrix,
                                       implicitDimensions k: Int, sigma: Double) -> Double {
        precondition(reconstruction.rows == data.rows && reconstruction.columns == data.columns,
                     "descriptionBits: shapes differ")
        guard data.rows > 0 else { return .nan }
        let sr2 = reconstructionSigma * reconstructionSigma
        let d = Double(data.columns)
        let constant = 0.5 * d * log2(2.0 * Double.pi * sr2)
        let code = Double(k) * log2(1.0 / sigma)
        var total = 0.0
        for i in 0..<data.rows {
            var sse = 0.0
            for j in 0..<data.columns {
                let e = reconstruction[i, j] - data[i, j]
                sse += e * e
            }
            total += (sse / (2.0 * sr2 * M_LN2) + constant) + code
        }
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
    /// each target: `1 − SS_res / max(SS_tot, 1e-12)`.
    public static func recoveryR2(implicit m: Matrix, latents: Matrix, degree: Int) -> R2Scores {
        precondition(m.rows == latents.rows, "recoveryR2: \(m.rows) codes, \(latents.rows) latents")
        let p = polynomialFeatures(m, degree: degree)
        let target = targets(latents: latents)
        let coefficients = Linear.leastSquares(p, target)
        let fitted = Linear.multiply(p, coefficients)
        var r2 = [Double](repeating: .nan, count: 4)
        for j in 0..<4 {
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
        return R2Scores(x: r2[0], y: r2[1], cos2theta: r2[2], sin2theta: r2[3])
    }

    /// Singular values of m̂ after subtracting each column's mean: how many implicit
    /// dimensions the code really uses.
    public static func centredSingularValues(_ m: Matrix) -> [Double] {
        var centred = m
        for j in 0..<m.columns {
            var mean = 0.0
            for i in 0..<m.rows { mean += m[i, j] }
            mean /= Double(m.rows)
            for i in 0..<m.rows { centred[i, j] -= mean }
        }
        return Linear.singularValues(centred)
    }
}
