import Foundation

/// The Slurm commands `popcode slurm` uses, run as programs found on `PATH`: `sbatch` to
/// submit, `scontrol show config` for `MaxArraySize`, `squeue` to find jobs of a sweep still
/// queued, `scancel` to withdraw a half-made submission.
public struct SlurmClient: Sendable {
    /// The `PATH` the commands are looked up in.
    public let searchPath: String?

    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The program is not on `PATH`.
        case notFound(program: String)
        /// The program ran and failed; `message` is what it printed.
        case failed(program: String, status: Int32, message: String)
        /// The program could not be started, or printed something unexpected.
        case unusable(program: String, message: String)

        public var description: String {
            switch self {
            case .notFound(let program):
                "\(program) not found on PATH (is this a machine of the Slurm cluster, a login node?)"
            case .failed(let program, let status, let message):
                "\(program) failed (exit status \(status))" + (message.isEmpty ? "" : ": \(message)")
            case .unusable(let program, let message):
                "\(program): \(message)"
            }
        }
    }

    public init(searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) {
        self.searchPath = searchPath
    }

    /// Submits the batch script at `script` (`sbatch --parsable`), after the jobs
    /// `afterAny` have ended when not empty, and returns the new job's id.
    public func submit(script: String, afterAny: [String] = []) throws(Failure) -> String {
        var arguments = ["--parsable"]
        if !afterAny.isEmpty { arguments.append("--dependency=afterany:" + afterAny.joined(separator: ":")) }
        let output = try run("sbatch", arguments + [script])
        guard let id = Self.jobID(parsable: output.standardOutput) else {
            throw .unusable(program: "sbatch", message: "no job id in its output '\(output.standardOutput.trimmed)'")
        }
        return id
    }

    /// The cluster's `MaxArraySize` from `scontrol show config`, or `nil` when it cannot
    /// be read (no scontrol, no controller within 20 s).
    public func maxArraySize() -> Int? {
        guard let output = try? run("scontrol", ["show", "config"], timeout: 20) else { return nil }
        return Self.maxArraySize(showConfig: output.standardOutput)
    }

    /// The ids of this user's jobs still queued or running whose batch script is in
    /// `folder`, or `nil` when squeue cannot tell.
    public func queuedJobs(scriptsIn folder: String) -> [String]? {
        guard let output = try? run("squeue", ["--me", "--noheader", "--format=%F|%o"], timeout: 30) else { return nil }
        return Self.jobIDs(squeue: output.standardOutput, scriptsIn: folder)
    }

    /// Cancels the jobs `ids` (`scancel`).
    public func cancel(_ ids: [String]) throws(Failure) {
        _ = try run("scancel", ids)
    }

    // MARK: - Reading the commands' output

    /// The job id in `sbatch --parsable` output: `123`, or `123;cluster` on a multi-cluster site.
    public static func jobID(parsable output: String) -> String? {
        let id = output.trimmed.split(separator: ";", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return !id.isEmpty && id.allSatisfy({ $0.isASCII && $0.isNumber }) ? id : nil
    }

    /// `MaxArraySize` in `scontrol show config` output (a line `MaxArraySize = 1001`).
    public static func maxArraySize(showConfig output: String) -> Int? {
        for line in output.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "MaxArraySize" else { continue }
            return Int(parts[1].trimmingCharacters(in: .whitespaces)).flatMap { $0 >= 1 ? $0 : nil }
        }
        return nil
    }

    /// The distinct job ids, in order, of lines `id|script` of `squeue --format=%F|%o`
    /// whose script lies directly in `folder`.
    public static func jobIDs(squeue output: String, scriptsIn folder: String) -> [String] {
        var ids: [String] = []
        for line in output.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "|", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let id = String(parts[0].trimmingCharacters(in: .whitespaces))
            let script = URL(fileURLWithPath: String(parts[1].trimmingCharacters(in: .whitespaces)))
            if script.deletingLastPathComponent().standardizedFileURL.path == folder, !ids.contains(id) {
                ids.append(id)
            }
        }
        return ids
    }

    // MARK: - Running

    private func run(_ name: String, _ arguments: [String], timeout: Double? = nil) throws(Failure) -> ExternalProgram.Output {
        guard let program = ExternalProgram(named: name, searchPath: searchPath) else {
            throw .notFound(program: name)
        }
        let output: ExternalProgram.Output
        do {
            output = try program.run(arguments, timeout: timeout)
        } catch {
            throw .unusable(program: name, message: "cannot start \(program.path): \(error.localizedDescription)")
        }
        if output.timedOut {
            throw .unusable(program: name, message: "no answer within \(Int(timeout ?? 0)) s"
                            + (output.killed ? " (it ignored SIGTERM and was killed)" : ""))
        }
        guard output.status == 0 else {
            throw .failed(program: name, status: output.status, message: output.standardError.trimmed)
        }
        return output
    }
}

private extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
