/// Why a report could not be made. All of these are the user's to fix (exit status 2),
/// except `cannotWrite`.
public enum ReportError: Error, Sendable, CustomStringConvertible {
    /// The path does not exist or is not a folder.
    case notAFolder(path: String)
    /// The folder holds no run folders; `suggestions` are subfolders that do.
    case noRuns(path: String, suggestions: [String])
    /// `--run` matches no run; `available` lists the names that would.
    case unknownRun(String, available: [String])
    /// `--run` matches several runs.
    case ambiguousRun(String, matches: [String])
    /// The report file could not be written.
    case cannotWrite(AtomicFile.WriteError)

    public var description: String {
        switch self {
        case .notAFolder(let path):
            return "\(path): no such folder"
        case .noRuns(let path, let suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean \(Self.list(suggestions))?"
            return "\(path): no runs found (a run is a folder with metrics.json)\(hint)"
        case .unknownRun(let name, let available):
            return "no run '\(name)'; runs are: \(Self.list(available))"
        case .ambiguousRun(let name, let matches):
            return "'\(name)' matches several runs: \(Self.list(matches)); give experiment/run"
        case .cannotWrite(let error):
            return error.description
        }
    }

    private static func list(_ names: [String]) -> String {
        names.count <= 12 ? names.joined(separator: ", ")
            : names.prefix(12).joined(separator: ", ") + ", … (\(names.count) in all)"
    }
}
