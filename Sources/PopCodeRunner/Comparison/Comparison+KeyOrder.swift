import Foundation

extension Comparison {
    /// The order of the spec keys as the experiment files name them, read from the
    /// experiment records (`experiment.json`'s parameters, in file order) of the folders that
    /// hold `records`' runs, experiment by experiment; nil when none has a readable record
    /// (folders written without one, or records made in memory).
    static func recordedKeyOrder(_ records: [RunRecord]) -> [String]? {
        var folders: [URL] = []
        var seen: Set<String> = []
        for record in records {
            let folder = record.folder.deletingLastPathComponent()
            if seen.insert(folder.path).inserted { folders.append(folder) }
        }
        var order: [String] = []
        var found = false
        for folder in folders {
            guard let outline = ExperimentRecord.outline(in: folder) else { continue }
            found = true
            for parameter in outline.experiment.parameters where !order.contains(parameter.key.rawValue) {
                order.append(parameter.key.rawValue)
            }
        }
        return found ? order : nil
    }

    /// The order of the keys named in `records`' labels (`sigma=0.12,lr=0.1,seed=0`): what
    /// folders without an experiment record still give.
    static func labelKeyOrder(_ records: [RunRecord]) -> [String] {
        var order: [String] = []
        for record in records {
            for part in record.label.split(separator: ",") {
                guard let key = part.split(separator: "=").first.map(String.init), !order.contains(key) else { continue }
                order.append(key)
            }
        }
        return order
    }
}
