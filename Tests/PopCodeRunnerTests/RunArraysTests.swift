import Foundation
import Testing
@testable import PopCode
@testable import PopCodeRunner

/// The arrays of a run as `.npy` files: the format byte for byte, the round trip through a
/// run folder, and folders written before them (artifacts.json) still loading.
struct RunArraysTests {
    /// What `np.save` writes for `np.array([[1.5, -2.0, 3.25]])` (format 1.0): popcode's
    /// bytes must be the same, so numpy reads them as its own.
    @Test func headerMatchesNumpysOwnBytes() throws {
        let data = NPYFile(shape: [1, 3], values: [1.5, -2.0, 3.25]).data
        let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 3), }"
        var expected = [UInt8]([0x93]) + Array("NUMPY".utf8) + [1, 0, 118, 0] + Array(header.utf8)
        expected += [UInt8](repeating: 0x20, count: 128 - 1 - expected.count) + [0x0a]
        #expect(Array(data.prefix(128)) == expected)
        #expect(data.count == 128 + 24)
        #expect(Array(data.suffix(8)) == [0, 0, 0, 0, 0, 0, 0x0a, 0x40])  // 3.25, little-endian
    }

    @Test func oneDimensionalShapesHaveATrailingComma() {
        let text = String(decoding: NPYFile(shape: [4], elementType: .int64, values: [0, 1, 2, 5]).data.prefix(80),
                          as: UTF8.self)
        #expect(text.contains("'descr': '<i8', 'fortran_order': False, 'shape': (4,), }"))
    }

    @Test(arguments: [NPYFile.ElementType.float64, .float32, .int64])
    func roundTripsEveryType(type: NPYFile.ElementType) throws {
        let values: [Double] = [0, -1, 2.5, 1e-3, 7, -0.0, 123_456, 3]
        let file = NPYFile(shape: [2, 2, 2], elementType: type, values: type == .int64 ? values.map { $0.rounded() + 0 } : values)
        let back = try NPYFile(data: file.data)
        #expect(back.shape == [2, 2, 2] && back.elementType == type)
        let expected = type == .float32 ? file.values.map { Double(Float($0)) } : file.values
        #expect(back.values.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(back.matrix.rows == 2 && back.matrix.columns == 4)
    }

    @Test func badFilesAreRejectedWithAReason() {
        #expect(throws: NPYFile.FormatError(reason: "not an .npy file (no \\x93NUMPY magic)")) {
            try NPYFile(data: Data("{\"json\": true}".utf8))
        }
        var truncated = NPYFile(shape: [3], values: [1, 2, 3]).data
        truncated.removeLast(8)
        #expect(throws: NPYFile.FormatError(reason: "16 data bytes for shape (3,) of <f8")) {
            try NPYFile(data: truncated)
        }
    }

    @Test func aRunFolderRoundTripsItsArrays() throws {
        let spec = RunSpec(seed: 3, epochs: 2, nTrain: 32, nTest: 20, nHidden: 6, nImplicit: 2,
                           nEncHidden: 5, batchSize: 8)
        let result = try Trainer.train(spec)
        let folder = RunFolder(ReportFixtures.folder())
        let written = RunArtifacts(result, id: spec.id)
        try folder.write(written)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
        #expect(names == RunArtifacts.arrayFileNames.sorted())
        let read = try #require(try folder.artifacts())
        // Everything exact but the snapshots, which are stored as float32.
        #expect(read.parameters == written.parameters)
        #expect(read.testImplicit == written.testImplicit && read.testLatents == written.testLatents)
        #expect(read.sampleImages == written.sampleImages)
        #expect(read.sampleReconstructions == written.sampleReconstructions)
        #expect(read.snapshots.map(\.epoch) == [0, 1, 2])
        for (a, b) in zip(read.snapshots, written.snapshots) {
            #expect(a.implicit.storage == b.implicit.storage.map { Double(Float($0)) })
        }
        let bias = try NPYFile(data: Data(contentsOf: folder.url.appendingPathComponent("b1.npy")))
        #expect(bias.shape == [5])
        folder.removeResults()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }

    @Test func aMissingArrayIsALocatedError() throws {
        let spec = RunSpec(seed: 3, epochs: 1, nTrain: 16, nTest: 8, nHidden: 4, nImplicit: 2,
                           nEncHidden: 3, batchSize: 8)
        let folder = RunFolder(ReportFixtures.folder())
        try folder.write(RunArtifacts(try Trainer.train(spec), id: spec.id))
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("Wd.npy"))
        #expect(throws: RunFolder.ReadError.self) { try folder.artifacts() }
    }

    /// Run folders written before the .npy files (popcode.metrics/1 with artifacts.json,
    /// committed from that version) still load, compare and report.
    @Test func foldersWithArtifactsJSONStillLoad() throws {
        let fixture = try #require(Bundle.module.url(forResource: "v1-folders", withExtension: nil,
                                                     subdirectory: "Fixtures"))
        let copy = ReportFixtures.folder().appendingPathComponent("v1-folders")
        try FileManager.default.copyItem(at: fixture, to: copy)
        let run = RunFolder(copy.appendingPathComponent("seed=4"))
        let artifacts = try #require(try run.artifacts())
        #expect(artifacts.parameters.w1.rows == 64 && artifacts.parameters.w1.columns == 5)
        #expect(artifacts.snapshots.map(\.epoch) == [0, 1, 2, 3])
        #expect(try run.metrics()?.schema == "popcode.metrics/1")
        let records = try RunCatalog.load([copy])
        #expect(records.count == 2)
        let page = try ReportBuilder.html(for: [copy])
        #expect(page.contains(">Inputs and reconstructions<"))
        #expect(!page.contains("cannot be read"))
    }
}
