import Foundation
import Testing
@testable import PopCode
@testable import PopCodeRunner

/// The arrays of a run as `.npy` files in one `arrays.npz`: the formats byte for byte, the
/// round trip through a run folder, damage found and located, and folders written before the
/// archive (separate `.npy` files, artifacts.json) still loading.
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

    static func tinyResult(epochs: Int = 2) throws -> (RunSpec, RunResult) {
        let spec = RunSpec(seed: 3, epochs: epochs, nTrain: 32, nTest: 20, nHidden: 6, nImplicit: 2,
                           nEncHidden: 5, batchSize: 8)
        return (spec, try Trainer.train(spec))
    }

    @Test func aRunFolderRoundTripsItsArraysInOneArchive() throws {
        let (spec, result) = try Self.tinyResult()
        let folder = RunFolder(ReportFixtures.folder())
        let written = RunArtifacts(result, id: spec.id)
        try folder.write(written)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["arrays.npz"])
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
        let entries = try NPZFile.arrays(from: Data(contentsOf: folder.arraysURL))
        #expect(entries.keys.sorted() == RunArtifacts.arrayFileNames.sorted())
        #expect(entries["b1.npy"]?.shape == [5])
        folder.removeResults()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }

    /// The archive is a plain zip as `np.savez` writes it: stored entries named `NAME.npy`
    /// holding exactly the `.npy` bytes, and the same arrays always give the same bytes.
    @Test func theArchiveStoresTheNPYBytesAsTheyAre() throws {
        let a = NPYFile(shape: [1, 3], values: [1.5, -2.0, 3.25]), b = NPYFile(shape: [2], elementType: .int64, values: [4, 5])
        let data = try NPZFile.data([("a.npy", a), ("b.npy", b)])
        #expect(Array(data.prefix(4)) == [0x50, 0x4b, 0x03, 0x04])  // "PK\3\4": a local file header
        #expect(data.readUInt16(at: 8) == 0)  // compression method 0: stored
        #expect(data.readUInt16(at: 26) == 5 && String(decoding: data[30..<35], as: UTF8.self) == "a.npy")
        let start = 30 + 5 + Int(data.readUInt16(at: 28))
        #expect(data[start..<(start + a.data.count)] == a.data)
        #expect(try NPZFile.data([("a.npy", a), ("b.npy", b)]) == data)
        let back = try NPZFile.arrays(from: data)
        #expect(back == ["a.npy": a, "b.npy": b])
    }

    @Test func aDamagedOrIncompleteArchiveIsALocatedError() throws {
        let (spec, result) = try Self.tinyResult(epochs: 1)
        let folder = RunFolder(ReportFixtures.folder())
        try folder.write(RunArtifacts(result, id: spec.id))
        var data = try Data(contentsOf: folder.arraysURL)
        // One flipped bit in W1's values: the entry's CRC-32 no longer matches.
        data[400] ^= 0x01
        try data.write(to: folder.arraysURL)
        #expect { try folder.artifacts() } throws: { error in
            let text = "\(error)"
            return text.hasPrefix(folder.arraysURL.path) && text.contains("W1.npy is damaged")
        }
        // An archive without Wd.
        let all = RunArtifacts(result, id: spec.id).arrayFiles
        try NPZFile.data(all.filter { $0.name != "Wd.npy" }).write(to: folder.arraysURL)
        #expect { try folder.artifacts() } throws: { error in "\(error)".hasSuffix("arrays.npz: Wd.npy is missing") }
        try Data("not a zip".utf8).write(to: folder.arraysURL)
        #expect { try folder.artifacts() } throws: { error in "\(error)".contains("not a zip (.npz) archive") }
    }

    /// Folders written with one `.npy` file per array (before `arrays.npz`) still load; writing
    /// the arrays again replaces those files by the archive.
    @Test func foldersWithSeparateNPYFilesStillLoad() throws {
        let (spec, result) = try Self.tinyResult()
        let folder = RunFolder(ReportFixtures.folder())
        let written = RunArtifacts(result, id: spec.id)
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        for (name, file) in written.arrayFiles { try file.data.write(to: folder.url.appendingPathComponent(name)) }
        let read = try #require(try folder.artifacts())
        #expect(read.parameters == written.parameters && read.testImplicit == written.testImplicit)
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("Wd.npy"))
        #expect { try folder.artifacts() } throws: { error in "\(error)".contains("Wd.npy: missing or unreadable") }
        try folder.write(written)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["arrays.npz"])
        #expect(try folder.artifacts()?.parameters == written.parameters)
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

private extension Data {
    func readUInt16(at offset: Int) -> UInt16 {
        UInt16(self[startIndex + offset]) | UInt16(self[startIndex + offset + 1]) << 8
    }
}
