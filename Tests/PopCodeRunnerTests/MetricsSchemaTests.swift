import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

/// metrics.json went from popcode.metrics/1 to /2 (effective dimension, dims used, code
/// bits, task-named R² targets, task and model in the spec); files of /1 still load.
struct MetricsSchemaTests {
    /// A run folder written by popcode before the schema change (Fixtures/metrics-v1), copied
    /// to a temporary experiment folder.
    static func oldExperiment() throws -> URL {
        let source = try #require(Bundle.module.url(forResource: "metrics-v1", withExtension: nil, subdirectory: "Fixtures"))
        let root = temporaryFolder()
        try FileManager.default.copyItem(at: source.appendingPathComponent("old"), to: root.appendingPathComponent("old"))
        return root.appendingPathComponent("old")
    }

    @Test func aVersion1FileLoadsWithTheNewFieldsEmpty() throws {
        let folder = try Self.oldExperiment()
        let metrics = try #require(try RunFolder(folder.appendingPathComponent("seed=0")).metrics())
        #expect(metrics.schema == "popcode.metrics/1" && MetricsDocument.schemaName == "popcode.metrics/2")
        #expect(metrics.spec.task == .dipole3D && metrics.spec.model == .bottleneck)
        #expect(metrics.id == metrics.spec.id)  // the id rule did not change
        let final = try #require(metrics.final)
        #expect(final.effectiveDimension == nil && final.dimsUsed == nil && final.codeBits == nil)
        #expect(final.r2Cubic.names == ["x", "y", "cos2theta", "sin2theta"])
        #expect(abs(final.r2Cubic.mean - 0.466611444736729) < 1e-15)
        #expect(metrics.history?.effectiveDimension == [] && metrics.history?.epoch == [0, 1, 2])
    }

    @Test func compareAndReportReadVersion1Runs() throws {
        let folder = try Self.oldExperiment()
        let records = try RunCatalog.load([folder])
        #expect(records.map(\.label) == ["seed=0"])
        let comparison = Comparison(records)
        let row = try #require(comparison.rows.first)
        #expect(abs(row.values[.testMSE]! - records[0].metrics.final!.testMSE) == 0)
        let page = try ReportBuilder.html(for: [folder])
        #expect(page.contains("seed=0") && page.contains("<svg"))
    }

    @Test func version2WritesTheNewFields() throws {
        let result = try Trainer.train(RunSpec(epochs: 2, nTrain: 32, nTest: 16, nHidden: 10, nImplicit: 4, nEncHidden: 6,
                                               batchSize: 16, sigma: 0.3, task: .bars, model: .mdl))
        let environment = RunEnvironment(popcodeVersion: "t", gitCommit: nil, swiftVersion: "6", blas: "b", host: "h", cpu: nil, cores: 1)
        let document = MetricsDocument.completed(result, id: result.spec.id, timing: .init(trainSeconds: 1), environment: environment)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(document)) as! [String: Any]
        #expect(json["schema"] as? String == "popcode.metrics/2")
        let final = json["final"] as! [String: Any]
        #expect(final["effective_dimension"] is Double && final["dims_used"] is Int && final["code_bits"] is Double)
        #expect((final["singular_values"] as! [Double]).count == 4)
        #expect(Set((final["r2_linear"] as! [String: Double]).keys) == ["vertical", "position", "mean"])
        let spec = json["spec"] as! [String: Any]
        #expect(spec["task"] as? String == "bars" && spec["model"] as? String == "mdl" && spec["code_weight"] as? Double == 0.3)
        let back = try JSONDecoder().decode(MetricsDocument.self, from: JSONEncoder().encode(document))
        #expect(back == document)
        // The comparison shows the new metrics; a bottleneck run has no code cost.
        #expect(ComparisonMetric.effectiveDimension.value(in: document) == result.final.effectiveDimension)
        #expect(ComparisonMetric.dimsUsed.value(in: document) == Double(result.final.dimsUsed!))
        #expect(ComparisonMetric.codeBits.value(in: document) == result.final.codeBits)
        #expect(ComparisonMetric.codeBits.value(in: madeUpMetrics(label: "a", spec: RunSpec(), testMSE: 0.01)) == nil)
    }
}
