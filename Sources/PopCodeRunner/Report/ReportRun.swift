import Foundation
import PopCode

/// One run folder as the report sees it: its metrics when they could be read, or why not.
public struct ReportRun: Sendable {
    public enum Status: String, Sendable {
        case completed, failed
        /// metrics.json exists but cannot be read.
        case unreadable
        /// No metrics.json yet (a checkpoint or artifacts only): still running or interrupted.
        case unfinished
    }

    public let folder: RunFolder
    /// The experiment folder's name.
    public let experiment: String
    /// The run's name: its label in metrics.json, else its folder name.
    public let name: String
    public let metrics: MetricsDocument?
    /// Why metrics.json could not be read, for unreadable runs.
    public let readError: String?

    public init(folder: RunFolder, experiment: String, name: String, metrics: MetricsDocument?,
                readError: String? = nil) {
        self.folder = folder
        self.experiment = experiment
        self.name = name
        self.metrics = metrics
        self.readError = readError
    }

    public var status: Status {
        switch metrics?.status {
        case .completed?: .completed
        case .failed?: .failed
        case nil: readError == nil ? .unfinished : .unreadable
        }
    }

    /// Why the run has no metrics: nil for runs that have them.
    public var problem: String? {
        guard metrics == nil else { return nil }
        return readError.map { "unreadable metrics.json: \($0)" } ?? "unfinished: no metrics.json yet"
    }

    public var spec: RunSpec? { metrics?.spec }
    public var final: FinalMetrics? { metrics?.status == .completed ? metrics?.final : nil }

    /// `experiment/name`, unique across the report.
    public var qualifiedName: String { "\(experiment)/\(name)" }
}
