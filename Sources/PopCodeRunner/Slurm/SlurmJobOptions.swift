/// What `popcode slurm` asks of the cluster for each task, and what the tasks run.
public struct SlurmJobOptions: Sendable, Hashable {
    /// `sbatch --partition` (one name or a comma-separated list); the cluster's default when `nil`.
    public var partition: String?
    /// `sbatch --time` of each task; the partition's default when `nil`.
    public var timeLimit: SlurmTimeLimit?
    /// `sbatch --cpus-per-task`. One run trains on one core, so 1 unless the site needs more.
    public var cpusPerTask: Int
    /// The most tasks running at once (`--array=…%M`); no limit when `nil`. With several
    /// arrays, each waits for the one before it (`--dependency=afterany:`), so the limit
    /// holds for the whole sweep.
    public var maxParallel: Int?
    /// The cluster's `MaxArraySize`: array task ids go from 0 to `maxArraySize − 1`.
    public var maxArraySize: Int
    /// Absolute path of the popcode executable the jobs run (on a filesystem the nodes share).
    public var executable: String
    /// Each task runs with `--require-clean`: it refuses to train when the work tree of the
    /// executable has uncommitted changes when the task starts.
    public var requireClean: Bool

    /// Slurm's default `MaxArraySize`, used when the cluster's cannot be read.
    public static let defaultMaxArraySize = 1001

    public init(executable: String, partition: String? = nil, timeLimit: SlurmTimeLimit? = nil,
                cpusPerTask: Int = 1, maxParallel: Int? = nil,
                maxArraySize: Int = defaultMaxArraySize, requireClean: Bool = false) {
        precondition(cpusPerTask >= 1 && (maxParallel ?? 1) >= 1 && maxArraySize >= 1)
        self.executable = executable
        self.partition = partition
        self.timeLimit = timeLimit
        self.cpusPerTask = cpusPerTask
        self.maxParallel = maxParallel
        self.maxArraySize = maxArraySize
        self.requireClean = requireClean
    }
}
