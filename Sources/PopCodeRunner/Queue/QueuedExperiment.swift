import Foundation

/// An experiment the queue holds runs of, as last added: what its comparison is made of.
public struct QueuedExperiment: Sendable, Hashable {
    /// `runs/<name>` (absolute).
    public var folder: URL
    public var spec: ExperimentSpec
    /// The experiment file and the `--set` overrides it was added with.
    public var source: String?
    public var overrides: [String]

    public init(folder: URL, spec: ExperimentSpec, source: String?, overrides: [String]) {
        self.folder = folder
        self.spec = spec
        self.source = source
        self.overrides = overrides
    }

    public var name: String { spec.name }

    /// The experiment bound to its folder, for writing its record and comparison.
    public var sweep: Sweep { Sweep(experiment: spec, runsDirectory: folder.deletingLastPathComponent()) }
}
