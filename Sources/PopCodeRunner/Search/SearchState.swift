/// Where a successive-halving search stands, and every decision it took with its inputs:
/// what `HalvingSearch.state(of:observe:)` computes from the experiment file and the
/// finished runs, recorded in `experiment.json` (`search`) for anyone to read.
///
/// Plain data: the same file and the same results give the same state, whoever asks
/// (`popcode run`, a queue worker, the dashboard) and however often.
public struct SearchState: Sendable, Hashable, Codable {
    public var resource: HalvingSettings.Resource
    public var metric: ComparisonMetric
    public var goal: HalvingSettings.Goal
    public var alpha: Double
    public var eta: Int
    /// The resource of each round (`HalvingSettings.schedule`).
    public var schedule: [Int]
    /// Every configuration of the search, by index.
    public var configurations: [SearchConfiguration]
    /// The rounds started so far; the last one is undecided while `phase` is `.round`.
    public var rounds: [SearchRound]
    /// The confirmation round, once the last round is decided and `confirm` > 0.
    public var confirmation: SearchConfirmation?
    public var winner: SearchWinner?
    public var phase: Phase
    /// Every run started so far, in order (round by round, then the confirmation), each once.
    public var runs: [SearchRun]
    /// Labels of the runs the next decision waits for (empty when finished).
    public var pending: [String]

    public enum Phase: String, Sendable, Hashable, Codable {
        /// Waiting for the runs of the last round in `rounds`.
        case round
        /// Waiting for the confirmation runs.
        case confirming
        case finished
    }

    public var isFinished: Bool { phase == .finished }

    /// The runs the next decision waits for.
    public var pendingRuns: [SearchRun] {
        let waiting = Set(pending)
        return runs.filter { waiting.contains($0.run.label) }
    }

    /// The runs whose kept final state (`final-state.json`) no promotion needs any more: the
    /// run promoted from it has finished, or its round is decided and dropped its
    /// configuration, or the search is finished. Removing them early keeps a long search's
    /// folders small; it never changes a result (a promoted run that finds no final state
    /// trains from epoch 0 to the same metrics).
    public var spentFinalStates: [SearchRun] {
        let waiting = Set(pending)
        var successor: [String: String] = [:]
        for run in runs { if let from = run.startsFrom { successor[from] = run.run.label } }
        let decided = Set(rounds.filter { $0.decision != nil }.map(\.index))
        return runs.filter { run in
            guard run.keepsFinalState else { return false }
            if isFinished { return true }
            if let next = successor[run.run.label] { return !waiting.contains(next) }
            return run.round.map(decided.contains) ?? false
        }
    }
}

/// One run of a search, with where it belongs.
public struct SearchRun: Sendable, Hashable, Codable {
    public var run: PlannedRun
    public var configuration: Int
    /// The round that first needed it (`nil` for the confirmation).
    public var round: Int?
    /// For a halving over epochs: the label of the run (same configuration and seed, fewer
    /// epochs) whose final state this run continues from.
    public var startsFrom: String?
    /// Whether to keep the final training state (`final-state.json`) for a later round.
    public var keepsFinalState: Bool
}

/// One round: its configurations, the resource each got, and (once its runs are done) the
/// decision.
public struct SearchRound: Sendable, Hashable, Codable {
    public var index: Int
    /// Seeds per configuration, or epochs.
    public var resource: Int
    public var configurations: [Int]
    /// How many the rank alone keeps, `⌈n / eta⌉` (all of them in the last round).
    public var keep: Int
    public var isLast: Bool
    /// Nil while its runs are not all done.
    public var decision: [ConfigurationDecision]?

    /// The configurations that go on to the next round.
    public var survivors: [Int] {
        (decision ?? []).filter { $0.verdict == .kept }.map(\.configuration)
    }
}

/// What a round decided about one configuration, with the inputs.
public struct ConfigurationDecision: Sendable, Hashable, Codable {
    public var configuration: Int
    /// 1 for the round's best; nil for a configuration with a failed run.
    public var rank: Int?
    /// The metric of each of its runs in the round (seed order).
    public var values: [Double]
    public var mean: Double?
    public var sd: Double?
    public var verdict: Verdict
    public var reason: Reason
    /// The one-sided Welch p-value of "worse than the round's best", when the guard tested.
    public var p: Double?

    public enum Verdict: String, Sendable, Hashable, Codable {
        case kept, dropped
        /// Ranked in the last round (the confirmation takes the best from there).
        case final
    }

    public enum Reason: String, Sendable, Hashable, Codable {
        /// Among the best ⌈n / eta⌉.
        case top
        /// Outside the top, but not worse than the best at p < alpha.
        case guarded = "not significantly worse"
        /// Outside the top and worse than the best at p < alpha.
        case worse = "significantly worse"
        /// Outside the top, with fewer than 2 seeds on a side the guard cannot test.
        case rank = "rank (fewer than 2 seeds)"
        /// Outside the top of a halving over epochs, which has no guard.
        case outranked = "rank"
        /// A run failed (diverged): no metric.
        case failed = "a run failed"
        /// Ranked in the last round.
        case ranked
    }
}

/// The confirmation: the best `confirm` configurations of the last round, each trained on
/// `confirm` fresh seeds.
public struct SearchConfirmation: Sendable, Hashable, Codable {
    public var configurations: [Int]
    public var seeds: [Int]
    /// Per configuration once its runs are done, best first.
    public var results: [Estimate]?
}

/// A configuration's metric over some seeds: mean ± sd and its 95 % confidence interval.
public struct Estimate: Sendable, Hashable, Codable {
    public var configuration: Int
    public var seeds: [Int]
    public var values: [Double]
    public var mean: Double
    public var sd: Double?
    public var ciLow: Double?
    public var ciHigh: Double?
    /// Runs that failed (not in `values`).
    public var failed: Int
}

/// The search's answer.
public struct SearchWinner: Sendable, Hashable, Codable {
    public var configuration: Int
    public var name: String
    public var values: [ParameterValue]
    /// On the confirmation seeds (true), or on the last round's seeds (no confirmation).
    public var confirmed: Bool
    public var estimate: Estimate
}
