import Foundation

extension QueueDatabase {
    /// Enqueues the runs of `sweep` as `popcode run` would train them, into the same
    /// folders, and writes the experiment's `experiment.json`.
    ///
    /// A run already pending, running or completed with the same spec in the same folder is
    /// skipped; a failed or cancelled one goes back to pending. Folders holding results of
    /// another spec, or queued with another spec, are conflicts: then nothing is added.
    public func add(_ sweep: Sweep, source: String?, overrides: [String]) throws(QueueError) -> QueueAddSummary {
        var candidates: [Candidate] = []
        var conflicts: [String] = []
        for run in sweep.runs {
            let folder = sweep.runFolder(run)
            switch sweep.state(of: run) {
            case .completed:
                candidates.append(Candidate(run: run, folder: Self.absolute(folder.url), completedOnDisk: true))
            case .failed, .resumable, .pending:
                candidates.append(Candidate(run: run, folder: Self.absolute(folder.url), completedOnDisk: false))
            case .conflict(let existing):
                conflicts.append("\(folder.url.relativePath) holds results of another spec (id \(existing), now \(run.id))")
            case .unreadable(let why):
                conflicts.append(why)
            }
        }
        guard conflicts.isEmpty else { throw .conflicts(conflicts) }
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
        var summary = QueueAddSummary(total: sweep.runs.count)
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
