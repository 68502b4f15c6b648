import Foundation
import PopCode

/// An expanded experiment bound to its folder `runs/<name>/`: which runs exist, which
/// are done, and where each one's files go.
public struct Sweep: Sendable {
    public let experiment: ExperimentSpec
    public let runs: [PlannedRun]
    public let folder: URL

    public init(experiment: ExperimentSpec, runsDirectory: URL) {
        self.experiment = experiment
        runs = experiment.expand()
        folder = runsDirectory.appendingPathComponent(experiment.name)
    }

    /// Where a run's files are.
    public func runFolder(_ run: PlannedRun) -> RunFolder {
        RunFolder(folder.appendingPathComponent(run.label))
    }

    /// What is on disk for a run.
    public enum RunState: Sendable, Hashable {
        case completed(MetricsDocument)
        case failed(MetricsDocument)
        /// Interrupted; resumes from this epoch.
        case resumable(epoch: Int)
        case pending
        /// The run's folder holds results of a different spec.
        case conflict(existingID: String)
        /// The run's metrics.json exists but cannot be read.
        case unreadable(String)
    }

    public func state(of run: PlannedRun) -> RunState {
        let folder = runFolder(run)
        do {
            if let metrics = try folder.metrics() {
                guard metrics.id == run.id else { return .conflict(existingID: metrics.id) }
                return metrics.status == .completed ? .completed(metrics) : .failed(metrics)
            }
        } catch {
            return .unreadable(error.description)
        }
        if let checkpoint = try? folder.checkpoint(), checkpoint.id == run.id {
            return .resumable(epoch: checkpoint.state.epochsDone)
        }
        return .pending
    }

    public func request(for run: PlannedRun, checkpointEvery: Int) -> RunRequest {
        RunRequest(spec: run.spec, id: run.id, experiment: experiment.name, label: run.label,
                   folder: runFolder(run), checkpointEvery: checkpointEvery)
    }

    /// Writes `experiment.json` (the resolved experiment and its runs) and
    /// `experiment.yaml` (an experiment file that reproduces the sweep).
    public func writeRecord(source: String?, overrides: [String]) throws(AtomicFile.WriteError) {
        try ExperimentRecord(name: experiment.name, source: source, overrides: overrides,
                             experiment: experiment, runs: runs).write(to: folder)
        try AtomicFile.write(Data(experiment.yamlText.utf8), to: folder.appendingPathComponent("experiment.yaml"))
    }

    /// The records of the planned runs that have metrics, in plan order.
    public func records(of subset: [PlannedRun]? = nil) -> [RunRecord] {
        (subset ?? runs).compactMap { run in
            guard let metrics = try? runFolder(run).metrics(), metrics.id == run.id else { return nil }
            return RunRecord(folder: runFolder(run).url, experiment: experiment.name, label: run.label,
                             metrics: metrics)
        }
    }

    /// Writes `comparison.md`, `comparison.csv` and `comparison.json` for `comparison`.
    public func writeComparison(_ comparison: Comparison) throws(AtomicFile.WriteError) {
        for (format, ext) in [(ComparisonRenderer.Format.markdown, "md"), (.csv, "csv"), (.json, "json")] {
            let text = ComparisonRenderer.render(comparison, as: format)
            try AtomicFile.write(Data(text.utf8), to: folder.appendingPathComponent("comparison.\(ext)"))
        }
    }
}
