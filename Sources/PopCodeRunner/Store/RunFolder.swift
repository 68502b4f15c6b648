import Foundation
import PopCode

/// One run's folder: `metrics.json` (the result, the source of truth), the arrays in
/// `arrays.npz` (numpy's zip of `.npy` files, see `RunArtifacts.arrayFiles`) and, while the
/// run is unfinished, `checkpoint.json`. Older folders still read: those of numerics
/// revisions before the archive hold the arrays as separate `.npy` files, and the oldest one
/// `artifacts.json`.
public struct RunFolder: Sendable, Hashable {
    public let url: URL

    public init(_ url: URL) { self.url = url }

    public var metricsURL: URL { url.appendingPathComponent("metrics.json") }
    public var artifactsURL: URL { url.appendingPathComponent("artifacts.json") }
    public var checkpointURL: URL { url.appendingPathComponent("checkpoint.json") }
    /// The training state at the end of a completed run that a later round of a halving
    /// over epochs continues from.
    public var finalStateURL: URL { url.appendingPathComponent("final-state.json") }
    /// The run's arrays: one `.npz` archive.
    public var arraysURL: URL { url.appendingPathComponent("arrays.npz") }
    /// The array whose presence marks a folder written with separate `.npy` files (before
    /// `arrays.npz`).
    public var implicitArrayURL: URL { url.appendingPathComponent("test_implicit.npy") }

    /// The files any one of which makes a folder a run (finished, unfinished or damaged):
    /// its metrics, a checkpoint, or its arrays.
    public var markerURLs: [URL] { [metricsURL, checkpointURL, arraysURL, artifactsURL, implicitArrayURL] }

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

    /// The run's arrays: from `arrays.npz`, from the separate `.npy` files or the
    /// `artifacts.json` of an older folder; nil when it has none of them.
    public func artifacts() throws(ReadError) -> RunArtifacts? {
        var arrays: [String: NPYFile] = [:]
        var source = arraysURL
        if let data = FileManager.default.contents(atPath: arraysURL.path) {
            do { arrays = try NPZFile.arrays(from: data) } catch {
                throw ReadError(path: arraysURL.path, reason: "unreadable (\(error.reason))")
            }
        } else if FileManager.default.fileExists(atPath: implicitArrayURL.path) {
            source = url
            for name in RunArtifacts.arrayFileNames {
                let file = url.appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: file.path) else {
                    throw ReadError(path: file.path, reason: "missing or unreadable")
                }
                do { arrays[name] = try NPYFile(data: data) } catch {
                    throw ReadError(path: file.path, reason: "unreadable (\(error.reason))")
                }
            }
        } else {
            return try read(RunArtifacts.self, at: artifactsURL)
        }
        let id = (try? metrics())?.id ?? ""
        do { return try RunArtifacts(id: id, arrays: arrays) } catch {
            throw ReadError(path: source.path, reason: error.reason)
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
            if let metrics = try metrics() { return RunState(results: metrics, expecting: id) }
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

    /// Writes the arrays as `arrays.npz`, atomically (a killed writer leaves no partial
    /// file), and removes the arrays an older popcode wrote here. Not flushed: `metrics.json`,
    /// written after it, is the run's durable record.
    public func write(_ artifacts: RunArtifacts) throws(AtomicFile.WriteError) {
        let data: Data
        do { data = try NPZFile.data(artifacts.arrayFiles) } catch {
            throw AtomicFile.WriteError(path: arraysURL.path, reason: error.reason)
        }
        try AtomicFile.write(data, to: arraysURL, durable: false)
        removeOlderArrays()
    }

    /// Removes `artifacts.json` and the separate `.npy` files of a folder written before
    /// `arrays.npz` (one failed `unlink` when there are none).
    private func removeOlderArrays() {
        try? FileManager.default.removeItem(at: artifactsURL)
        guard FileManager.default.fileExists(atPath: implicitArrayURL.path) else { return }
        for name in RunArtifacts.arrayFileNames {
            try? FileManager.default.removeItem(at: url.appendingPathComponent(name))
        }
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
        for file in [metricsURL, arraysURL, checkpointURL, finalStateURL] {
            try? FileManager.default.removeItem(at: file)
        }
        removeOlderArrays()
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
