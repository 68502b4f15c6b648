import PopCode

/// The content of a run's `metrics.json` (schema `popcode.metrics/2`; files of `/1` load too:
/// their missing fields are nil or empty). Since `/2` the run's arrays are `.npy` files beside
/// it, today in one `arrays.npz` (`RunArtifacts.arrayFiles`); `/1` folders keep them in
/// `artifacts.json`, still read.
///
/// Completed runs carry `final` and `history`; failed runs carry `error` and whatever
/// history they had. Everything but `timing` and `environment` depends only on the spec and
/// the numerics revision (`numerics_revision`, added under `/2`).
public struct MetricsDocument: Sendable, Hashable, Codable {
    public static let schemaName = "popcode.metrics/2"

    /// The revision a file without `numerics_revision` was computed by: 1, the arithmetic
    /// popcode had when revisions began to be recorded (see `NumericsRevision`).
    public static let unrecordedNumericsRevision = 1

    public enum Status: String, Sendable, Hashable, Codable {
        case completed, failed
    }

    public struct Timing: Sendable, Hashable, Codable {
        public var trainSeconds: Double
        public var startedAt: String?
        public var finishedAt: String?

        public init(trainSeconds: Double, startedAt: String? = nil, finishedAt: String? = nil) {
            self.trainSeconds = trainSeconds
            self.startedAt = startedAt
            self.finishedAt = finishedAt
        }

        enum CodingKeys: String, CodingKey {
            case trainSeconds = "train_seconds"
            case startedAt = "started_at"
            case finishedAt = "finished_at"
        }
    }

    public struct Failure: Sendable, Hashable, Codable {
        public var reason: String
        /// The epoch at which the run failed, when known.
        public var epoch: Int?

        public init(reason: String, epoch: Int? = nil) {
            self.reason = reason
            self.epoch = epoch
        }
    }

    public var schema: String
    public var status: Status
    /// The stable hash of the resolved spec (see `RunSpec.id`).
    public var id: String
    /// The experiment and the run's readable name in it, when run from a sweep.
    public var experiment: String?
    public var label: String?
    public var spec: RunSpec
    public var final: FinalMetrics?
    public var history: History?
    public var error: Failure?
    public var timing: Timing
    public var environment: RunEnvironment
    /// The numerics revision that computed the results, as written (nil in files written
    /// before it was recorded); `numericsRevision` reads it.
    public var recordedNumericsRevision: Int?

    /// The numerics revision that computed the results (`unrecordedNumericsRevision` when
    /// the file does not say).
    public var numericsRevision: Int { recordedNumericsRevision ?? Self.unrecordedNumericsRevision }

    enum CodingKeys: String, CodingKey {
        case schema, status, id, experiment, label, spec, final, history, error, timing, environment
        case recordedNumericsRevision = "numerics_revision"
    }

    /// A document of this build's numerics revision (`numericsRevision` overrides it, for tests
    /// and tools that rewrite old documents).
    public init(status: Status, id: String, experiment: String?, label: String?, spec: RunSpec,
                final: FinalMetrics?, history: History?, error: Failure?, timing: Timing,
                environment: RunEnvironment, numericsRevision: Int? = NumericsRevision.current) {
        schema = Self.schemaName
        recordedNumericsRevision = numericsRevision
        self.status = status
        self.id = id
        self.experiment = experiment
        self.label = label
        self.spec = spec
        self.final = final
        self.history = history
        self.error = error
        self.timing = timing
        self.environment = environment
    }

    /// The document of a completed run.
    public static func completed(_ result: RunResult, id: String, experiment: String? = nil,
                                 label: String? = nil, timing: Timing,
                                 environment: RunEnvironment) -> MetricsDocument {
        MetricsDocument(status: .completed, id: id, experiment: experiment, label: label,
                        spec: result.spec, final: result.final, history: result.history,
                        error: nil, timing: timing, environment: environment)
    }

    /// A copy without anything that depends on when or where the run happened, for
    /// comparing two runs of the same spec.
    public var withoutTimings: MetricsDocument {
        var copy = self
        copy.timing = Timing(trainSeconds: 0)
        copy.environment = RunEnvironment(popcodeVersion: "", gitCommit: nil, swiftVersion: "",
                                          blas: "", host: "", cpu: nil, cores: 0)
        return copy
    }
}
