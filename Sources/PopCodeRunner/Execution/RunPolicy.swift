import PopCode

/// What to do with each run of a sweep, given what its folder holds: the one rule that
/// `popcode run`, `popcode queue add`, `popcode slurm` and `popcode train` follow.
///
/// | the run's folder holds            | without `force`     | with `force`                |
/// |-----------------------------------|---------------------|-----------------------------|
/// | its completed results (same id)   | skipped             | to do (results replaced)    |
/// | the same, of another numerics revision | conflict       | to do (results replaced)    |
/// | its failed results                | to do (tried again) | to do                       |
/// | its checkpoint                    | to do (resumes)     | to do (from epoch 0)        |
/// | nothing                           | to do               | to do                       |
/// | another spec's results, or an unreadable metrics.json | conflict | to do (replaced) |
///
/// Results computed by another numerics revision (`NumericsRevision`: the core's arithmetic
/// changed since) are never reused silently: they are a conflict that names the folder and
/// both revisions, which `--force` retrains.
///
/// A command refuses to start anything while there is a conflict. Runs come out in plan
/// order (their index in the expansion), whatever order they went in: the order in which
/// every command trains, queues or submits them.
public struct RunPolicy: Sendable, Hashable {
    /// A run whose folder holds something the policy will not overwrite.
    public struct Conflict: Sendable, Hashable, CustomStringConvertible {
        public let run: PlannedRun
        /// What is in the way, e.g. `runs/x/seed=0 holds results of another spec (id …, now …)`.
        public let description: String
    }

    /// The runs to train, in plan order.
    public private(set) var todo: [PlannedRun] = []
    /// The runs already completed with their spec, in plan order.
    public private(set) var skipped: [PlannedRun] = []
    /// The runs in the way of others' results, in plan order.
    public private(set) var conflicts: [Conflict] = []
    /// Of `todo`, those that failed before.
    public private(set) var retried: [PlannedRun] = []
    /// Of `todo`, those that resume from a checkpoint.
    public private(set) var resumed: [PlannedRun] = []
    /// Whether completed runs and others' results are replaced.
    public let force: Bool

    /// Decides each of `runs` given its state on disk and its folder's path (for messages).
    public init(_ runs: [(run: PlannedRun, state: RunState, folder: String)], force: Bool = false) {
        self.force = force
        for (run, state, folder) in runs.sorted(by: { $0.run.index < $1.run.index }) {
            decide(run, state, folder: folder)
        }
    }

    /// Decides the runs of `sweep` (or the `selection` of them), reading each run's folder.
    /// Runs whose folder does not exist hold nothing: one listing of the experiment folder
    /// spares them the look inside (a 100,000-run sweep that is new costs no file checks).
    public init(_ sweep: Sweep, selection: [PlannedRun]? = nil, force: Bool = false) {
        self.force = force
        let present = sweep.presentRunFolders()
        for run in selection?.sorted(by: { $0.index < $1.index }) ?? sweep.runs {
            if present.contains(run.label) {
                decide(run, sweep.state(of: run), folder: sweep.runFolder(run).url.relativePath)
            } else {
                decide(run, .pending, folder: "")
            }
        }
    }

    /// Files `run` (the next in plan order) under what its folder holds, `state`.
    private mutating func decide(_ run: PlannedRun, _ state: RunState, folder: String) {
        switch state {
        case .completed:
            if force { todo.append(run) } else { skipped.append(run) }
        case .failed:
            todo.append(run)
            retried.append(run)
        case .resumable:
            todo.append(run)
            if !force { resumed.append(run) }
        case .pending:
            todo.append(run)
        case .otherNumerics(let metrics):
            if force { todo.append(run) } else {
                conflicts.append(Conflict(run: run, description: Self.otherNumerics(folder, revision: metrics.numericsRevision)))
            }
        case .conflict(let existing):
            if force { todo.append(run) } else {
                conflicts.append(Conflict(run: run, description:
                    "\(folder) holds results of another spec (id \(existing), now \(run.id))"))
            }
        case .unreadable(let why):
            if force { todo.append(run) } else { conflicts.append(Conflict(run: run, description: why)) }
        }
    }

    /// What is in the way when `folder` holds results of numerics revision `revision`.
    public static func otherNumerics(_ folder: String, revision: Int) -> String {
        "\(folder) holds results computed by numerics revision \(revision), "
            + "but this popcode computes revision \(NumericsRevision.current): they are not reused"
    }

    /// Every run the policy decided about.
    public var count: Int { todo.count + skipped.count + conflicts.count }

    /// How to clear conflicts in an experiment folder, for `refusal`.
    public static let sweepRemedies = ["rename the experiment (name: or --set name=...)", "move those folders away"]

    /// The error text for `conflicts` (or any such lines): what is in the way, and the ways
    /// to clear it (`sweepRemedies` and whatever else the command offers).
    public static func refusal(_ conflicts: [String], what: String = "existing results",
                               remedies: [String] = sweepRemedies) -> String {
        let ways = remedies.count <= 2 ? remedies.joined(separator: " or ")
            : remedies.dropLast().joined(separator: ", ") + ", or " + remedies.last!
        return "\(what) would be overwritten:\n" + conflicts.map { "  \($0)" }.joined(separator: "\n") + "\n" + ways
    }
}
