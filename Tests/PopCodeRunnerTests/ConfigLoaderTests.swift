import Foundation
import Testing
@testable import PopCodeRunner

/// JSON encoding for tests, with sorted keys so the text is stable.
enum JSONRoundTrip {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }
}

@Suite("Loading files and printing errors")
struct ConfigLoaderTests {
    /// A fresh directory under the system's temporary directory.
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("popcode-config-tests-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func loadsAFileAndNamesItByThePathGiven() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("grid.yaml").path
        try Data("name: grid\nlr: [0.1, 0.2]\n".utf8).write(to: URL(fileURLWithPath: path))
        let spec = try ExperimentLoader.load(path: path, overrides: ["seed=4"])
        #expect(parameterSummary(spec) == ["lr=[0.1, 0.2]", "seed=4"])

        try Data("name: grid\nlr: [0.1, -0.2]\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ConfigError(file: path, line: 2, column: 11,
                                    message: "'lr' must be a finite number > 0, got -0.2",
                                    sourceLine: "lr: [0.1, -0.2]")) {
            try ExperimentLoader.load(path: path)
        }
    }

    @Test func missingFile() {
        #expect(throws: ConfigError(file: "configs/nope.yaml", message: "no such file")) {
            try ExperimentLoader.load(path: "configs/nope.yaml")
        }
        #expect(ConfigError(file: "configs/nope.yaml", message: "no such file").description
                == "configs/nope.yaml: error: no such file")
    }

    @Test func directoryAndInvalidUTF8() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: ConfigError(file: directory.path, message: "is a directory, not a file")) {
            try ExperimentLoader.load(path: directory.path)
        }
        let path = directory.appendingPathComponent("bad.yaml").path
        try Data([0x6E, 0x3A, 0x20, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        #expect(throws: ConfigError(file: path, message: "the file is not valid UTF-8 text")) {
            try ExperimentLoader.load(path: path)
        }
    }

    @Test func printedFormWithAndWithoutNote() {
        let error = ConfigError(file: "configs/x.yaml", line: 7, column: 5,
                                message: "unknown key 'lrate' (did you mean 'lr'?)",
                                note: "valid keys are …", sourceLine: "    lrate: 0.1")
        #expect(error.description == """
            configs/x.yaml:7:5: error: unknown key 'lrate' (did you mean 'lr'?)
                lrate: 0.1
                ^
            note: valid keys are …
            """)
        let atEnd = ConfigError(file: "f", line: 1, column: 4, message: "m", sourceLine: "ab")
        #expect(atEnd.description == "f:1:4: error: m\nab\n   ^")
        let tabs = ConfigError(file: "f", line: 2, column: 4, message: "m", sourceLine: "\t\tx y")
        #expect(tabs.description == "f:2:4: error: m\n\t\tx y\n\t\t ^")
    }
}
