import Foundation
import PopCode

/// Finds the runs of experiment folders on disk: each folder's subfolders holding a
/// `metrics.json` (or a checkpoint or artifacts of an unfinished run), in the sweep's order
/// when `experiment.json` gives it, else by name; or the folder itself when it is a run.
/// Nothing is dropped: a run whose metrics cannot be read is listed with the reason
/// (where `RunCatalog`, for the text tables, stops).
public enum RunFolderScan {
    public static func runs(in folders: [URL]) throws(ReportError) -> [ReportRun] {
        var runs: [ReportRun] = []
        for folder in folders {
            runs += try self.runs(in: folder)
        }
        return runs
    }

    static func runs(in folder: URL) throws(ReportError) -> [ReportRun] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw .notAFolder(path: folder.relativePath)
        }
        if isRun(folder) {
            return [run(at: folder, experiment: folder.deletingLastPathComponent().lastPathComponent)]
        }
        let children = subfolders(of: folder)
        let experiment = folder.lastPathComponent
        let runs = inPlanOrder(children.filter(isRun), experiment: folder)
            .concurrentMap { run(at: $0, experiment: experiment) }
        guard !runs.isEmpty else {
            let suggestions = children.filter { !subfolders(of: $0).filter(isRun).isEmpty }.map(\.relativePath)
            throw .noRuns(path: folder.relativePath, suggestions: suggestions)
        }
        return runs
    }

    /// Subfolders in natural order (`seed=2` before `seed=10`), hidden ones skipped.
    private static func subfolders(of folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }
            .sorted { $0.compare($1, options: [.numeric]) == .orderedAscending }
            .map { folder.appendingPathComponent($0) }
            .filter { url in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
            }
    }

    /// `folders` in the order of the sweep's plan (`experiment.json`), when there is one;
    /// folders it does not name keep their order after the planned ones.
    private static func inPlanOrder(_ folders: [URL], experiment: URL) -> [URL] {
        guard let plan = ExperimentRecord.plannedLabels(in: experiment) else { return folders }
        let rank = Dictionary(plan.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return folders.enumerated().sorted { a, b in
            (rank[a.element.lastPathComponent] ?? Int.max, a.offset) < (rank[b.element.lastPathComponent] ?? Int.max, b.offset)
        }.map(\.element)
    }

    private static func isRun(_ folder: URL) -> Bool {
        RunFolder(folder).markerURLs.contains { FileManager.default.fileExists(atPath: $0.path) }
    }

    private static func run(at url: URL, experiment: String) -> ReportRun {
        let folder = RunFolder(url)
        do {
            let metrics = try folder.metrics()
            return ReportRun(folder: folder, experiment: experiment, name: metrics?.label ?? url.lastPathComponent,
                             metrics: metrics)
        } catch {
            return ReportRun(folder: folder, experiment: experiment, name: url.lastPathComponent, metrics: nil,
                             readError: error.reason)
        }
    }
}
