import Foundation
import PopCode

/// One run's folder: `metrics.json` (the result, the source of truth), the arrays as
/// `.npy` files (see `RunArtifacts.arrayFiles`; folders written before them hold one
/// `artifacts.json` instead, still read) and, while the run is unfinished, `checkpoint.json`.
public struct RunFolder: Sendable, Hashable {
    public let url: URL

    public init(_ url: URL) { self.url = url }

    public var metricsURL: URL { url.appendingPathComponent("metrics.json") }
    public var artifactsURL: URL { url.appendingPathComponent("artifacts.json") }
    public var checkpointURL: URL { url.appendingPathComponent("checkpoint.json") }
    /// The training state at the end of a completed run that a later round of a halving
    /// over epochs continues from.
    public var finalStateURL: URL { url.appendingPathComponent("final-state.json") }
    /// The array whose presence marks a folder written with `.npy` arrays.
    public var implicitArrayURL: URL { url.appendingPathComponent("test_implicit.npy") }

    /// The files any one of which makes a folder a run (finished, unfinished or damaged):
    /// its metrics, a checkpoint, or its arrays.
    public var markerURLs: [URL] { [metricsURL, checkpointURL, artifactsURL, implicitArrayURL] }

    /// A file that exists but cannot be read as what it should be.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The run's metrics, or nil when it has none yet.
    public func metrics() throws(ReadError) -> MetricsDocument? {
        try read(MetricsDocument.self, at: metricsURL)
    }

    /// The run's arrays: from its `.npy` files, or from the `artifacts.json` of a folder
    /// written before them; nil when it has neither.
    public func artifacts() throws(ReadError) -> RunArtifacts? {
        guard FileManager.default.fileExists(atPath: implicitArrayURL.path) else {
            return try read(RunArtifacts.self, at: artifactsURL)
        }
        var arrays: [String: NPYFile] = [:]
        for name in RunArtifacts.arrayFileNames {
            let file = url.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw ReadError(path: file.path, reason: "missing or unreadable")
            }
            do { arrays[name] = try NPYFile(data: data) } catch {
                throw ReadError(path: file.path, reason: "unreadable (\(error.reason))")
            }
        }
        let id = (try? metrics())?.id ?? ""
        do { return try RunArtifacts(id: id, arrays: arrays) } catch {
            throw ReadError(path: url.path, reason: error.reason)
        }
    }

    /// The saved training state, or nil when there is none.
    public func checkpoint() throws(ReadError) -> Checkpoint? {
        try read(Checkpoint.self, at: checkpointURL)
    }

    /// What the folder holds for the run with spec id `id`. Completed results count as
    /// completed only when this build's numerics computed them (`NumericsRevision`).
    public func state(expecting id: String) -> RunState {
        do {
            if let metrics = try metrics() {
                guard metrics.id == id else { return .conflict(existingID: metrics.id) }
                guard metrics.status == .completed else { return .failed(metrics) }
                return metrics.numericsRevision == NumericsRevision.current ? .completed(metrics) : .otherNumerics(metrics)
            }
        } catch {
            return .unreadable(error.description)
        }
        if let checkpoint = try? checkpoint(), checkpoint.id == id {
            return .resumable(epoch: checkpoint.state.epochsDone)
        }
        return .pending
    }

    /// Writes `metrics.json` atomically; `durable`: flushed to disk before it returns.
    public func write(_ metrics: MetricsDocument, durable: Bool = true) throws(AtomicFile.WriteError) {
        try AtomicFile.writeJSON(metrics, to: metricsURL, durable: durable)
    }

    /// Writes the arrays as `.npy` files, each atomically (a killed writer leaves no partial
    /// file). They are not flushed one by one: `metrics.json`, written after them, is the
    /// run's durable record, and thirteen flushes would cost more than a tiny run.
    public func write(_ artifacts: RunArtifacts) throws(AtomicFile.WriteError) {
        for (name, file) in artifacts.arrayFiles {
            try AtomicFile.write(file.data, to: url.appendingPathComponent(name), durable: false)
        }
        try? FileManager.default.removeItem(at: artifactsURL)
    }

    /// The final state kept for a promotion, or nil when there is none.
    public func finalState() throws(ReadError) -> Checkpoint? {
        try read(Checkpoint.self, at: finalStateURL)
    }

    public func writeFinalState(_ state: Checkpoint) throws(AtomicFile.WriteError) {
        try AtomicFile.writeJSON(state, to: finalStateURL, encoder: JSONCoding.binaryEncoder)
    }

    public func write(_ checkpoint: Checkpoint) throws(AtomicFile.WriteError) {
        try AtomicFile.writeJSON(checkpoint, to: checkpointURL, encoder: JSONCoding.binaryEncoder)
    }

    /// Removes the final state kept for a promotion (once no promotion needs it).
    public func removeFinalState() {
        try? FileManager.default.removeItem(at: finalStateURL)
    }

    public func removeCheckpoint() {
        try? FileManager.default.removeItem(at: checkpointURL)
    }

    /// Removes the run's results (for `--force`).
    public func removeResults() {
        let arrays = RunArtifacts.arrayFileNames.map { url.appendingPathComponent($0) }
        for file in [metricsURL, artifactsURL, checkpointURL, finalStateURL] + arrays {
            try? FileManager.default.removeItem(at: file)
        }
    }

    /// The file decoded, or nil when it does not exist or was lost before it reached the
    /// disk: a file written without a flush (`ResultDurability.deferred`) and caught by a
    /// system crash comes back empty or zero-filled, and holds nothing, so it counts as
    /// missing (the run is trained again) rather than as a damaged result in the way.
    private func read<T: Decodable>(_ type: T.Type, at file: URL) throws(ReadError) -> T? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        var data = Data()
        do {
            data = try Data(contentsOf: file)
            return try JSONCoding.decoder.decode(T.self, from: data)
        } catch {
            if error is DecodingError, data.allSatisfy({ $0 == 0 }) { return nil }
            throw ReadError(path: file.path, reason: "unreadable (\(Self.describe(error)))")
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.keyNotFound(_, let context),
             DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return (error as NSError).localizedDescription
        }
    }
}

/// A training state on disk, tagged with the run id it belongs to and the numerics revision
/// that computed it (nil in files written before it was recorded: revision 1, see
/// `MetricsDocument.unrecordedNumericsRevision`).
public struct Checkpoint: Sendable, Hashable, Codable {
    public var schema = "popcode.checkpoint/1"
    public var id: String
    public var state: TrainingState
    public var recordedNumericsRevision: Int?

    /// The numerics revision that computed the state.
    public var numericsRevision: Int {
        recordedNumericsRevision ?? MetricsDocument.unrecordedNumericsRevision
    }

    enum CodingKeys: String, CodingKey {
        case schema, id, state
        case recordedNumericsRevision = "numerics_revision"
    }

    public init(id: String, state: TrainingState, numericsRevision: Int? = NumericsRevision.current) {
        self.id = id
        self.state = state
        recordedNumericsRevision = numericsRevision
    }
}
