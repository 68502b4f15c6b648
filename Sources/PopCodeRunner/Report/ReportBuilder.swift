import PopCodeSVG
import Foundation
import PopCode

/// The HTML report of one or more experiment folders: a single self-contained page (inline
/// SVG and CSS, no scripts, no network) with the comparison tables, training curves, final
/// metrics by configuration, and pictures of one run's implicit space.
///
///     let page = try ReportBuilder.html(for: [URL(fileURLWithPath: "runs/sigma")])
///     try ReportBuilder.write(for: [URL(fileURLWithPath: "runs/sigma")])   // runs/sigma/report.html
///
/// Every run folder is listed: failed, unfinished and unreadable runs appear with their
/// reason. The run shown in detail is the completed one with the lowest test MSE unless
/// `run` names another (by folder name, `experiment/name`, or id).
public enum ReportBuilder {
    /// The report's file name in an experiment folder.
    public static let fileName = "report.html"

    /// The page for the runs in `folders` (each an experiment folder of run folders, or a
    /// run folder itself).
    public static func html(for folders: [URL], run: String? = nil) throws(ReportError) -> String {
        precondition(!folders.isEmpty, "ReportBuilder.html needs a folder")
        return try html(for: ReportSweep(runs: RunFolderScan.runs(in: folders)), folders: folders, run: run)
    }

    /// Writes the page for `folders` atomically to `file` (default: `report.html` in the
    /// first folder) and returns where it went.
    @discardableResult
    public static func write(for folders: [URL], run: String? = nil, to file: URL? = nil) throws(ReportError) -> URL {
        precondition(!folders.isEmpty, "ReportBuilder.write needs a folder")
        let page = try html(for: folders, run: run)
        let destination = file ?? folders[0].appendingPathComponent(fileName)
        do {
            try AtomicFile.write(Data(page.utf8), to: destination)
        } catch {
            throw .cannotWrite(error)
        }
        return destination
    }

    static func html(for sweep: ReportSweep, folders: [URL], run: String?) throws(ReportError) -> String {
        let detail = try sweep.detailRun(run)
        let title = "popcode report: " + sweep.experiments.joined(separator: ", ")
        // A search's plots need its whole record; a grid's record (every run, perhaps 100,000)
        // is not read whole for nothing.
        let searchRecord = folders.count == 1 && ExperimentRecord.outline(in: folders[0])?.describesSearch == true
            ? try? ExperimentRecord.read(from: folders[0]) : nil
        let search = ReportSearch.section(folders: folders)
        let space = ReportSearchSpace.section(searchRecord, runs: sweep.runs)
        let searchLinks = (search.isEmpty ? [] : [("search", "Search")]) + (space.isEmpty ? [] : [("search-space", "Search space")])
        // The grouped table and the plots first; the table of every run, long for a large
        // sweep, after them and folded.
        let body = HTML.element("main", [
            header(sweep, title: title, folders: folders, searchLinks: searchLinks),
            HTML.element("section", id: "groups", [
                HTML.text("h2", "Grouped over seeds"),
                HTML.text("p", "Runs that differ only in their seed are repeats of one configuration: "
                          + "mean ± sample sd over the completed ones.", class: "sub"),
                ReportTables.configurations(sweep),
            ] + contrasts(sweep)),
        ] + search + space + [
            HTML.element("section", id: "curves", [HTML.text("h2", "Training curves")] + ReportCurves.section(sweep)),
            HTML.element("section", id: "finals",
                         [HTML.text("h2", "Final metrics by configuration")] + ReportFinals.section(sweep)),
            HTML.element("section", id: "runs", [HTML.text("h2", "Runs")] + ReportTables.runsSection(sweep, detail: detail)),
            HTML.element("section", id: "run", ReportRunDetail.section(sweep, detail: detail, chosenByUser: run != nil)),
            footer(folders),
        ])
        return HTML.page(title: title, style: .trusted(ReportStyle.css), body: [body])
    }

    private static func contrasts(_ sweep: ReportSweep) -> [Markup] {
        guard let table = ReportTables.contrasts(sweep) else { return [] }
        return [HTML.text("h3", "Differences"),
                HTML.text("p", "Over the completed runs, each configuration (B) against the first (A), or one run against "
                          + "the other when there are two: the difference of the means and, where both "
                          + "have two or more completed seeds, the two-sided Welch t-test p-value. A small p says the "
                          + "difference is larger than the seed-to-seed spread explains.", class: "sub"),
                table]
    }

    private static func header(_ sweep: ReportSweep, title: String, folders: [URL],
                               searchLinks: [(String, String)]) -> Markup {
        var counts: [String] = []
        for status in [ReportRun.Status.completed, .failed, .unfinished, .unreadable] {
            let n = sweep.runs.filter { $0.status == status }.count
            if n > 0 { counts.append("\(n) \(status.rawValue)") }
        }
        let configurations = sweep.configurations.count
        let summary = "\(sweep.runs.count) run\(sweep.runs.count == 1 ? "" : "s") in \(configurations) "
            + "configuration\(configurations == 1 ? "" : "s"): " + counts.joined(separator: ", ")
        let links = [("groups", "Grouped over seeds")] + searchLinks
            + [("curves", "Training curves"), ("finals", "Final metrics"), ("runs", "Runs"), ("run", "Run details")]
        return HTML.element("header", [
            HTML.text("h1", title),
            HTML.text("p", summary, class: "sub"),
        ] + sweep.comparison.warnings.map { HTML.text("p", $0, class: "missing") } + [
            HTML.element("nav", links.map { HTML.element("a", attributes: [.init("href", "#\($0.0)")], [.text($0.1)]) }),
        ])
    }

    private static func footer(_ folders: [URL]) -> Markup {
        HTML.element("footer", [
            HTML.text("p", "Made by popcode \(RunEnvironment.popcodeVersion) from "
                      + folders.map(\.relativePath).joined(separator: ", ") + ". "
                      + "Colours: Okabe–Ito for configurations, viridis for x and y, twilight (cyclic) for θ, "
                      + "ColorBrewer RdBu for pixel values; all colour-blind safe."),
        ])
    }
}
