import Testing
@testable import PopCode

#if canImport(Glibc)
import Glibc
#endif

/// The mdl model's analytic gradients against central finite differences of its loss
/// (reconstruction + w·KL, with a fixed noise draw), on every parameter.
struct MDLGradientTests {
    /// 10 images, 7 units in 3-D, 5 encoder units; non-zero biases; a fixed noise draw.
    static func smallProblem() -> (Parameters, Matrix, RunSpec, [Double]) {
        let spec = RunSpec(seed: 4, nTrain: 10, nTest: 4, nHidden: 7, nImplicit: 3, nEncHidden: 5,
                           batchSize: 10, sigma: 0.35, task: .bars, model: .mdl, codeWeight: 0.7,
                           codeWarmup: 0, activityNoise: 0.3)
        let data = TaskData(task: spec.task, count: spec.nTrain, seed: UInt64(spec.seed))
        var p = Parameters(spec: spec)
        for i in p.b1.storage.indices { p.b1.storage[i] = 0.05 * Double(i % 3) - 0.05 }
        for i in p.b2.storage.indices { p.b2.storage[i] = 0.2 * Double(i % 4) - 0.3 }
        for i in p.bd.storage.indices { p.bd.storage[i] = 0.01 * Double(i % 5) }
        // Larger encoder weights so the activities are far from uniform.
        for i in p.w2.storage.indices { p.w2.storage[i] *= 4 }
        var rng = RandomGenerator(seed: 99)
        let noise = rng.normal(mean: 0, standardDeviation: 0.3, count: spec.nTrain * spec.nHidden)
        return (p, data.images, spec, noise)
    }

    static func lossAndGradients(_ p: Parameters, _ x: Matrix, _ spec: RunSpec,
                                 _ noise: [Double]) -> (loss: Double, gradients: Parameters, network: MDLNetwork) {
        let network = MDLNetwork(parameters: p, spec: spec, capacity: x.rows, noise: RandomGenerator(seed: 0))
        let loss = x.storage.withUnsafeBufferPointer { xs in
            noise.withUnsafeBufferPointer { ns in
                network.forward(xs.baseAddress!, rows: x.rows, noise: ns.baseAddress!)
                return network.backward(xs.baseAddress!, rows: x.rows, codeWeight: spec.codeWeight)
            }
        }
        return (loss, network.currentGradients, network)
    }

    @Test func everyParameterMatchesCentralDifferences() {
        let (p, x, spec, noise) = Self.smallProblem()
        let analytic = Self.lossAndGradients(p, x, spec, noise).gradients
        let h = 1e-4
        var worst = 0.0
        var checked: [String: Int] = [:]
        for (index, name) in Parameters.names.enumerated() {
            let count = p.all[index].storage.count
            let stride = max(1, count / 40)
            for entry in Swift.stride(from: 0, to: count, by: stride) {
                func loss(_ delta: Double) -> Double {
                    Self.lossAndGradients(GradientTests.perturbed(p, matrix: index, entry: entry, by: delta),
                                          x, spec, noise).loss
                }
                let numeric = (-loss(2 * h) + 8 * loss(h) - 8 * loss(-h) + loss(-2 * h)) / (12 * h)
                let exact = analytic.all[index].storage[entry]
                let error = abs(numeric - exact) / max(abs(numeric), abs(exact), 1e-5)
                #expect(error < 1e-5, "\(name)[\(entry)]: analytic \(exact), numeric \(numeric)")
                worst = max(worst, error)
                checked[name, default: 0] += 1
            }
        }
        #expect(Set(checked.keys) == Set(Parameters.names) && checked.values.reduce(0, +) > 150)
        #expect(worst < 1e-5)
        // The μ gradient is not trivially small: the code term pulls on it.
        #expect(analytic.mu.storage.map(abs).max()! > 1e-4)
    }

    /// One image evaluated by hand, formula by formula, against the network's buffers.
    @Test func forwardComputesTheDocumentedFormulas() {
        let (p, x, spec, noise) = Self.smallProblem()
        let (loss, _, network) = Self.lossAndGradients(p, x, spec, noise)
        let hCount = spec.nHidden, k = spec.nImplicit
        var total = 0.0
        for row in 0..<x.rows {
            var h = [Double](repeating: 0, count: p.w1.columns)
            for j in h.indices {
                var z = p.b1[0, j]
                for i in 0..<x.columns { z += x[row, i] * p.w1[i, j] }
                h[j] = tanh(z)
            }
            var z = [Double](repeating: 0, count: hCount)
            for j in z.indices {
                z[j] = p.b2[0, j]
                for e in h.indices { z[j] += h[e] * p.w2[e, j] }
            }
            let zSum = z.map { exp($0) }.reduce(0, +)
            let a = z.map { exp($0) / zSum }
            var m = [Double](repeating: 0, count: k)
            for j in 0..<hCount { for d in 0..<k { m[d] += a[j] * p.mu[j, d] } }
            let u = (0..<hCount).map { j in -(0..<k).map { (p.mu[j, $0] - m[$0]) * (p.mu[j, $0] - m[$0]) }.reduce(0, +) / (2 * spec.sigma * spec.sigma) }
            let uSum = u.map { exp($0) }.reduce(0, +)
            let b = u.map { exp($0) / uSum }
            let kl = (0..<hCount).map { a[$0] * log(a[$0] / b[$0]) }.reduce(0, +)
            var sse = 0.0
            for pixel in 0..<x.columns {
                var value = p.bd[0, pixel]
                for j in 0..<hCount { value += (a[j] * Double(hCount).squareRoot() + noise[row * hCount + j]) * p.wd[j, pixel] }
                #expect(abs(network.reconstruction[row * x.columns + pixel] - value) < 1e-12)
                sse += (value - x[row, pixel]) * (value - x[row, pixel])
            }
            for d in 0..<k { #expect(abs(network.m[row * k + d] - m[d]) < 1e-14) }
            #expect(abs(network.kl[row] - kl) < 1e-12)
            total += 0.5 * sse + spec.codeWeight * kl
        }
        #expect(abs(loss - total / Double(x.rows)) < 1e-12 * loss)
    }

    @Test func theCodeWeightRampsUpOverTheWarmup() {
        let spec = RunSpec(nHidden: 4, nImplicit: 2, model: .mdl, codeWeight: 0.6, codeWarmup: 3)
        let network = MDLNetwork(parameters: Parameters(spec: spec), spec: spec, capacity: 1, noise: RandomGenerator(seed: 0))
        #expect((0..<5).map(network.weight) == [0.6 * (1.0 / 3), 0.6 * (2.0 / 3), 0.6, 0.6, 0.6])
        var none = spec
        none.codeWarmup = 0
        let flat = MDLNetwork(parameters: Parameters(spec: none), spec: none, capacity: 1, noise: RandomGenerator(seed: 0))
        #expect(flat.weight(epoch: 0) == 0.6)
    }

    /// The noise stream is default_rng(seed + 2000), checkpointed with the run: a resumed
    /// mdl run ends bit-identical to an uninterrupted one.
    @Test func aResumedMdlRunIsBitIdentical() throws {
        let spec = RunSpec(seed: 2, epochs: 4, nTrain: 32, nTest: 16, nHidden: 9, nImplicit: 2, nEncHidden: 6,
                           batchSize: 8, lr: 0.3, sigma: 0.3, task: .dipolePosition, model: .mdl, codeWarmup: 2)
        let whole = try Trainer.train(spec)
        let first = try Trainer(spec: spec)
        try first.trainEpoch()
        try first.trainEpoch()
        let state = try JSONDecoder().decode(TrainingState.self, from: JSONEncoder().encode(first.state))
        #expect(state.noise != nil)
        let resumed = try #require(try Trainer(resuming: state).run())
        #expect(resumed.parameters == whole.parameters && resumed.final == whole.final)
        #expect(resumed.history == whole.history)
        var broken = state
        broken.noise = nil
        #expect(throws: TrainingError.self) { try Trainer(resuming: broken) }
    }
}

import Foundation
