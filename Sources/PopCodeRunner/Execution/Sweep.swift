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

    /// The names of the subfolders the experiment folder holds now (empty when it does not
    /// exist): the runs that may hold something.
    public func presentRunFolders() -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
    }

    /// What is on disk for `run`.
    public func state(of run: PlannedRun) -> RunState {
        runFolder(run).state(expecting: run.id)
    }

    /// The request that trains `run` into its folder (`replacing`: `--force`).
    public func request(for run: PlannedRun, checkpoints: CheckpointPolicy, replacing: Bool = false,
                        durability: ResultDurability = .eachRun) -> RunRequest {
        RunRequest(spec: run.spec, id: run.id, experiment: experiment.name, label: run.label,
                   folder: runFolder(run), checkpoints: checkpoints, replacing: replacing,
                   durability: durability)
    }

    /// The request of a run of a halving search: it continues from the run it is promoted
    /// from and keeps its final state when a later round may promote it.
    public func request(for run: SearchRun, checkpoints: CheckpointPolicy, durability: ResultDurability = .eachRun) -> RunRequest {
        var request = request(for: run.run, checkpoints: checkpoints, durability: durability)
        request.startsFrom = run.startsFrom.map { RunFolder(folder.appendingPathComponent($0)) }
        request.keepsFinalState = run.keepsFinalState
        return request
    }

    /// The halving search's state given the results on disk (nil for other experiments):
    /// `HalvingSearch.state(of:observe:)` with each run's metrics.json as its observation.
    public func searchState() -> SearchState? {
        guard let halving = experiment.halving else { return nil }
        return HalvingSearch.state(of: experiment) { run in
            // Results of other numerics are not observed: the run is still to do (and its
            // folder a conflict for `RunPolicy`).
            guard let metrics = try? runFolder(run).metrics(), metrics.id == run.id,
                  metrics.numericsRevision == NumericsRevision.current else { return nil }
            guard metrics.status == .completed, let value = halving.metric.value(in: metrics) else { return .failed }
            return .completed(value)
        }
    }

    /// Removes the final states the search no longer needs (`SearchState.spentFinalStates`).
    /// `popcode run` and the queue workers call it whenever they have a new state, so a
    /// search leaves the same files however it was run.
    public func removeSpentFinalStates(_ state: SearchState) {
        for run in state.spentFinalStates { runFolder(run.run).removeFinalState() }
    }

    /// The runs there are: the planned runs, or for a halving search those its state has
    /// started (`state`, or the state on disk).
    public func knownRuns(_ state: SearchState? = nil) -> [PlannedRun] {
        guard experiment.halving != nil else { return runs }
        return (state ?? searchState())?.runs.map(\.run) ?? runs
    }

    /// Writes `experiment.json` (the resolved experiment and its runs, and a halving
    /// search's state) and `experiment.yaml` (an experiment file that reproduces the sweep).
    public func writeRecord(source: String?, overrides: [String],
                            search: SearchState? = nil) throws(AtomicFile.WriteError) {
        let search = search ?? searchState()
        try ExperimentRecord(name: experiment.name, source: source, overrides: overrides,
                             experiment: experiment, runs: knownRuns(search), search: search).write(to: folder)
        try AtomicFile.write(Data(experiment.yamlText.utf8), to: folder.appendingPathComponent("experiment.yaml"))
    }

    /// The records of the planned runs (every started run of a halving search) that have
    /// metrics, in plan order.
    public func records(of subset: [PlannedRun]? = nil) -> [RunRecord] {
        (subset ?? knownRuns()).compactMap { run in
            guard let metrics = try? runFolder(run).metrics(), metrics.id == run.id else { return nil }
            return RunRecord(folder: runFolder(run).url, experiment: experiment.name, label: run.label,
                             metrics: metrics)
        }
    }

}
