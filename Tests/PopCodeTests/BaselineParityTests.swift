import Foundation
import Testing
@testable import PopCode

/// popcode against the numpy baseline's own dumps (Fixtures/baseline, made by
/// make_fixtures.py): data and initial weights bit for bit, first-step gradients to
/// 1e-12 relative, and the metrics after a few epochs.
struct BaselineParityTests {
    static let small = RunSpec(seed: 5, epochs: 4, nTrain: 100, nTest: 50, nHidden: 30, nImplicit: 2,
                               nEncHidden: 16, batchSize: 16, sigma: 0.3)
    static let reference = [0: RunSpec(seed: 0, epochs: 3), 1: RunSpec(seed: 1, epochs: 3)]

    static func load(_ folder: URL, _ name: String) throws -> NPYArray {
        try NPYArray(contentsOf: folder.appendingPathComponent(name + ".npy"))
    }

    /// Bit-for-bit equality of two arrays of doubles.
    static func expectIdentical(_ ours: [Double], _ theirs: [Double], _ what: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(ours.count == theirs.count, "\(what): \(ours.count) values vs \(theirs.count)",
                sourceLocation: sourceLocation)
        let differing = zip(ours, theirs).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(what): \(differing) of \(theirs.count) values differ",
                sourceLocation: sourceLocation)
    }

    /// `max |a − b| ≤ tolerance · max |b|` over the array.
    static func relativeDifference(_ ours: [Double], _ theirs: [Double]) -> Double {
        let scale = theirs.map(abs).max() ?? 0
        let worst = zip(ours, theirs).map { abs($0 - $1) }.max() ?? 0
        return scale == 0 ? worst : worst / scale
    }

    @Test func smallConfigDataAndWeightsAreBitIdentical() throws {
        let folder = try baselineFixture("small")
        let spec = Self.small
        let train = DipoleData(count: spec.nTrain, seed: UInt64(spec.seed))
        let test = DipoleData(count: spec.nTest, seed: UInt64(spec.seed) + 1000)
        Self.expectIdentical(train.images.storage, try Self.load(folder, "train_x").doubles, "train_x")
        Self.expectIdentical(train.latents.storage, try Self.load(folder, "train_latents").doubles, "train_latents")
        Self.expectIdentical(test.images.storage, try Self.load(folder, "test_x").doubles, "test_x")
        Self.expectIdentical(test.latents.storage, try Self.load(folder, "test_latents").doubles, "test_latents")
        let p = Parameters(spec: spec)
        for (name, matrix) in zip(Parameters.names, p.all) {
            let theirs = try Self.load(folder, "init_" + name)
            Self.expectIdentical(matrix.storage, theirs.doubles, "init_\(name)")
        }
        var shuffle = RandomGenerator(seed: UInt64(spec.seed))
        #expect(shuffle.permutation(spec.nTrain) == (try Self.load(folder, "epoch0_order").ints))
    }

    @Test(arguments: [0, 1])
    func referenceConfigDataAndWeightsAreBitIdentical(seed: Int) throws {
        let folder = try baselineFixture("seed\(seed)")
        let hashes = try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("hashes.json"))) as! [String: Any]
        func expectHash(_ values: [Double], _ name: String) {
            let entry = hashes[name] as! [String: Any]
            #expect(fnv1a64(values) == entry["fnv1a64"] as! String, "\(name) differs from the baseline")
        }
        let spec = Self.reference[seed]!
        let train = DipoleData(count: spec.nTrain, seed: UInt64(spec.seed))
        let test = DipoleData(count: spec.nTest, seed: UInt64(spec.seed) + 1000)
        expectHash(train.images.storage, "train_x")
        expectHash(train.latents.storage, "train_latents")
        expectHash(test.images.storage, "test_x")
        expectHash(test.latents.storage, "test_latents")
        for (name, matrix) in zip(Parameters.names, Parameters(spec: spec).all) {
            expectHash(matrix.storage, "init_" + name)
        }
        let order = (hashes["epoch0_order"] as! [String: Any])["first"] as! [Int]
        var shuffle = RandomGenerator(seed: UInt64(spec.seed))
        #expect(Array(shuffle.permutation(spec.nTrain).prefix(1)) == order)
    }

    @Test(arguments: ["small", "seed0", "seed1"])
    func firstStepGradientsAgreeTo1e12(fixture: String) throws {
        let folder = try baselineFixture(fixture)
        let spec = fixture == "small" ? Self.small : Self.reference[fixture == "seed0" ? 0 : 1]!
        let train = DipoleData(count: spec.nTrain, seed: UInt64(spec.seed))
        var shuffle = RandomGenerator(seed: UInt64(spec.seed))
        let order = shuffle.permutation(spec.nTrain).prefix(spec.batchSize)
        var batch = Matrix(rows: order.count, columns: train.images.columns)
        for (r, i) in order.enumerated() {
            for c in 0..<batch.columns { batch[r, c] = train.images[i, c] }
        }
        let (loss, gradients) = Autoencoder.lossAndGradients(Parameters(spec: spec), sigma: spec.sigma, batch: batch)
        let lossData = try Data(contentsOf: folder.appendingPathComponent("step0_loss.json"))
        let theirLoss = (try JSONSerialization.jsonObject(with: lossData) as! [String: Double])["loss"]!
        #expect(abs(loss - theirLoss) <= 1e-12 * abs(theirLoss))
        for (name, matrix) in zip(Parameters.names, gradients.all) {
            let theirs = try Self.load(folder, "step0_grad_" + name).doubles
            let difference = Self.relativeDifference(matrix.storage, theirs)
            #expect(difference <= 1e-12, "gradient of \(name): relative difference \(difference)")
        }
    }

    @Test(arguments: ["small", "seed0", "seed1"])
    func metricsAfterAFewEpochsAgree(fixture: String) throws {
        let folder = try baselineFixture(fixture)
        let spec = fixture == "small" ? Self.small : Self.reference[fixture == "seed0" ? 0 : 1]!
        let data = try Data(contentsOf: folder.appendingPathComponent("metrics.json"))
        let theirs = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let ours = try Trainer.train(spec)
        func close(_ a: Double, _ b: Any?, _ what: String) {
            let b = b as! Double
            #expect(abs(a - b) <= 1e-9 * max(abs(b), 1e-3), "\(what): popcode \(a), numpy \(b)")
        }
        close(ours.final.testMSE, theirs["test_mse"], "test_mse")
        close(ours.final.naiveMSE, theirs["naive_mse"], "naive_mse")
        close(ours.final.varianceExplained, theirs["variance_explained"], "variance_explained")
        close(ours.final.dlBits, theirs["dl_bits"], "dl_bits")
        for (a, b) in zip(ours.final.singularValues, theirs["singular_values"] as! [Double]) {
            close(a, b, "singular value")
        }
        for (key, r2) in [("r2_linear", ours.final.r2Linear), ("r2_cubic", ours.final.r2Cubic)] {
            let t = theirs[key] as! [String: Double]
            close(r2.x, t["x"], "\(key).x")
            close(r2.y, t["y"], "\(key).y")
            close(r2.cos2theta, t["cos2theta"], "\(key).cos2theta")
            close(r2.sin2theta, t["sin2theta"], "\(key).sin2theta")
            close(r2.mean, t["mean"], "\(key).mean")
        }
        let history = theirs["history"] as! [String: [Double]]
        #expect(ours.history.epoch.map(Double.init) == history["epoch"]!)
        for (a, b) in zip(ours.history.loss, history["loss"]!) { close(a, b, "history loss") }
        for (a, b) in zip(ours.history.mse, history["mse"]!) { close(a, b, "history mse") }
        for (a, b) in zip(ours.history.dlBits, history["dl_bits"]!) { close(a, b, "history dl") }
        for (a, b) in zip(ours.history.r2LinearMean, history["r2_linear_mean"]!) { close(a, b, "history r2") }
    }
}
