import Foundation

/// Runs the built `popcode` executable and captures what it prints.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    /// The `popcode` executable next to the test bundle (`.build/<config>/popcode`), or
    /// `$POPCODE_BINARY`.
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["POPCODE_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.appendingPathComponent("popcode"))
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("popcode"))
        for bundle in Bundle.allBundles {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("popcode"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Starts `popcode arguments…` in `directory`.
    static func start(_ arguments: [String], in directory: URL) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    static func run(_ arguments: [String], in directory: URL) throws -> CLIResult {
        let (process, out, err) = try start(arguments, in: directory)
        // Read both pipes concurrently so a full pipe never blocks the child.
        nonisolated(unsafe) var stderrData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { stderrData = err.fileHandleForReading.readDataToEndOfFile() }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus,
                         stdout: String(decoding: stdoutData, as: UTF8.self),
                         stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// A fresh working folder holding `files` (name → content).
    static func workspace(_ files: [String: String] = [:], name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("popcode-cli-\(safe)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (file, content) in files {
            try content.write(to: url.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        return url
    }

    static let tinyKeys = "epochs: 3\nn_train: 48\nn_test: 24\nn_hidden: 12\nn_implicit: 2\nn_enc_hidden: 8\nbatch_size: 16\n"

    static func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    /// The files of a completed run's folder, sorted: the arrays and metrics.json.
    static let runFiles = [
        ".lock",  // the run's lock: kept, empty once let go
        "arrays.npz", "metrics.json",
    ]

    /// Every file below `folder`, relative, sorted.
    static func files(under folder: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        var out: [String] = []
        while let next = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(next).path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { out.append(next) }
        }
        return out.sorted()
    }
}
