import Dispatch
import Synchronization
import Testing
@testable import PopCode

/// `precision: float32`: the same data and weights rounded, gradients close to float64,
/// training deterministic whatever runs beside it.
struct Float32Tests {
    static let spec = RunSpec(seed: 4, epochs: 3, nTrain: 96, nTest: 40, nHidden: 20, nImplicit: 2,
                              nEncHidden: 12, batchSize: 32, sigma: 0.3, precision: .float32)

    @Test func initialWeightsAreTheFloat64DrawsRounded() {
        let p = Parameters(spec: Self.spec)
        let network = BottleneckNetwork<Float>(parameters: p, sigma: Self.spec.sigma, capacity: 8)
        for (ours, double) in zip(network.currentParameters.all, p.all) {
            #expect(ours.storage == double.storage.map { Double(Float($0)) })
            if double.storage.contains(where: { $0 != 0 }) {
                #expect(ours.storage != double.storage)  // really rounded: float64 draws are not floats
            }
        }
    }

    @Test func gradientsAgreeWithFloat64To1e4() {
        let p = Parameters(spec: Self.spec)
        let x = DipoleData(count: 32, seed: 4).images
        let single = BottleneckNetwork<Float>(parameters: p, sigma: Self.spec.sigma, capacity: 32)
        let double = Network(parameters: single.currentParameters, sigma: Self.spec.sigma, capacity: 32)
        let (loss32, loss64) = x.storage.withUnsafeBufferPointer {
            (single.lossAndGradients($0.baseAddress!, rows: 32), double.lossAndGradients($0.baseAddress!, rows: 32))
        }
        #expect(abs(loss32 - loss64) <= 1e-5 * loss64)
        for (g32, g64) in zip(single.currentGradients.all, double.currentGradients.all) {
            let scale = g64.storage.map(abs).max()!
            let worst = zip(g32.storage, g64.storage).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-4 * scale, "\(worst) vs scale \(scale)")
        }
    }

    /// Two float32 runs side by side on two threads equal each other and a run alone, bit for
    /// bit (what `--jobs 2` relies on), and stay close to float64.
    @Test func trainingIsDeterministicBesideOtherRuns() throws {
        let alone = try Trainer.train(Self.spec)
        let results = Mutex<[RunResult?]>([nil, nil])
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let result = try? Trainer.train(Self.spec)
            results.withLock { $0[i] = result }
        }
        let pair = results.withLock { $0 }
        #expect(pair[0]?.final == alone.final && pair[1]?.final == alone.final)
        #expect(pair[0]?.parameters == alone.parameters && pair[0]?.history == alone.history)
        var double = Self.spec
        double.precision = .float64
        let reference = try Trainer.train(double)
        #expect(alone.final != reference.final)
        #expect(abs(alone.final.testMSE - reference.final.testMSE) <= 1e-3 * reference.final.testMSE)
    }
}
