import Foundation
import PopCode

/// Where and with what a run was computed.
public struct RunEnvironment: Sendable, Hashable, Codable {
    public static let popcodeVersion = "0.1.0"

    public var popcodeVersion: String
    public var gitCommit: String?
    public var swiftVersion: String
    public var blas: String
    public var host: String
    public var cpu: String?
    public var cores: Int

    public init(popcodeVersion: String, gitCommit: String?, swiftVersion: String, blas: String,
                host: String, cpu: String?, cores: Int) {
        self.popcodeVersion = popcodeVersion
        self.gitCommit = gitCommit
        self.swiftVersion = swiftVersion
        self.blas = blas
        self.host = host
        self.cpu = cpu
        self.cores = cores
    }

    enum CodingKeys: String, CodingKey {
        case popcodeVersion = "popcode_version"
        case gitCommit = "git_commit"
        case swiftVersion = "swift_version"
        case blas, host, cpu, cores
    }

    /// This process's environment (computed once).
    public static let current: RunEnvironment = RunEnvironment(
        popcodeVersion: popcodeVersion, gitCommit: sourceCommit(), swiftVersion: compilerVersion,
        blas: Linear.blasDescription, host: ProcessInfo.processInfo.hostName,
        cpu: cpuModel(), cores: ProcessInfo.processInfo.activeProcessorCount)

    static var compilerVersion: String {
        #if compiler(>=6.4)
        "6.4 or later"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #else
        "6.1 or earlier"
        #endif
    }

    /// The git commit of the checkout the running executable was built in, found by
    /// walking up from the executable to the folder holding `.git`.
    static func sourceCommit() -> String? {
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<6 {
            let head = folder.appendingPathComponent(".git/HEAD")
            if let text = try? String(contentsOf: head, encoding: .utf8) {
                let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard line.hasPrefix("ref: ") else { return line }
                let ref = String(line.dropFirst(5))
                let refFile = folder.appendingPathComponent(".git/\(ref)")
                if let commit = try? String(contentsOf: refFile, encoding: .utf8) {
                    return commit.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                return packedRef(ref, in: folder.appendingPathComponent(".git/packed-refs"))
            }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    private static func packedRef(_ ref: String, in file: URL) -> String? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasSuffix(" " + ref) {
            return String(line.split(separator: " ")[0])
        }
        return nil
    }

    private static func cpuModel() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}
