import Foundation
import PopCode
import PopCodeRunner

/// A runs folder made by really training tiny runs: a completed sweep of two seeds, a run
/// that diverged, a run in training (checkpoint only), a run with a corrupt metrics.json,
/// a secret file beside the runs folder and symbolic links that lead to it.
struct ServeFixtures {
    let base: URL
    var runs: URL { base.appendingPathComponent("runs") }
    var experiment: URL { runs.appendingPathComponent("tiny") }
    var secret: URL { base.appendingPathComponent("secret.txt") }
    static let secretText = "TOP-SECRET-\(UUID().uuidString)"

    static let environment = RunEnvironment(popcodeVersion: "test", gitCommit: nil, swiftVersion: "6.3",
                                            blas: "test", host: "test", cpu: nil, cores: 1)

    static func spec(seed: Int, lr: Double = 0.1, epochs: Int = 3) -> RunSpec {
        RunSpec(seed: seed, epochs: epochs, nTrain: 48, nTest: 24, nHidden: 12, nImplicit: 2, nEncHidden: 8,
                batchSize: 16, lr: lr, sigma: 0.3)
    }

    init(_ name: String = #function) throws {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        base = FileManager.default.temporaryDirectory
            .appendingPathComponent("popcode-serve-\(safe)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: experiment, withIntermediateDirectories: true)
        try Data(Self.secretText.utf8).write(to: secret)
        for seed in [0, 1] { try completed(seed: seed) }
        try failed()
        try training(seed: 2, epochsDone: 2)
        let corrupt = experiment.appendingPathComponent("seed=9")
        try FileManager.default.createDirectory(at: corrupt, withIntermediateDirectories: true)
        try Data("{\"schema\": \"popcode.metrics/1\", \"status\": ".utf8).write(to: corrupt.appendingPathComponent("metrics.json"))
        // Symbolic links out of the runs folder: a file, a run folder, an experiment folder.
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: experiment.appendingPathComponent("seed=0/leak.txt").path,
                                  withDestinationPath: secret.path)
        let outside = base.appendingPathComponent("outside-run")
        try fm.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data(Self.secretText.utf8).write(to: outside.appendingPathComponent("metrics.json"))
        try fm.createSymbolicLink(atPath: experiment.appendingPathComponent("linked").path, withDestinationPath: outside.path)
        try fm.createSymbolicLink(atPath: runs.appendingPathComponent("escape").path, withDestinationPath: base.path)
    }

    func completed(seed: Int) throws {
        let spec = Self.spec(seed: seed)
        let result = try Trainer.train(spec)
        let folder = RunFolder(experiment.appendingPathComponent("seed=\(seed)"))
        try folder.write(MetricsDocument.completed(result, id: spec.id, experiment: "tiny", label: "seed=\(seed)",
                                                   timing: .init(trainSeconds: 0.5), environment: Self.environment))
        try folder.write(RunArtifacts(result, id: spec.id))
    }

    func failed() throws {
        let spec = Self.spec(seed: 0, lr: 1000)
        let folder = RunFolder(experiment.appendingPathComponent("lr=1000"))
        try folder.write(MetricsDocument(status: .failed, id: spec.id, experiment: "tiny", label: "lr=1000", spec: spec,
                                         final: nil, history: nil,
                                         error: .init(reason: "diverged: loss <is> inf & beyond", epoch: 1),
                                         timing: .init(trainSeconds: 0.1), environment: Self.environment))
    }

    func training(seed: Int, epochsDone: Int) throws {
        let spec = Self.spec(seed: seed, epochs: 10)
        let trainer = try Trainer(spec: spec)
        for _ in 0..<epochsDone { _ = try trainer.trainEpoch() }
        try RunFolder(experiment.appendingPathComponent("seed=\(seed)"))
            .write(Checkpoint(id: spec.id, state: trainer.state))
    }

    func remove() {
        try? FileManager.default.removeItem(at: base)
    }
}
