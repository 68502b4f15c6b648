import Testing
@testable import PopCode

/// The analytic gradients against central finite differences of the loss.
struct GradientTests {
    /// A small model away from saturation: 12 images, 5 bumps in 2-D, 6 encoder units.
    static func smallProblem() -> (Parameters, Matrix, RunSpec) {
        let spec = RunSpec(seed: 3, nTrain: 12, nTest: 4, nHidden: 5, nImplicit: 2,
                           nEncHidden: 6, batchSize: 12, sigma: 0.3)
        let data = DipoleData(count: spec.nTrain, seed: UInt64(spec.seed))
        var p = Parameters(spec: spec)
        // Non-zero biases so their gradients are exercised away from zero too.
        for i in p.b1.storage.indices { p.b1.storage[i] = 0.05 * Double(i % 3) - 0.05 }
        for i in p.bd.storage.indices { p.bd.storage[i] = 0.01 * Double(i % 5) }
        return (p, data.images, spec)
    }

    @Test func everyParameterMatchesCentralDifferences() {
        let (p, x, spec) = Self.smallProblem()
        let (_, analytic) = Autoencoder.lossAndGradients(p, sigma: spec.sigma, batch: x)
        let h = 1e-4
        var worst = 0.0
        var checked = 0
        for (index, name) in Parameters.names.enumerated() {
            let count = p.all[index].storage.count
            // Every entry of the small matrices, a spread of the large ones.
            let stride = max(1, count / 40)
            for entry in Swift.stride(from: 0, to: count, by: stride) {
                // Five-point central difference: truncation error O(h⁴).
                func loss(_ delta: Double) -> Double {
                    let q = Self.perturbed(p, matrix: index, entry: entry, by: delta)
                    return Autoencoder.lossAndGradients(q, sigma: spec.sigma, batch: x).loss
                }
                let numeric = (-loss(2 * h) + 8 * loss(h) - 8 * loss(-h) + loss(-2 * h)) / (12 * h)
                let exact = analytic.all[index].storage[entry]
                let error = abs(numeric - exact) / max(abs(numeric), abs(exact), 1e-5)
                #expect(error < 1e-5, "\(name)[\(entry)]: analytic \(exact), numeric \(numeric)")
                worst = max(worst, error)
                checked += 1
            }
        }
        #expect(checked > 150)
        #expect(worst < 1e-5)
    }

    @Test func lossIsHalfTheMeanSumOfSquares() {
        let (p, x, spec) = Self.smallProblem()
        let (loss, _) = Autoencoder.lossAndGradients(p, sigma: spec.sigma, batch: x)
        let reconstruction = Autoencoder.forward(p, sigma: spec.sigma, x).reconstruction
        var sse = 0.0
        for i in x.storage.indices { sse += (reconstruction.storage[i] - x.storage[i]) * (reconstruction.storage[i] - x.storage[i]) }
        #expect(abs(loss - 0.5 * sse / Double(x.rows)) <= 1e-14 * loss)
    }

    @Test func forwardComputesTheDocumentedFormulas() {
        let (p, x, spec) = Self.smallProblem()
        let (reconstruction, implicit) = Autoencoder.forward(p, sigma: spec.sigma, x)
        // Naive scalar evaluation of the model for one image.
        let row = 7
        var h = [Double](repeating: 0, count: p.w1.columns)
        for j in h.indices {
            var z = p.b1[0, j]
            for i in 0..<x.columns { z += x[row, i] * p.w1[i, j] }
            h[j] = tanh(z)
        }
        var m = [Double](repeating: 0, count: p.w2.columns)
        for k in m.indices {
            var z = p.b2[0, k]
            for j in h.indices { z += h[j] * p.w2[j, k] }
            m[k] = 1 / (1 + exp(-z))
            #expect(abs(implicit[row, k] - m[k]) < 1e-14)
        }
        var bumps = [Double](repeating: 0, count: p.mu.rows)
        for i in bumps.indices {
            var r2 = 0.0
            for k in m.indices { r2 += (p.mu[i, k] - m[k]) * (p.mu[i, k] - m[k]) }
            bumps[i] = exp(-r2 / (2 * spec.sigma * spec.sigma))
        }
        for pixel in 0..<x.columns {
            var value = p.bd[0, pixel]
            for i in bumps.indices { value += bumps[i] * p.wd[i, pixel] }
            #expect(abs(reconstruction[row, pixel] - value) < 1e-13)
        }
    }

    static func perturbed(_ p: Parameters, matrix: Int, entry: Int, by delta: Double) -> Parameters {
        var q = p
        switch matrix {
        case 0: q.w1.storage[entry] += delta
        case 1: q.b1.storage[entry] += delta
        case 2: q.w2.storage[entry] += delta
        case 3: q.b2.storage[entry] += delta
        case 4: q.mu.storage[entry] += delta
        case 5: q.wd.storage[entry] += delta
        default: q.bd.storage[entry] += delta
        }
        return q
    }
}

#if canImport(Glibc)
import Glibc
#endif
