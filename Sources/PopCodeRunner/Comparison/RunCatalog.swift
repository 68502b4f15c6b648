import Foundation
import PopCode

/// A run found on disk: its metrics and where they are.
public struct RunRecord: Sendable, Hashable {
    public var folder: URL
    /// The experiment folder's name (`runs/<experiment>/…`).
    public var experiment: String
    /// The run folder's name, e.g. `seed=0,sigma=0.18`.
    public var label: String
    public var metrics: MetricsDocument
}

/// Finds the runs under experiment folders.
public enum RunCatalog {
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The runs of each folder, in order: a folder holding `metrics.json` is one run; any
    /// other folder is an experiment whose runs are its subfolders, in the order of its
    /// `experiment.json` when present, else by name. Unreadable metrics are an error.
    public static func load(_ folders: [URL]) throws(LoadError) -> [RunRecord] {
        var records: [RunRecord] = []
        for folder in folders {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory),
                  isDirectory.boolValue else {
                throw LoadError(description: "\(folder.relativePath): no such folder")
            }
            let direct = RunFolder(folder)
            if FileManager.default.fileExists(atPath: direct.metricsURL.path) {
                records.append(try record(direct, experiment: folder.deletingLastPathComponent().lastPathComponent))
                continue
            }
            let found = runFolders(in: folder)
            guard !found.isEmpty else {
                throw LoadError(description: "\(folder.relativePath): no runs (no */metrics.json)")
            }
            // Decoding metrics.json is most of what a comparison of thousands of runs costs.
            let experiment = folder.lastPathComponent
            for result in found.concurrentMap({ run in Result { () throws(LoadError) in try record(run, experiment: experiment) } }) {
                records.append(try result.get())
            }
        }
        return records
    }

    /// The search state recorded in the `experiment.json` of `folders` when they are one
    /// experiment folder of a halving search (for the comparison's search section).
    public static func search(of folders: [URL]) -> SearchState? {
        guard folders.count == 1 else { return nil }
        return ExperimentRecord.outline(in: folders[0])?.search
    }

    /// Subfolders holding a metrics.json, ordered by the experiment's plan when known.
    static func runFolders(in experiment: URL) -> [RunFolder] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: experiment.path)) ?? [])
            .filter { !$0.hasPrefix(".") }
            .filter { FileManager.default.fileExists(atPath: experiment.appendingPathComponent($0).appendingPathComponent("metrics.json").path) }
        let planned = ExperimentRecord.plannedLabels(in: experiment) ?? []
        let rank = Dictionary(planned.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let ordered = names.sorted {
            switch (rank[$0], rank[$1]) {
            case let (a?, b?): a < b
            case (_?, nil): true
            case (nil, _?): false
            case (nil, nil): $0.localizedStandardCompare($1) == .orderedAscending
            }
        }
        return ordered.map { RunFolder(experiment.appendingPathComponent($0)) }
    }

    private static func record(_ folder: RunFolder, experiment: String) throws(LoadError) -> RunRecord {
        do {
            guard let metrics = try folder.metrics() else {
                throw LoadError(description: "\(folder.metricsURL.relativePath): missing")
            }
            return RunRecord(folder: folder.url, experiment: experiment,
                             label: metrics.label ?? folder.url.lastPathComponent, metrics: metrics)
        } catch let error as RunFolder.ReadError {
            throw LoadError(description: error.description)
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError(description: "\(folder.metricsURL.relativePath): \(error)")
        }
    }
}
