import Foundation
import PopCode

/// `runs/<experiment>/experiment.json`: the resolved experiment and its planned runs, so
/// a sweep can be reproduced and its runs listed in order.
public struct ExperimentRecord: Sendable, Hashable, Codable {
    public var schema = "popcode.experiment/1"
    public var name: String
    /// The experiment file and the `--set` overrides it was run with.
    public var source: String?
    public var overrides: [String]
    public var experiment: ExperimentSpec
    /// The planned runs; for a halving search, every run its state has started so far.
    public var runs: [PlannedRun]
    /// A halving search's state: its rounds, every decision with its inputs, the winner.
    public var search: SearchState?

    public init(name: String, source: String?, overrides: [String], experiment: ExperimentSpec,
                runs: [PlannedRun], search: SearchState? = nil) {
        self.name = name
        self.source = source
        self.overrides = overrides
        self.experiment = experiment
        self.runs = runs
        self.search = search
    }

    public static let fileName = "experiment.json"

    public static func read(from folder: URL) throws -> ExperimentRecord {
        let data = try Data(contentsOf: folder.appendingPathComponent(fileName))
        return try JSONCoding.decoder.decode(ExperimentRecord.self, from: data)
    }

    public func write(to folder: URL) throws(AtomicFile.WriteError) {
        try AtomicFile.writeJSON(self, to: folder.appendingPathComponent(Self.fileName))
    }
}
