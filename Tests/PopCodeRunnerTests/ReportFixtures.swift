import Foundation
@testable import PopCode
@testable import PopCodeRunner

/// Made-up run folders for the report tests: metrics and artifacts written as the runner
/// writes them, with small invented numbers (no training).
enum ReportFixtures {
    static let environment = RunEnvironment(popcodeVersion: "test", gitCommit: nil, swiftVersion: "6.3",
                                            blas: "test", host: "test", cpu: nil, cores: 1)

    /// A fresh empty folder under the temporary directory.
    static func folder(_ name: String = #function) -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("popcode-report-\(safe)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func spec(seed: Int, sigma: Double = 0.18, lr: Double = 0.1, epochs: Int = 6) -> RunSpec {
        RunSpec(seed: seed, epochs: epochs, nTrain: 100, nTest: 40, lr: lr, sigma: sigma)
    }

    /// A history of `epochs` epochs falling from about `start`, with an optional NaN.
    static func history(epochs: Int, start: Double, nanAt: Int? = nil) -> History {
        var history = History()
        for e in 0..<epochs {
            let decay = exp(-Double(e) / 3)
            history.epoch.append(e)
            history.loss.append(start * (0.4 + 0.6 * decay))
            history.mse.append(start / 30 * (0.4 + 0.6 * decay))
            history.dlBits.append(-30 - 20 * (1 - decay))
            history.r2LinearMean.append(e == nanAt ? .nan : 0.2 * (1 - decay))
        }
        return history
    }

    static func completed(_ label: String, spec: RunSpec, testMSE: Double, experiment: String = "exp",
                          nanAt: Int? = nil) -> MetricsDocument {
        let r2 = R2Scores(x: 0.4, y: 0.6, cos2theta: 0.1, sin2theta: 0.2)
        let final = FinalMetrics(testMSE: testMSE, naiveMSE: 0.028, varianceExplained: 1 - testMSE / 0.028,
                                 dlBits: -60, singularValues: [6, 5, 4], r2Linear: r2, r2Cubic: r2)
        return MetricsDocument(status: .completed, id: spec.id, experiment: experiment, label: label, spec: spec,
                               final: final, history: history(epochs: spec.epochs, start: 0.9 + testMSE, nanAt: nanAt),
                               error: nil, timing: .init(trainSeconds: 1.25), environment: environment)
    }

    static func failed(_ label: String, spec: RunSpec, reason: String, experiment: String = "exp") -> MetricsDocument {
        var history = History()
        history.epoch = [0, 1]
        history.loss = [5.5e121, 2.9e249]
        history.mse = [1e100, .infinity]
        history.dlBits = [1e120, .infinity]
        history.r2LinearMean = [0.01, .nan]
        return MetricsDocument(status: .failed, id: spec.id, experiment: experiment, label: label, spec: spec,
                               final: nil, history: history, error: .init(reason: reason, epoch: 2),
                               timing: .init(trainSeconds: 0.1), environment: environment)
    }

    /// Artifacts with `n` test points spread over the unit cube and 16 dipole-like images.
    static func artifacts(spec: RunSpec, n: Int = 40) -> RunArtifacts {
        func matrix(_ rows: Int, _ columns: Int, _ f: (Int, Int) -> Double) -> Matrix {
            Matrix(rows: rows, columns: columns, storage: (0..<rows * columns).map { f($0 / columns, $0 % columns) })
        }
        let implicit = matrix(n, 3) { i, j in (sin(Double(i * (j + 2)) * 0.7) + 1) / 2 }
        let latents = matrix(n, 3) { i, j in j == 2 ? Double(i) / Double(n) * .pi : 1.5 + 4 * Double((i * (j + 3)) % n) / Double(n) }
        let images = matrix(16, 64) { i, p in
            let (row, column) = (Double(p / 8), Double(p % 8))
            let (x, y) = (2 + Double(i % 4), 2 + Double(i / 4))
            return exp(-((row - y) * (row - y) + (column - x) * (column - x))) - exp(-((row - y - 1) * (row - y - 1) + (column - x) * (column - x)))
        }
        let reconstructions = matrix(16, 64) { i, p in images[i, p] * 0.8 }
        let zero = { (r: Int, c: Int) in Matrix(rows: r, columns: c) }
        let parameters = Parameters(w1: zero(64, 2), b1: zero(1, 2), w2: zero(2, 3), b2: zero(1, 3), mu: zero(4, 3),
                                    wd: zero(4, 64), bd: zero(1, 64))
        let snapshots = [0, 1, 2, 5, spec.epochs].map { epoch in
            ImplicitSnapshot(epoch: epoch, implicit: matrix(n, 3) { i, j in
                0.5 + (implicit[i, j] - 0.5) * Double(epoch + 1) / Double(spec.epochs + 1)
            })
        }
        let r2 = R2Scores(x: 0, y: 0, cos2theta: 0, sin2theta: 0)
        let result = RunResult(spec: spec,
                               final: FinalMetrics(testMSE: 0, naiveMSE: 0, varianceExplained: 0, dlBits: 0,
                                                   singularValues: [], r2Linear: r2, r2Cubic: r2),
                               history: History(), trainSeconds: 0, parameters: parameters, testImplicit: implicit,
                               testLatents: latents, sampleImages: images, sampleReconstructions: reconstructions,
                               snapshots: snapshots)
        return RunArtifacts(result, id: spec.id)
    }

    /// Writes `metrics` (and artifacts when `withArtifacts`) into `experiment/label`.
    @discardableResult
    static func write(_ metrics: MetricsDocument, in experiment: URL, withArtifacts: Bool = true) throws -> RunFolder {
        let folder = RunFolder(experiment.appendingPathComponent(metrics.label!))
        try folder.write(metrics)
        if withArtifacts { try folder.write(artifacts(spec: metrics.spec)) }
        return folder
    }

    /// `exp/` with two seeds of sigma 0.12 and 0.18 (seed=1,sigma=0.12 best), and one failed
    /// run at lr 100.
    static func sweep(in root: URL, name: String = "exp") throws -> URL {
        let experiment = root.appendingPathComponent(name)
        for (seed, sigma, mse) in [(0, 0.12, 0.0107), (0, 0.18, 0.0113), (1, 0.12, 0.0100), (1, 0.18, 0.0105)] {
            try write(completed("seed=\(seed),sigma=\(sigma)", spec: spec(seed: seed, sigma: sigma), testMSE: mse,
                                experiment: name), in: experiment)
        }
        try write(failed("seed=0,lr=100", spec: spec(seed: 0, lr: 100), reason: "diverged at epoch 2: loss is inf",
                         experiment: name), in: experiment, withArtifacts: false)
        return experiment
    }
}
