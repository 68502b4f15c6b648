import Foundation

/// The Slurm jobs that train the missing runs of a sweep: one or more job arrays, whose task
/// `T` runs `popcode run <frozen file> --index $((OFFSET + T))`, and a follow-up job that
/// starts when every array has ended (`--dependency=afterany:`) and writes the comparison.
///
/// All files go to `runs/<experiment>/slurm/`: the frozen experiment, `sweep.sbatch` (or
/// `sweep-1.sbatch`, `sweep-2.sbatch`, … when split), `compare.sbatch`; the tasks' logs
/// `%A_%a.out` (array job id, task id) and the follow-up's `compare-%j.out` land there too.
///
/// Array task ids must lie in `0 ..< MaxArraySize`, so run `i` goes to the array with
/// `OFFSET = (i / MaxArraySize) · MaxArraySize` as task `i − OFFSET`: with the default limit
/// of 1001 the task id is the run index for the first 1001 runs. Only the missing runs are
/// listed (`--array=3,7,9-12`), and an array whose list would pass Slurm's 4096 characters
/// is cut in several with the same offset.
public struct SlurmSubmission: Sendable, Hashable {
    /// One job array: tasks `taskIDs`, each training run `offset + id`.
    public struct ArrayJob: Sendable, Hashable {
        /// `sweep.sbatch`, or `sweep-<n>.sbatch` (from 1) when there are several.
        public let scriptName: String
        public let offset: Int
        public let taskIDs: ArrayIndexList
        /// The value of `--array`: the task ids, then `%M` when parallelism is capped.
        public let arraySpec: String

        /// The run indices this array trains, ascending.
        public var runIndices: [Int] { taskIDs.ids.map { offset + $0 } }
    }

    public struct PathError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public let experimentName: String
    /// How many runs the sweep has in all.
    public let runCount: Int
    /// Absolute path of `runs/<experiment>/slurm`.
    public let folder: String
    /// Absolute path of the runs folder the tasks write to.
    public let runsDirectory: String
    public let frozen: FrozenExperiment
    public let options: SlurmJobOptions
    /// In submission order; never empty.
    public let arrays: [ArrayJob]

    public static let followUpScriptName = "compare.sbatch"

    /// The jobs for `missing` (runs of `sweep`, not empty), tasks reading `frozen`.
    ///
    /// Throws when the experiment folder's absolute path has a character that `#SBATCH`
    /// lines cannot carry in a log path (white space, quotes, `\`, `%`).
    public init(sweep: Sweep, missing: [PlannedRun], frozen: FrozenExperiment,
                options: SlurmJobOptions) throws(PathError) {
        precondition(!missing.isEmpty, "a submission needs at least one run")
        let experimentFolder = sweep.folder.standardizedFileURL
        folder = experimentFolder.appendingPathComponent("slurm").path
        runsDirectory = experimentFolder.deletingLastPathComponent().path
        if let bad = folder.unicodeScalars.first(where: Self.breaksDirectives) {
            throw PathError(description: """
                the runs folder \(folder) has a character Slurm's #SBATCH lines cannot hold (\
                '\(bad.escaped(asASCII: true))'); use --runs-dir with a path without spaces, quotes, '\\' or '%'
                """)
        }
        experimentName = sweep.experiment.name
        runCount = sweep.runs.count
        self.frozen = frozen
        self.options = options

        let limit = options.maxArraySize
        let suffix = options.maxParallel.map { "%\($0)" } ?? ""
        let byOffset = Dictionary(grouping: missing.map(\.index)) { $0 / limit * limit }
        var lists: [(offset: Int, ids: ArrayIndexList)] = []
        for offset in byOffset.keys.sorted() {
            let ids = ArrayIndexList(byOffset[offset]!.map { $0 - offset })
            for piece in ids.split(maxLength: ArrayIndexList.maxSpecLength - suffix.count) {
                lists.append((offset, piece))
            }
        }
        arrays = lists.enumerated().map { number, list in
            ArrayJob(scriptName: lists.count == 1 ? "sweep.sbatch" : "sweep-\(number + 1).sbatch",
                     offset: list.offset, taskIDs: list.ids, arraySpec: "\(list.ids)\(suffix)")
        }
    }

    /// How many runs the arrays train.
    public var taskCount: Int { arrays.reduce(0) { $0 + $1.taskIDs.count } }

    /// Absolute path of the frozen experiment file.
    public var frozenPath: String { "\(folder)/\(frozen.fileName)" }

    /// Absolute path of a file in `folder`.
    public func path(of fileName: String) -> String { "\(folder)/\(fileName)" }

    /// The files to write in `folder`, by name: the frozen experiment, the array scripts
    /// and the follow-up script.
    public var files: [(name: String, text: String)] {
        [(frozen.fileName, frozen.text)] + arrays.map { ($0.scriptName, script(for: $0)) }
            + [(Self.followUpScriptName, followUpScript)]
    }

    /// Whether array `number` (0-based) must wait for the array before it: when the sweep
    /// is split and parallelism is capped, so that the cap holds for the whole sweep.
    public func waitsForPreviousArray(_ number: Int) -> Bool {
        number > 0 && options.maxParallel != nil
    }

    /// The batch script of `array`.
    public func script(for array: ArrayJob) -> String {
        let first = array.runIndices.first!, last = array.runIndices.last!
        let which = array.taskIDs.count == runCount ? "every run" :
            "\(array.taskIDs.count) of its \(runCount) runs (\(first == last ? "run \(first)" : "runs \(first)…\(last)"))"
        let run = "\(Self.quoted(options.executable)) run \(Self.quoted(frozenPath)) --index \"$((\(array.offset) + SLURM_ARRAY_TASK_ID))\" --runs-dir \(Self.quoted(runsDirectory)) --quiet"
            + (options.requireClean ? " --require-clean" : "")
        return header(jobName: "popcode-\(experimentName)", extra: ["--array=\(array.arraySpec)"],
                      output: "%A_%a.out") + """
            #
            # Sweep '\(experimentName)': \(which), one per array task; task T trains run \(array.offset) + T
            # of \(frozen.fileName) (the experiment as submitted) and writes
            # \(runsDirectory)/\(experimentName)/<run>/metrics.json. A run that already completed is skipped.
            # Written by `popcode slurm`, which submits it; by hand: sbatch \(Self.quoted(path(of: array.scriptName)))

            set -euo pipefail
            echo "popcode: run $((\(array.offset) + SLURM_ARRAY_TASK_ID)) of sweep '\(experimentName)', job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} on ${SLURMD_NODENAME:-$HOSTNAME}"
            exec \(run)

            """
    }

    /// The follow-up script: writes comparison.md/.csv/.json and report.html of the runs that
    /// completed; ends with a non-zero status when a run is missing or failed, or the files
    /// could not be written, saying so in its log.
    public var followUpScript: String {
        let popcode = Self.quoted(options.executable)
        return header(jobName: "popcode-\(experimentName)-compare", extra: [], output: "compare-%j.out") + """
            #
            # Sweep '\(experimentName)': submitted with --dependency=afterany:<its array jobs>, so it starts
            # once every task has ended, however it ended. Writes the comparison of the completed runs to
            # \(runsDirectory)/\(experimentName)/comparison.{md,csv,json} and report.html; exits 1 if a run
            # is missing or failed.

            set -uo pipefail
            exec \(popcode) slurm \(Self.quoted(frozenPath)) --runs-dir \(Self.quoted(runsDirectory)) --write-comparison

            """
    }

    /// The shell commands that submit the jobs in order, each job's id kept in `a<n>`, the
    /// follow-up depending on all of them: what to type when `popcode slurm` does not submit.
    public var submitCommands: [String] {
        var commands: [String] = []
        for (number, array) in arrays.enumerated() {
            let dependency = waitsForPreviousArray(number) ? " --dependency=afterany:$a\(number)" : ""
            commands.append("a\(number + 1)=$(sbatch --parsable\(dependency) \(Self.quoted(path(of: array.scriptName))) | cut -d';' -f1)")
        }
        let all = (1...arrays.count).map { "$a\($0)" }.joined(separator: ":")
        commands.append("sbatch --dependency=afterany:\(all) \(Self.quoted(path(of: Self.followUpScriptName)))")
        return commands
    }

    /// `#!/bin/bash` and the `#SBATCH` lines shared by both kinds of script.
    private func header(jobName: String, extra: [String], output: String) -> String {
        var directives = ["--job-name=\(jobName)"] + extra + ["--output=\(folder)/\(output)",
                                                             "--cpus-per-task=\(options.cpusPerTask)"]
        if let time = options.timeLimit { directives.append("--time=\(time)") }
        if let partition = options.partition { directives.append("--partition=\(partition)") }
        return "#!/bin/bash\n" + directives.map { "#SBATCH \($0)\n" }.joined()
    }

    /// Characters a path in an `#SBATCH --output=` line cannot hold: white space and quotes
    /// split or end the directive, `\` and `%` are read as escapes and patterns.
    private static func breaksDirectives(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.value < 0x20 || "\"'\\%".unicodeScalars.contains(scalar)
    }

    /// `text` as one shell word: as is when made only of `A-Za-z0-9/._,:=+@-`, else single-quoted.
    static func quoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil))
                || "/._,:=+@-".unicodeScalars.contains($0)
        }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
