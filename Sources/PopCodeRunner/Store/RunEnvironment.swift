import Foundation
import PopCode

/// Where and with what a run was computed: the `environment` of its metrics.json.
///
/// The provenance fields (`git_dirty`, `executable_sha256`, `blas_core`) were
/// added under `popcode.metrics/2`; files written before them decode with those fields nil,
/// and `git_commit` of older files came from reading `.git/HEAD` (nil in git worktrees).
/// Nil always means unknown, never a guess: see `BuildProvenance`.
public struct RunEnvironment: Sendable, Hashable, Codable {
    public static let popcodeVersion = "0.1.0"

    public var popcodeVersion: String
    /// The commit checked out in the work tree that holds the executable (`BuildProvenance`).
    public var gitCommit: String?
    /// Whether that work tree had uncommitted changes when the run started.
    public var gitDirty: Bool?
    /// The SHA-256 of the executable that computed the run.
    public var executableSHA256: String?
    public var swiftVersion: String
    /// OpenBLAS's build description and chosen kernel (`Linear.blasDescription`).
    public var blas: String
    /// The kernel OpenBLAS chose for this CPU (`Linear.blasCore`, e.g. `Haswell`).
    public var blasCore: String?
    public var host: String
    public var cpu: String?
    public var cores: Int

    public init(popcodeVersion: String, gitCommit: String?, gitDirty: Bool? = nil,
                executableSHA256: String? = nil, swiftVersion: String, blas: String,
                blasCore: String? = nil, host: String, cpu: String?, cores: Int) {
        self.popcodeVersion = popcodeVersion
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
        self.executableSHA256 = executableSHA256
        self.swiftVersion = swiftVersion
        self.blas = blas
        self.blasCore = blasCore
        self.host = host
        self.cpu = cpu
        self.cores = cores
    }

    enum CodingKeys: String, CodingKey {
        case popcodeVersion = "popcode_version"
        case gitCommit = "git_commit"
        case gitDirty = "git_dirty"
        case executableSHA256 = "executable_sha256"
        case swiftVersion = "swift_version"
        case blasCore = "blas_core"
        case blas, host, cpu, cores
    }

    /// This process's environment (computed once, when a first run records it).
    public static let current: RunEnvironment = {
        let provenance = BuildProvenance.current
        return RunEnvironment(
            popcodeVersion: popcodeVersion, gitCommit: provenance.sourceTree?.commit,
            gitDirty: provenance.sourceTree?.dirty, executableSHA256: provenance.executableSHA256,
            swiftVersion: compilerVersion, blas: Linear.blasDescription, blasCore: Linear.blasCore,
            host: ProcessInfo.processInfo.hostName, cpu: cpuModel(),
            cores: ProcessInfo.processInfo.activeProcessorCount)
    }()

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

    private static func cpuModel() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}
