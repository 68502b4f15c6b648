import PopCode

/// Successive halving as a pure function: the experiment file and the results of the runs
/// finished so far give the whole state of the search — which runs each round needs, what
/// every finished round decided and why, the confirmation, the winner.
///
/// `popcode run`, the queue and the dashboard all ask `state(of:observe:)`; none keeps
/// search state of its own. Because the answer depends only on the file and the results
/// (which do not depend on `--jobs`, timing or interruptions), the configurations, the
/// decisions and the winner are the same however and wherever the runs were trained.
public enum HalvingSearch {
    /// What a finished run says to the search.
    public enum Observation: Sendable, Hashable {
        /// Completed, with the value of the search's metric.
        case completed(Double)
        /// Failed (diverged), or completed without that metric.
        case failed
    }

    /// The runs of the first round: what the file alone determines.
    static func firstRound(of experiment: ExperimentSpec) -> [PlannedRun] {
        state(of: experiment, observe: { _ in nil }).runs.map(\.run)
    }

    /// The state of the search given `observe`, which tells for a run whether it is finished
    /// (nil: not yet).
    ///
    /// Round `k` gives each of its configurations `r_k` = `halving.schedule[k]`:
    /// - `resource: seeds`: the runs with seeds `s₀ … s₀ + r_k − 1` (`s₀` the file's fixed
    ///   seed, default 0); runs of earlier rounds are the same runs, reused;
    /// - `resource: epochs`: a run with `r_k` epochs for each of the file's seeds, each
    ///   continuing from the final state of the same configuration and seed in round `k − 1`.
    /// When every run of the round is finished, `decide` ranks the configurations and keeps
    /// the survivors for round `k + 1`. After the last round, the best `confirm`
    /// configurations are trained on `confirm` fresh seeds (see `confirmationSeeds`); the
    /// best mean there wins. With `confirm: 0` the best of the last round wins.
    public static func state(of experiment: ExperimentSpec,
                             observe: (PlannedRun) -> Observation?) -> SearchState {
        guard let halving = experiment.halving else { preconditionFailure("HalvingSearch: no halving block") }
        let configurations = experiment.configurations
        var state = SearchState(resource: halving.resource, metric: halving.metric, goal: halving.goal,
                                alpha: halving.alpha, eta: halving.eta, schedule: halving.schedule,
                                configurations: configurations, rounds: [],
                                confirmation: nil, winner: nil, phase: .round, runs: [], pending: [])
        var known: Set<String> = []
        func add(_ configuration: Int, seed: Int, showSeed: Bool, epochs: Int?, round: Int?,
                 startsFrom: String?, keepsFinalState: Bool) -> PlannedRun {
            let run = experiment.run(index: state.runs.count, configuration: configurations[configuration],
                                     seed: seed, showSeed: showSeed, epochs: epochs)
            if known.insert(run.label).inserted {
                state.runs.append(SearchRun(run: run, configuration: configuration, round: round,
                                            startsFrom: startsFrom, keepsFinalState: keepsFinalState))
            }
            return state.runs.first { $0.run.label == run.label }!.run
        }
        /// The metric of each run (nil entry: failed); nil when some run is not finished.
        func observed(_ runs: [PlannedRun]) -> [Double]?? {
            var values: [Double] = []
            var failed = false
            var missing: [String] = []
            for run in runs {
                switch observe(run) {
                case nil: missing.append(run.label)
                case .failed: failed = true
                case .completed(let value): if value.isFinite { values.append(value) } else { failed = true }
                }
            }
            if !missing.isEmpty {
                state.pending += missing
                return nil
            }
            return .some(failed ? nil : values)
        }

        let firstSeed = experiment.fixed.first { $0.key == .seed }?.value.intValue ?? RunSpec().seed
        let schedule = halving.schedule
        var alive = Array(configurations.indices)
        var previous: [Int: [Int: String]] = [:]  // configuration -> seed -> label, epochs rounds
        for (k, amount) in schedule.enumerated() {
            let isLast = k == schedule.count - 1
            let keep = isLast ? alive.count : Swift.max(1, (alive.count + halving.eta - 1) / halving.eta)
            var round = SearchRound(index: k, resource: amount, configurations: alive, keep: keep,
                                    isLast: isLast, decision: nil)
            var perConfiguration: [[Double]?] = []
            var complete = true
            var current: [Int: [Int: String]] = [:]
            for c in alive {
                let runs: [PlannedRun]
                switch halving.resource {
                case .seeds:
                    runs = (0..<amount).map {
                        add(c, seed: firstSeed + $0, showSeed: true, epochs: nil, round: k,
                            startsFrom: nil, keepsFinalState: false)
                    }
                case .epochs:
                    runs = experiment.seeds.map { seed in
                        let run = add(c, seed: seed, showSeed: experiment.seedIsListed, epochs: amount, round: k,
                                      startsFrom: previous[c]?[seed], keepsFinalState: !isLast)
                        current[c, default: [:]][seed] = run.label
                        return run
                    }
                }
                if let values = observed(runs) {
                    perConfiguration.append(values)
                } else {
                    complete = false
                }
            }
            previous = current
            guard complete else {
                state.rounds.append(round)
                return state
            }
            let decision = decide(configurations: alive, values: perConfiguration, keep: keep, isLast: isLast,
                                  goal: halving.goal, alpha: halving.alpha, guarded: halving.resource == .seeds)
            round.decision = decision
            state.rounds.append(round)
            alive = isLast ? [] : round.survivors
            if !isLast && alive.isEmpty {
                state.phase = .finished  // every configuration failed: no winner
                return state
            }
        }

        let ranked = (state.rounds.last?.decision ?? []).filter { $0.rank != nil }
        guard let best = ranked.first else {
            state.phase = .finished
            return state
        }
        let roundSeeds = halving.resource == .seeds ? (0..<schedule.last!).map { firstSeed + $0 } : experiment.seeds
        guard halving.confirm > 0 else {
            state.winner = winner(best.configuration, configurations,
                                  estimate(best.configuration, seeds: roundSeeds, best.values, failed: 0),
                                  confirmed: false)
            state.phase = .finished
            return state
        }
        let chosen = ranked.prefix(halving.confirm).map(\.configuration)
        let seeds = confirmationSeeds(experiment)
        var confirmation = SearchConfirmation(configurations: chosen, seeds: seeds, results: nil)
        var estimates: [Estimate] = []
        var complete = true
        for c in chosen {
            let runs = seeds.map {
                add(c, seed: $0, showSeed: true, epochs: halving.resource == .epochs ? schedule.last! : nil,
                    round: nil, startsFrom: nil, keepsFinalState: false)
            }
            var values: [Double] = [], used: [Int] = [], failed = 0, missing = false
            for (seed, run) in zip(seeds, runs) {
                switch observe(run) {
                case nil: missing = true; state.pending.append(run.label)
                case .failed: failed += 1
                case .completed(let value):
                    if value.isFinite { values.append(value); used.append(seed) } else { failed += 1 }
                }
            }
            if missing { complete = false } else if !values.isEmpty {
                estimates.append(estimate(c, seeds: used, values, failed: failed))
            }
        }
        guard complete else {
            state.confirmation = confirmation
            state.phase = .confirming
            return state
        }
        estimates.sort { lhs, rhs in
            lhs.mean != rhs.mean ? better(lhs.mean, rhs.mean, halving.goal) : lhs.configuration < rhs.configuration
        }
        confirmation.results = estimates
        state.confirmation = confirmation
        if let top = estimates.first {
            state.winner = winner(top.configuration, configurations, top, confirmed: true)
        }
        state.phase = .finished
        return state
    }

    /// The seeds of the confirmation, never used in selection: the `confirm` seeds after the
    /// largest seed the rounds used (`s₀ + max … s₀ + max + confirm − 1` when racing over
    /// seeds; after the largest listed seed for a halving over epochs).
    public static func confirmationSeeds(_ experiment: ExperimentSpec) -> [Int] {
        guard let halving = experiment.halving, halving.confirm > 0 else { return [] }
        let firstSeed = experiment.fixed.first { $0.key == .seed }?.value.intValue ?? RunSpec().seed
        let after = halving.resource == .seeds ? firstSeed + halving.max : (experiment.seeds.max() ?? 0) + 1
        return (0..<halving.confirm).map { after + $0 }
    }

    /// The decision of one round on hand-given metrics: `values[i]` are the metric values
    /// of `configurations[i]`'s runs, or nil when one of its runs failed.
    ///
    /// Configurations are ranked by mean (ascending to minimize, descending to maximize;
    /// ties by configuration index). In the last round every configuration is `.final`.
    /// Otherwise the first `keep` are kept (`.top`); each other one is dropped if it is worse
    /// than the best at a one-sided Welch p < `alpha` (`.worse`), kept if not (`.guarded`),
    /// and dropped by rank alone when it or the best has fewer than 2 values (`.rank`): the
    /// guard cannot test then. Without the guard (`guarded` false: a halving over epochs,
    /// where more epochs rather than more seeds decide) the rest is dropped (`.outranked`).
    /// A configuration with a failed run is dropped (`.failed`). The result lists the
    /// ranked configurations best first, then the failed ones.
    public static func decide(configurations: [Int], values: [[Double]?], keep: Int, isLast: Bool,
                              goal: HalvingSettings.Goal, alpha: Double,
                              guarded: Bool = true) -> [ConfigurationDecision] {
        precondition(configurations.count == values.count, "decide: one value list per configuration")
        var ranked: [(configuration: Int, values: [Double], mean: Double)] = []
        var failed: [Int] = []
        for (c, v) in zip(configurations, values) {
            if let v, !v.isEmpty { ranked.append((c, v, Statistics.mean(v))) } else { failed.append(c) }
        }
        ranked.sort { lhs, rhs in
            if lhs.mean != rhs.mean { return better(lhs.mean, rhs.mean, goal) }
            return lhs.configuration < rhs.configuration
        }
        var decisions: [ConfigurationDecision] = []
        let best = ranked.first?.values ?? []
        for (position, entry) in ranked.enumerated() {
            var decision = ConfigurationDecision(
                configuration: entry.configuration, rank: position + 1, values: entry.values, mean: entry.mean,
                sd: entry.values.count >= 2 ? Statistics.standardDeviation(entry.values) : nil,
                verdict: .kept, reason: .top, p: nil)
            if isLast {
                decision.verdict = .final
                decision.reason = .ranked
            } else if position >= keep && !guarded {
                decision.verdict = .dropped
                decision.reason = .outranked
            } else if position >= keep {
                // "worse than the best": greater mean to minimize, smaller to maximize.
                let p = goal == .minimize ? Statistics.welchGreaterP(best, entry.values)
                                          : Statistics.welchGreaterP(entry.values, best)
                decision.p = p
                if let p {
                    decision.verdict = p < alpha ? .dropped : .kept
                    decision.reason = p < alpha ? .worse : .guarded
                } else {
                    decision.verdict = .dropped
                    decision.reason = .rank
                }
            }
            decisions.append(decision)
        }
        for c in failed {
            decisions.append(ConfigurationDecision(configuration: c, rank: nil, values: values[configurations.firstIndex(of: c)!] ?? [],
                                                   mean: nil, sd: nil, verdict: .dropped, reason: .failed, p: nil))
        }
        return decisions
    }

    /// Whether `a` is better than `b` under `goal`.
    static func better(_ a: Double, _ b: Double, _ goal: HalvingSettings.Goal) -> Bool {
        goal == .minimize ? a < b : a > b
    }

    static func estimate(_ configuration: Int, seeds: [Int], _ values: [Double], failed: Int) -> Estimate {
        let interval = Statistics.confidenceInterval95(values)
        return Estimate(configuration: configuration, seeds: seeds, values: values, mean: Statistics.mean(values),
                        sd: values.count >= 2 ? Statistics.standardDeviation(values) : nil,
                        ciLow: interval?.low, ciHigh: interval?.high, failed: failed)
    }

    private static func winner(_ c: Int, _ configurations: [SearchConfiguration], _ estimate: Estimate,
                               confirmed: Bool) -> SearchWinner {
        SearchWinner(configuration: c, name: configurations[c].name, values: configurations[c].values,
                     confirmed: confirmed, estimate: estimate)
    }
}
