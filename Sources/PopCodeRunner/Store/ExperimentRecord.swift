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

    /// A record without its runs: what the report and the comparison need of a large sweep's
    /// record, read without decoding every run.
    public struct Outline: Sendable, Decodable {
        public var experiment: ExperimentSpec
        public var search: SearchState?
        /// Whether the record is a search's (sampled configurations or halving), whose plots
        /// need the whole record.
        public var describesSearch: Bool { experiment.method != .grid || search != nil }
    }

    /// `folder`'s record without its runs, nil without a readable record.
    public static func outline(in folder: URL) -> Outline? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent(fileName)) else { return nil }
        return try? JSONCoding.decoder.decode(Outline.self, from: data)
    }

    /// The labels of the planned runs in `folder`'s record, in plan order, nil without a
    /// readable record: the order of run folders, read without decoding every run's spec.
    public static func plannedLabels(in folder: URL) -> [String]? {
        struct Plan: Decodable {
            struct Run: Decodable { let label: String }
            let runs: [Run]
        }
        guard let data = try? Data(contentsOf: folder.appendingPathComponent(fileName)),
              let plan = try? JSONCoding.decoder.decode(Plan.self, from: data) else { return nil }
        return plan.runs.map(\.label)
    }

    public static func read(from folder: URL) throws -> ExperimentRecord {
        let data = try Data(contentsOf: folder.appendingPathComponent(fileName))
        return try JSONCoding.decoder.decode(ExperimentRecord.self, from: data)
    }

    /// Writes the record atomically: `JSONCoding.encoder`'s text (pretty, sorted keys) for
    /// everything but the runs, which follow one per line in compact form
    /// (`CompactJSON.plannedRun`), written as they are made, so that a sweep of 100,000 runs
    /// is written in a fraction of a second without the whole document in memory.
    /// `JSONCoding.decoder` reads it like any JSON.
    public func write(to folder: URL) throws(AtomicFile.WriteError) {
        let file = folder.appendingPathComponent(Self.fileName)
        var header = self
        header.runs = []
        let text: String
        do { text = String(decoding: try JSONCoding.encoder.encode(header), as: UTF8.self) } catch {
            throw AtomicFile.WriteError(path: file.path, reason: "cannot encode: \(error)")
        }
        // The empty runs array of the top-level object (its keys are indented by two spaces).
        guard let key = text.range(of: "\n  \"runs\" : ["),
              let close = text[key.upperBound...].firstIndex(of: "]"),
              text[key.upperBound..<close].allSatisfy(\.isWhitespace) else {
            preconditionFailure("ExperimentRecord: no top-level runs array in the encoder's text")
        }
        try AtomicFile.write(to: file) { emit throws(AtomicFile.WriteError) in
            var chunk = Data(text[..<key.upperBound].utf8)
            for (i, run) in runs.enumerated() {
                chunk.append(contentsOf: (i == 0 ? "\n    " : ",\n    ").utf8)
                chunk.append(contentsOf: CompactJSON.plannedRun(run).utf8)
                if chunk.count >= 1 << 20 {
                    try emit(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            chunk.append(contentsOf: ((runs.isEmpty ? "" : "\n  ") + text[close...] + "\n").utf8)
            try emit(chunk)
        }
    }
}
