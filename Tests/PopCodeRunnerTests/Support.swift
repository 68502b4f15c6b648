import Foundation
import PopCode
@testable import PopCodeRunner

/// A fresh empty folder under the system's temporary directory.
func temporaryFolder(_ name: String = #function) -> URL {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("popcode-tests-\(safe)-\(UUID().uuidString.prefix(8))")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A tiny spec that trains in a few milliseconds even in a debug build.
func tinySpec(seed: Int = 0, lr: Double = 0.1, sigma: Double = 0.3, epochs: Int = 3) -> RunSpec {
    RunSpec(seed: seed, epochs: epochs, nTrain: 48, nTest: 24, nHidden: 12, nImplicit: 2,
            nEncHidden: 8, batchSize: 16, lr: lr, sigma: sigma)
}

/// A made-up metrics document with the given test MSE (other metrics derived from it).
func madeUpMetrics(label: String, spec: RunSpec, testMSE: Double?, experiment: String = "exp") -> MetricsDocument {
    let environment = RunEnvironment(popcodeVersion: "test", gitCommit: nil, swiftVersion: "6.3",
                                     blas: "test", host: "test", cpu: nil, cores: 1)
    guard let testMSE else {
        return MetricsDocument(status: .failed, id: spec.id, experiment: experiment, label: label, spec: spec,
                               final: nil, history: nil, error: .init(reason: "diverged at epoch 0", epoch: 0),
                               timing: .init(trainSeconds: 0.1), environment: environment)
    }
    let r2 = R2Scores(x: 0.5, y: 0.5, cos2theta: 0.1, sin2theta: 0.1)
    let final = FinalMetrics(testMSE: testMSE, naiveMSE: 0.028, varianceExplained: 1 - testMSE / 0.028,
                             dlBits: -60, singularValues: [6, 5, 4], r2Linear: r2, r2Cubic: r2)
    return MetricsDocument(status: .completed, id: spec.id, experiment: experiment, label: label, spec: spec,
                           final: final, history: History(), error: nil,
                           timing: .init(trainSeconds: 1.5), environment: environment)
}

func record(_ metrics: MetricsDocument) -> RunRecord {
    RunRecord(folder: URL(fileURLWithPath: "/nonexistent/\(metrics.label!)"), experiment: metrics.experiment!,
              label: metrics.label!, metrics: metrics)
}
