/// The runs of a sweep that still have to run, by the rules of `popcode run`: a completed
/// run (same id) is done; a failed, interrupted or never started run is missing; a folder
/// holding another spec's results, or an unreadable metrics.json, is a conflict that
/// `popcode run` refuses to overwrite.
public struct MissingRuns: Sendable, Hashable {
    /// The runs to train, in plan order.
    public let missing: [PlannedRun]
    /// How many runs completed already.
    public let completedCount: Int
    /// How many of `missing` failed before (and will be tried again).
    public let failedCount: Int
    /// One line per run whose folder `popcode run` would refuse to overwrite.
    public let conflicts: [String]

    /// The missing runs among `runs`, given each one's state on disk and its folder's path.
    public init(_ runs: [(run: PlannedRun, state: Sweep.RunState, folder: String)]) {
        var missing: [PlannedRun] = []
        var completed = 0
        var failed = 0
        var conflicts: [String] = []
        for (run, state, folder) in runs {
            switch state {
            case .completed:
                completed += 1
            case .failed:
                failed += 1
                missing.append(run)
            case .resumable, .pending:
                missing.append(run)
            case .conflict(let existing):
                conflicts.append("\(folder) holds results of another spec (id \(existing), now \(run.id))")
            case .unreadable(let why):
                conflicts.append(why)
            }
        }
        self.missing = missing
        completedCount = completed
        failedCount = failed
        self.conflicts = conflicts
    }

    /// The missing runs of `sweep`, reading each run's folder.
    public init(of sweep: Sweep) {
        self.init(sweep.runs.map { run in
            (run, sweep.state(of: run), sweep.runFolder(run).url.relativePath)
        })
    }
}
