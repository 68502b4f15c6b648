import Foundation

extension QueueDatabase {
    /// Enqueues the runs of `sweep` as `popcode run` would train them, into the same
    /// folders, and writes the experiment's `experiment.json`.
    ///
    /// What is on disk is judged by `RunPolicy`, as for `popcode run`; then a run already
    /// pending, running or completed with the same spec in the same folder is skipped, and a
    /// failed or cancelled one goes back to pending (`QueueAdmission`). Folders holding
    /// results of another spec, or queued with another spec, are conflicts: then nothing is added.
    /// For a halving search the runs are those its state has started (round 1 of a new
    /// search); workers add each next round as the round before ends.
    public func add(_ sweep: Sweep, source: String?, overrides: [String]) throws(QueueError) -> QueueAddSummary {
        let known = sweep.knownRuns()
        let runs = zip(known, known.dropFirst()).allSatisfy({ $0.index < $1.index }) ? known
            : known.sorted { $0.index < $1.index }
        let policy = RunPolicy(sweep, selection: runs)
        guard policy.conflicts.isEmpty else { throw .conflicts(policy.conflicts.map(\.description)) }
        let done = Set(policy.skipped.map(\.index))
        // Labels are single path components with no `.` or `..` (`ExperimentSpec.safeLabel`),
        // so the standardized folder of a run is its experiment's and its label. Without
        // conflicts every run is to do or skipped: the candidates are the runs, made one by one.
        let base = Self.absolute(sweep.folder).path
        let candidates = runs.lazy.map { run in
            Candidate(run: run, folder: base + "/" + run.label, completedOnDisk: done.contains(run.index))
        }
        let experiment = QueuedExperiment(folder: Self.absolute(sweep.folder), spec: sweep.experiment,
                                          source: source, overrides: overrides)
        let decisions = try add(experiment, candidates: candidates) { () throws(QueueError) in
            do {
                try sweep.writeRecord(source: source, overrides: overrides)
            } catch {
                throw .storage(String(describing: error))
            }
            AtomicFile.removeLeftovers(in: sweep.folder)
        }
        var summary = QueueAddSummary(total: policy.count)
        for decision in decisions {
            switch decision {
            case .insert: summary.added += 1
            case .requeue: summary.added += 1; summary.requeued += 1
            case .skipQueued: summary.alreadyQueued += 1
            case .skipCompleted, .markCompleted: summary.alreadyCompleted += 1
            case .conflict: break
            }
        }
        return summary
    }

    /// `url` as an absolute, standardized file URL (the queue outlives the current directory).
    static func absolute(_ url: URL) -> URL {
        URL(fileURLWithPath: url.path).standardizedFileURL
    }
}
