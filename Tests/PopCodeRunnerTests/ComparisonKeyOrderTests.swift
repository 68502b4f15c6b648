import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

/// The comparison's key order comes from the experiment record (the file's order), not from
/// parsing run labels; folders written without a record still compare, in label order.
struct ComparisonKeyOrderTests {
    /// An experiment folder of four runs whose folder names list lr before sigma, while the
    /// file (and so `experiment.json`) names sigma first; with or without the record.
    static func experiment(withRecord: Bool) throws -> URL {
        let sweep = Sweep(experiment: try parseExperiment("name: exp\nsigma: [0.2, 0.3]\nlr: [0.1, 0.2]\nepochs: 3\n"),
                          runsDirectory: temporaryFolder())
        if withRecord { try sweep.writeRecord(source: nil, overrides: []) }
        for run in sweep.runs {
            let name = "lr=\(run.spec.lr),sigma=\(run.spec.sigma)"
            try RunFolder(sweep.folder.appendingPathComponent(name))
                .write(madeUpMetrics(label: name, spec: run.spec, testMSE: 0.01 + run.spec.lr))
        }
        return sweep.folder
    }

    @Test func keyOrderComesFromTheExperimentRecord() throws {
        let records = try RunCatalog.load([try Self.experiment(withRecord: true)])
        #expect(records.count == 4)
        let comparison = Comparison(records)
        #expect(comparison.sweptKeys == ["sigma", "lr"])
        #expect(comparison.groups.count == 4 && comparison.groups[0].key == ["sigma=0.2", "lr=0.1"])
    }

    @Test func foldersWithoutARecordStillCompareInLabelOrder() throws {
        let folder = try Self.experiment(withRecord: false)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(ExperimentRecord.fileName).path))
        let comparison = Comparison(try RunCatalog.load([folder]))
        #expect(comparison.sweptKeys == ["lr", "sigma"])
        #expect(comparison.rows.count == 4)
    }
}
