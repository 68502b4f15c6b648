import Foundation

/// What the running executable is and which sources it came from, as far as can be told
/// honestly at run time.
///
/// The executable is identified exactly by the SHA-256 of its file (`/proc/self/exe`). The
/// sources are read at run time from the git work tree that holds the executable (a
/// `swift build` product lives in `<checkout>/.build/…`), recognised by a `Package.swift`
/// naming the `popcode` package at its top level: the commit checked out there and whether
/// the tree has changes (modified, staged or untracked files that git does not ignore).
/// That is the state of the tree now, which is the state the binary was built from unless
/// the tree changed after the last build; the hash tells two binaries apart either way. An
/// executable outside such a tree (copied or installed elsewhere), or a machine without
/// `git`, gives nil for what cannot be known; nothing is guessed.
///
/// Run time rather than build time: SwiftPM has no way to stamp a value into a target
/// without a build plugin that would rebuild the package on every commit.
public struct BuildProvenance: Sendable, Hashable {
    /// The work tree the executable lives in, when it is popcode's git checkout.
    public struct SourceTree: Sendable, Hashable {
        /// The tree's top-level folder.
        public let root: String
        /// The commit checked out (`git rev-parse HEAD`), nil when it has none.
        public let commit: String?
        /// Whether the tree differs from `commit` (`git status --porcelain` prints anything);
        /// nil when git could not tell.
        public let dirty: Bool?
    }

    /// The running executable's path, nil when unknown.
    public let executable: String?
    /// The SHA-256 of the executable's file, in lowercase hex; nil when it cannot be read.
    public let executableSHA256: String?
    /// The source tree, nil when the executable is not in popcode's git checkout or git is
    /// not available (`unknownTreeReason` says which).
    public let sourceTree: SourceTree?
    /// Why `sourceTree` is nil.
    public let unknownTreeReason: String?

    /// This process's provenance, found once.
    public static let current = BuildProvenance(executable: runningExecutable())

    /// The provenance of `executable` (nil: unknown).
    public init(executable: URL?) {
        self.executable = executable?.path
        executableSHA256 = executable.flatMap { Self.cachedSHA256(of: $0) }
        switch executable.map({ Self.sourceTree(containing: $0.deletingLastPathComponent()) }) {
        case .some(.success(let tree)):
            sourceTree = tree
            unknownTreeReason = nil
        case .some(.failure(let why)):
            sourceTree = nil
            unknownTreeReason = why.reason
        case nil:
            sourceTree = nil
            unknownTreeReason = "the running executable's path is unknown"
        }
    }

    /// Nil when the source tree is known to be clean, else why a run that requires a clean
    /// tree (`--require-clean`) must not start.
    public var uncleanReason: String? {
        guard let tree = sourceTree else {
            return "cannot tell whether popcode's sources are clean: \(unknownTreeReason ?? "unknown source tree")"
        }
        switch tree.dirty {
        case false?: return nil
        case true?:
            return "the work tree \(tree.root) has uncommitted changes (see git -C \(tree.root) status); "
                + "commit or stash them, rebuild, and run again"
        case nil:
            return "cannot tell whether the work tree \(tree.root) is clean (git status failed)"
        }
    }

    struct Unknown: Error {
        let reason: String
    }

    /// The popcode git work tree that contains `folder`, read with git.
    static func sourceTree(containing folder: URL) -> Result<SourceTree, Unknown> {
        let path = ProcessInfo.processInfo.environment["PATH"]
        guard let git = ExternalProgram(named: "git", searchPath: path) else {
            return .failure(Unknown(reason: "git is not on PATH"))
        }
        func output(_ arguments: [String]) -> String? {
            // No optional locks: reading the state never writes the index (several popcode
            // processes may start at once in one tree).
            guard let result = try? git.run(["--no-optional-locks", "-C", folder.path] + arguments, timeout: 20),
                  result.status == 0, !result.timedOut else { return nil }
            return result.standardOutput
        }
        guard let top = output(["rev-parse", "--show-toplevel"])?
            .trimmingCharacters(in: .whitespacesAndNewlines), !top.isEmpty else {
            return .failure(Unknown(reason: "the executable (in \(folder.path)) is not inside a git work tree"))
        }
        let manifest = URL(fileURLWithPath: top).appendingPathComponent("Package.swift")
        guard let text = try? String(contentsOf: manifest, encoding: .utf8),
              text.contains("name: \"popcode\"") else {
            return .failure(Unknown(reason: "the git work tree \(top) around the executable is not popcode's"))
        }
        let commit = output(["rev-parse", "--verify", "--quiet", "HEAD"])?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let status = output(["status", "--porcelain"])
        return .success(SourceTree(root: top, commit: commit?.isEmpty == false ? commit : nil,
                                   dirty: status.map { !$0.isEmpty }))
    }

    struct HashError: Error {
        let reason: String
    }

    /// The SHA-256 of the file at `url`, by coreutils' `sha256sum` (an essential package on
    /// Debian, so on every machine popcode runs on). Foundation has no SHA-256 on Linux, and
    /// swift-crypto, which has, would add BoringSSL to the release build of `popcode` (about
    /// 300 more C files to compile, minutes on two cores) for one hash per process.
    static func sha256(of url: URL) throws(HashError) -> String {
        guard let program = ExternalProgram(named: "sha256sum", searchPath: ProcessInfo.processInfo.environment["PATH"]) else {
            throw HashError(reason: "sha256sum is not on PATH")
        }
        let output: ExternalProgram.Output
        do { output = try program.run(["--binary", "--", url.path], timeout: 60) } catch {
            throw HashError(reason: "cannot start \(program.path): \(error.localizedDescription)")
        }
        let digest = output.standardOutput.prefix(64)
        guard output.status == 0, !output.timedOut, digest.count == 64,
              digest.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw HashError(reason: "sha256sum failed: \(output.standardError.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return String(digest)
    }

    /// The SHA-256 of the file at `url`, remembered beside it in `.NAME.sha256` with the file's
    /// identity and change times (device, inode, size, mtime, ctime), as git's index remembers
    /// a file's hash: a later process with the same file pays a `stat`, not a read of 30 MB
    /// through `sha256sum` (≈ 90 ms of CPU, most of what a 2-second run spends outside its
    /// training loop). Any write to the file changes its ctime, which no user can set back, so a
    /// stale entry is never believed. Nil when the file cannot be hashed; a folder that cannot
    /// be written only costs the cache.
    static func cachedSHA256(of url: URL) -> String? {
        guard let identity = fileIdentity(url) else { return nil }
        let cache = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).sha256")
        if let text = try? String(contentsOf: cache, encoding: .utf8) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.count >= 2, lines[0] == identity, lines[1].count == 64,
               lines[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
                return String(lines[1])
            }
        }
        guard let digest = try? sha256(of: url) else { return nil }
        // Remembered only when the file did not change while it was read.
        if fileIdentity(url) == identity {
            try? AtomicFile.write(Data("\(identity)\n\(digest)\n".utf8), to: cache, durable: false)
        }
        return digest
    }

    /// What changes whenever the file at `url` is replaced or written: nil when it cannot be
    /// examined.
    static func fileIdentity(_ url: URL) -> String? {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        return "\(info.st_dev) \(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) "
            + "\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
    }

    /// The running executable (`/proc/self/exe`, else the resolved `argv[0]`).
    static func runningExecutable() -> URL? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        guard let first = CommandLine.arguments.first, first.contains("/") else { return nil }
        return URL(fileURLWithPath: first).resolvingSymlinksInPath()
    }
}
