import Foundation

/// The files that sum up an experiment's finished runs, beside them in its folder:
/// `comparison.md`, `comparison.csv`, `comparison.json` and `report.html`. Written by
/// `popcode run`, the queue worker and the Slurm follow-up job, all through `write`.
public enum ExperimentSummaries {
    public enum WriteError: Error, CustomStringConvertible, Sendable {
        /// A comparison file could not be written (nor was the report).
        case comparison(AtomicFile.WriteError)
        /// The comparison files were written; the report was not.
        case report(ReportError)

        public var description: String {
            switch self {
            case .comparison(let error): error.description
            case .report(let error): "the report was not written: \(error)"
            }
        }
    }

    /// Writes the summaries of `sweep`: its runs' records, and its search's state if it is a
    /// halving search, as on disk now. Returns the comparison it wrote (nil: no run has results).
    @discardableResult
    public static func write(_ sweep: Sweep) throws(WriteError) -> Comparison? {
        // The records (every run's metrics, histories included) live only while the comparison
        // is made, not while the report reads the runs again: 10,000 runs' worth is 100 MB.
        let comparison = Comparison(sweep.records(), search: sweep.searchState())
        guard !comparison.rows.isEmpty else { return nil }
        try write(comparison, to: sweep.folder)
        return comparison
    }

    /// Writes the comparison of `records` (with `search`'s rounds) and the report of
    /// `folder`'s runs into `folder`, and returns that comparison. Nothing is written when
    /// `records` is empty (nil).
    @discardableResult
    public static func write(_ records: [RunRecord], search: SearchState? = nil, to folder: URL) throws(WriteError) -> Comparison? {
        guard !records.isEmpty else { return nil }
        let comparison = Comparison(records, search: search)
        try write(comparison, to: folder)
        return comparison
    }

    /// Writes `comparison` as the comparison files and the report of `folder`'s runs.
    private static func write(_ comparison: Comparison, to folder: URL) throws(WriteError) {
        do {
            for (format, ext) in [(ComparisonRenderer.Format.markdown, "md"), (.csv, "csv"), (.json, "json")] {
                let text = ComparisonRenderer.render(comparison, as: format)
                try AtomicFile.write(Data(text.utf8), to: folder.appendingPathComponent("comparison.\(ext)"))
            }
        } catch {
            throw .comparison(error)
        }
        do {
            try ReportBuilder.write(for: [folder])
        } catch {
            throw .report(error)
        }
    }
}
