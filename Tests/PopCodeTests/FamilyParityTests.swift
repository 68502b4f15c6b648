import Foundation
import Testing
@testable import PopCode

/// popcode against the family reference's own dumps (Fixtures/family, made by
/// make_fixtures.py from popcode_family.py): every task × model, grid and uniform μ,
/// K = 2, 3 and 10. Data, latents, targets and initial weights bit for bit; first-step
/// gradients and loss to 1e-12 relative (the mdl model with its first noise draw); the final
/// metrics and history after four epochs to 1e-9.
struct FamilyParityTests {
    static let fixtures = ["dipole-position-bottleneck", "bars-bottleneck", "dipole-3d-bottleneck-k10",
                           "dipole-3d-mdl", "dipole-position-mdl", "bars-mdl-k10", "bars-mdl-quiet"]

    static func folder(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/family") else {
            throw NPYArray.ReadError.badFile("no fixture folder \(name)")
        }
        return url
    }

    /// The spec of the reference's command-line arguments (args.json).
    static func spec(_ folder: URL) throws -> RunSpec {
        let args = try JSONDecoder().decode([String].self, from: Data(contentsOf: folder.appendingPathComponent("args.json")))
        var spec = RunSpec()
        for i in stride(from: 0, to: args.count, by: 2) {
            let value = args[i + 1]
            switch args[i] {
            case "--task": spec.task = TaskKind(rawValue: value)!
            case "--model": spec.model = ModelKind(rawValue: value)!
            case "--seed": spec.seed = Int(value)!
            case "--epochs": spec.epochs = Int(value)!
            case "--n-train": spec.nTrain = Int(value)!
            case "--n-test": spec.nTest = Int(value)!
            case "--n-hidden": spec.nHidden = Int(value)!
            case "--n-implicit": spec.nImplicit = Int(value)!
            case "--n-enc-hidden": spec.nEncHidden = Int(value)!
            case "--batch-size": spec.batchSize = Int(value)!
            case "--lr": spec.lr = Double(value)!
            case "--sigma": spec.sigma = Double(value)!
            case "--code-weight": spec.codeWeight = Double(value)!
            case "--code-warmup": spec.codeWarmup = Int(value)!
            case "--activity-noise": spec.activityNoise = Double(value)!
            default: Issue.record("unknown argument \(args[i])")
            }
        }
        try spec.validate()
        return spec
    }

    static func load(_ folder: URL, _ name: String) throws -> NPYArray {
        try NPYArray(contentsOf: folder.appendingPathComponent(name + ".npy"))
    }

    @Test(arguments: fixtures)
    func dataTargetsAndWeightsAreBitIdentical(fixture: String) throws {
        let folder = try Self.folder(fixture)
        let spec = try Self.spec(folder)
        for (data, set) in [(TaskData(task: spec.task, count: spec.nTrain, seed: UInt64(spec.seed)), "train"),
                            (TaskData(task: spec.task, count: spec.nTest, seed: UInt64(spec.seed) + 1000), "test")] {
            BaselineParityTests.expectIdentical(data.images.storage, try Self.load(folder, set + "_x").doubles, set + "_x")
            BaselineParityTests.expectIdentical(data.latents.storage, try Self.load(folder, set + "_latents").doubles,
                                                set + "_latents")
            let targets = try Self.load(folder, set + "_targets")
            #expect(targets.shape == [data.count, spec.task.targetNames.count])
            BaselineParityTests.expectIdentical(data.targets.storage, targets.doubles, set + "_targets")
        }
        for (name, matrix) in zip(Parameters.names, Parameters(spec: spec).all) {
            let theirs = try Self.load(folder, "init_" + name)
            #expect([matrix.rows, matrix.columns] == (theirs.shape.count == 1 ? [1, theirs.shape[0]] : theirs.shape),
                    "init_\(name) shape")
            BaselineParityTests.expectIdentical(matrix.storage, theirs.doubles, "init_\(name)")
        }
        var shuffle = RandomGenerator(seed: UInt64(spec.seed))
        #expect(shuffle.permutation(spec.nTrain) == (try Self.load(folder, "epoch0_order").ints))
    }

    @Test(arguments: fixtures)
    func firstStepGradientsAgreeTo1e12(fixture: String) throws {
        let folder = try Self.folder(fixture)
        let spec = try Self.spec(folder)
        let trainer = try Trainer(spec: spec)
        var shuffle = RandomGenerator(seed: UInt64(spec.seed))
        let order = shuffle.permutation(spec.nTrain).prefix(spec.batchSize)
        var batch = Matrix(rows: order.count, columns: trainer.train.images.columns)
        for (r, i) in order.enumerated() {
            for c in 0..<batch.columns { batch[r, c] = trainer.train.images[i, c] }
        }
        let (loss, gradients) = trainer.lossAndGradients(batch)
        let lossData = try Data(contentsOf: folder.appendingPathComponent("step0_loss.json"))
        let theirLoss = (try JSONSerialization.jsonObject(with: lossData) as! [String: Double])["loss"]!
        #expect(abs(loss - theirLoss) <= 1e-12 * abs(theirLoss), "loss \(loss) vs \(theirLoss)")
        for (name, matrix) in zip(Parameters.names, gradients.all) {
            let theirs = try Self.load(folder, "step0_grad_" + name).doubles
            let difference = BaselineParityTests.relativeDifference(matrix.storage, theirs)
            #expect(difference <= 1e-12, "gradient of \(name): relative difference \(difference)")
        }
    }

    @Test(arguments: fixtures)
    func metricsAndHistoryAfterFourEpochsAgree(fixture: String) throws {
        let folder = try Self.folder(fixture)
        let spec = try Self.spec(folder)
        let theirs = try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("metrics.json"))) as! [String: Any]
        let ours = try Trainer.train(spec)
        func close(_ a: Double, _ b: Any?, _ what: String, tolerance: Double = 1e-9) {
            let b = b as! Double
            #expect(abs(a - b) <= tolerance * max(abs(b), 1e-3), "\(fixture) \(what): popcode \(a), numpy \(b)")
        }
        let final = ours.final
        close(final.testMSE, theirs["test_mse"], "test_mse")
        close(final.naiveMSE, theirs["naive_mse"], "naive_mse")
        close(final.dlBits, theirs["dl_bits"], "dl_bits")
        close(final.effectiveDimension!, theirs["effective_dimension"], "effective_dimension")
        #expect(final.dimsUsed == theirs["dims_used"] as? Int)
        if spec.model == .mdl {
            close(final.codeBits!, theirs["code_bits"], "code_bits")
        } else {
            #expect(final.codeBits == nil && theirs["code_bits"] as? Double == 0)
        }
        let singular = theirs["singular_values"] as! [Double]
        #expect(final.singularValues.count == spec.nImplicit && singular.count == spec.nImplicit)
        for (a, b) in zip(final.singularValues, singular) { close(a, b, "singular value") }
        for (key, r2) in [("r2_linear", final.r2Linear), ("r2_cubic", final.r2Cubic)] {
            let t = theirs[key] as! [String: Double]
            #expect(r2.names == spec.task.targetNames && Set(t.keys) == Set(r2.names + ["mean"]))
            // The cubic fit of an mdl code after 4 epochs (clustered m̂: a badly conditioned
            // least-squares problem) moves with LAPACK's GEMM kernels, which OpenBLAS picks for
            // the CPU: dipole-position-mdl's r2_cubic.x differs by 1.25e-9 relative with the
            // AVX-512 (Cooperlake) kernels and 5e-11 with the AVX2 (Haswell) ones. Every other
            // metric and history value agrees to 2.3e-11 with either.
            let tolerance = key == "r2_cubic" ? 1e-8 : 1e-9
            for name in r2.names { close(r2[name]!, t[name], "\(key).\(name)", tolerance: tolerance) }
            close(r2.mean, t["mean"], "\(key).mean", tolerance: tolerance)
        }
        let history = theirs["history"] as! [String: [Double]]
        #expect(ours.history.epoch.map(Double.init) == history["epoch"]!)
        for (a, b) in zip(ours.history.loss, history["loss"]!) { close(a, b, "history loss") }
        for (a, b) in zip(ours.history.mse, history["mse"]!) { close(a, b, "history mse") }
        for (a, b) in zip(ours.history.dlBits, history["dl_bits"]!) { close(a, b, "history dl") }
        for (a, b) in zip(ours.history.r2LinearMean, history["r2_linear_mean"]!) { close(a, b, "history r2") }
        #expect(ours.history.effectiveDimension.count == spec.epochs)
        for (a, b) in zip(ours.history.effectiveDimension, history["effective_dimension"]!) {
            close(a, b, "history effective dimension")
        }
    }
}
