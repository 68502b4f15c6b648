/// The `halving:` block of an experiment file: successive halving over seeds or epochs.
///
///     halving: {resource: seeds, min: 2, max: 8, eta: 2, metric: test_mse, confirm: 3}
///
/// Round `k` (from 0) gives every surviving configuration `min · eta^k` of the resource
/// (capped at `max`); the last round is the first that reaches `max`. After each round but
/// the last, the best `⌈n / eta⌉` of its `n` configurations survive, and the statistical
/// guard keeps any other that is not worse than the round's best at a one-sided Welch
/// `p < alpha`. After the last round the best `confirm` configurations are trained again on
/// `confirm` fresh seeds; the best of them there is the winner. `HalvingSearch` decides.
public struct HalvingSettings: Sendable, Hashable, Codable {
    public enum Resource: String, Sendable, Hashable, Codable, CaseIterable {
        /// Racing: configurations start on `min` seeds and survivors get more seeds.
        case seeds
        /// Configurations start with `min` epochs and survivors continue from their
        /// checkpoints to more epochs.
        case epochs
    }

    public enum Goal: String, Sendable, Hashable, Codable, CaseIterable {
        case minimize, maximize
    }

    public var resource: Resource
    public var min: Int
    public var max: Int
    public var eta: Int
    public var metric: ComparisonMetric
    public var goal: Goal
    /// Significance level of the guard.
    public var alpha: Double
    /// Configurations (and fresh seeds each) of the confirmation round; 0: none.
    public var confirm: Int

    public init(resource: Resource, min: Int, max: Int, eta: Int = 3, metric: ComparisonMetric = .testMSE,
                goal: Goal? = nil, alpha: Double = 0.05, confirm: Int = 0) {
        self.resource = resource
        self.min = min
        self.max = max
        self.eta = eta
        self.metric = metric
        self.goal = goal ?? (metric.largerIsBetter == true ? .maximize : .minimize)
        self.alpha = alpha
        self.confirm = confirm
    }

    /// The resource of each round: `min · eta^k` for `k = 0, 1, …`, the last capped at
    /// `max` (`25, 75, 225` for `min: 25, max: 225, eta: 3`).
    public var schedule: [Int] {
        var amounts = [min]
        while amounts.last! < max {
            let (next, overflow) = amounts.last!.multipliedReportingOverflow(by: eta)
            amounts.append(overflow ? max : Swift.min(next, max))
        }
        return amounts
    }

    /// The largest `max` for seeds, `confirm` and `eta`.
    public static let maxSeeds = 1000
    public static let maxConfirm = 100
    public static let maxEta = 100

    /// The keys of the block, in the order the "valid keys" note lists them.
    static let keys = ["resource", "min", "max", "eta", "metric", "goal", "alpha", "confirm"]

    /// The metrics a search can rank by: every final metric of metrics.json.
    public static let rankableMetrics = ComparisonMetric.allCases.filter { $0 != .trainSeconds }

    /// The block as YAML flow text, every key written.
    var yamlText: String {
        "{resource: \(resource.rawValue), min: \(min), max: \(max), eta: \(eta), metric: \(metric.rawValue), "
            + "goal: \(goal.rawValue), alpha: \(alpha), confirm: \(confirm)}"
    }
}
