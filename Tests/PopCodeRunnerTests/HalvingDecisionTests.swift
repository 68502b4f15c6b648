import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

/// Successive halving on hand-made metrics: `HalvingSearch` never trains anything, so its
/// decisions can be checked against values written in the test.
@Suite("Successive halving decisions")
struct HalvingDecisionTests {
    /// Six configurations, eta 3: the rank keeps 2; the guard keeps a third that is not
    /// significantly worse, and drops one that is; one value cannot be tested; a failure drops.
    @Test func theGuardKeepsWhatItCannotRejectAndDropsTheRest() {
        let decision = HalvingSearch.decide(
            configurations: [0, 1, 2, 3, 4, 5],
            values: [[1.0, 1.1], [1.2, 1.3], [1.25, 1.6], [5.0, 5.1], nil, [2.0]],
            keep: 2, isLast: false, goal: .minimize, alpha: 0.05)
        #expect(decision.map(\.configuration) == [0, 1, 2, 5, 3, 4])
        #expect(decision.map(\.rank) == [1, 2, 3, 4, 5, nil])
        #expect(decision.map(\.verdict) == [.kept, .kept, .kept, .dropped, .dropped, .dropped])
        #expect(decision.map(\.reason) == [.top, .top, .guarded, .rank, .worse, .failed])
        // p-values from scipy.stats.ttest_ind(b, best, equal_var=False, alternative='greater')
        #expect(abs(decision[2].p! - 0.129682707754663) < 1e-9)
        #expect(abs(decision[4].p! - 0.00015617679593862204) < 1e-9)
        #expect(decision[0].p == nil && decision[3].p == nil)
        #expect(decision[2].mean == 1.425 && abs(decision[2].sd! - 0.24748737341529164) < 1e-15)
        // A larger alpha makes the guard drop more: p = 0.053 and 0.13 are below 0.2.
        let strict = HalvingSearch.decide(
            configurations: [0, 1, 2], values: [[1.0, 1.1], [1.2, 1.3], [1.25, 1.6]],
            keep: 1, isLast: false, goal: .minimize, alpha: 0.2)
        #expect(strict.map(\.verdict) == [.kept, .dropped, .dropped])
        #expect(strict.map(\.reason) == [.top, .worse, .worse])
        let lenient = HalvingSearch.decide(
            configurations: [0, 1, 2], values: [[1.0, 1.1], [1.2, 1.3], [1.25, 1.6]],
            keep: 1, isLast: false, goal: .minimize, alpha: 0.05)
        #expect(lenient.map(\.verdict) == [.kept, .kept, .kept])
        #expect(lenient.map(\.reason) == [.top, .guarded, .guarded])
    }

    @Test func maximizingRanksTheOtherWayAndTiesGoToTheEarlierConfiguration() {
        let decision = HalvingSearch.decide(
            configurations: [3, 7, 9], values: [[0.5, 0.5], [0.9, 0.8], [0.5, 0.5]],
            keep: 1, isLast: false, goal: .maximize, alpha: 0.05)
        #expect(decision.map(\.configuration) == [7, 3, 9])
        #expect(decision.map(\.reason) == [.top, .worse, .worse])
        let last = HalvingSearch.decide(
            configurations: [3, 7], values: [[0.5], [0.9]], keep: 2, isLast: true, goal: .maximize, alpha: 0.05)
        #expect(last.map(\.verdict) == [.final, .final] && last.map(\.configuration) == [7, 3])
    }

    @Test func aHalvingOverEpochsHasNoGuard() {
        let decision = HalvingSearch.decide(
            configurations: [0, 1, 2], values: [[1.0, 1.1], [1.2, 1.3], [1.25, 1.6]],
            keep: 1, isLast: false, goal: .minimize, alpha: 0.05, guarded: false)
        #expect(decision.map(\.verdict) == [.kept, .dropped, .dropped])
        #expect(decision.map(\.reason) == [.top, .outranked, .outranked] && decision.allSatisfy { $0.p == nil })
    }

    @Test func withOneSeedTheRoundDropsByRankAlone() {
        let decision = HalvingSearch.decide(
            configurations: [0, 1, 2, 3], values: [[3.0], [1.0], [2.0], [1.5]],
            keep: 2, isLast: false, goal: .minimize, alpha: 0.05)
        #expect(decision.map(\.configuration) == [1, 3, 2, 0])
        #expect(decision.map(\.reason) == [.top, .top, .rank, .rank])
        #expect(decision.allSatisfy { $0.p == nil })
    }

    @Test func oneSidedWelchAndTheConfidenceInterval() {
        #expect(abs(Statistics.welchGreaterP([1.0, 1.1], [1.2, 1.3])! - 0.052786404500042156) < 1e-9)
        #expect(abs(Statistics.welchGreaterP([1.2, 1.3], [1.0, 1.1])! - (1 - 0.052786404500042156)) < 1e-9)
        #expect(Statistics.welchGreaterP([1, 1], [2, 2]) == 0 && Statistics.welchGreaterP([2, 2], [1, 1]) == 1)
        #expect(Statistics.welchGreaterP([1], [2, 3]) == nil)
        #expect(abs(Statistics.studentQuantile(0.975, df: 2) - 4.302652729749462) < 1e-9)
        let ci = Statistics.confidenceInterval95([0.9, 1.0, 1.2])!
        #expect(abs(ci.low - 0.6538750299736573) < 1e-9 && abs(ci.high - 1.4127916366930091) < 1e-9)
    }

    // MARK: - The whole search on hand-made metrics

    /// Four learning rates raced over seeds 0, 1 → 0…3, confirmed on two fresh seeds.
    static let race = """
        name: race
        lr: [0.05, 0.1, 0.2, 0.4]
        halving: {resource: seeds, min: 2, max: 4, eta: 2, confirm: 2}
        """

    /// test_mse by learning rate, with a little seed noise: 0.1 best, 0.2 close, 0.4 far.
    static func metric(_ spec: RunSpec) -> Double {
        let base: [Double: Double] = [0.05: 0.020, 0.1: 0.010, 0.2: 0.011, 0.4: 0.030]
        return base[spec.lr]! + 0.001 * Double(spec.seed % 3)
    }

    @Test func aRaceOverSeedsGoesRoundByRoundAndConfirmsOnFreshSeeds() throws {
        let spec = try ExperimentLoader.parse(text: Self.race, displayName: "race.yaml")
        #expect(spec.halving!.schedule == [2, 4])
        #expect(HalvingSearch.confirmationSeeds(spec) == [4, 5])
        // Nothing finished: round 0 waits for 4 configurations × seeds 0, 1.
        let start = HalvingSearch.state(of: spec) { _ in nil }
        #expect(start.phase == .round && start.rounds.count == 1 && start.rounds[0].decision == nil)
        #expect(start.pending == ["lr=0.05,seed=0", "lr=0.05,seed=1", "lr=0.1,seed=0", "lr=0.1,seed=1",
                                  "lr=0.2,seed=0", "lr=0.2,seed=1", "lr=0.4,seed=0", "lr=0.4,seed=1"])
        #expect(spec.expand().map(\.label) == start.pending)
        // Everything finished that is asked for, round after round.
        var finished: Set<String> = []
        var state = start
        var steps = 0
        while !state.isFinished {
            finished.formUnion(state.pending)
            state = HalvingSearch.state(of: spec) { finished.contains($0.label) ? .completed(Self.metric($0.spec)) : nil }
            steps += 1
        }
        #expect(steps == 3)
        let first = state.rounds[0].decision!
        #expect(first.map(\.configuration) == [1, 2, 0, 3])
        #expect(first.map(\.reason) == [.top, .top, .worse, .worse])  // keep ⌈4/2⌉ = 2
        #expect(state.rounds[1].configurations == [1, 2] && state.rounds[1].resource == 4)
        #expect(state.rounds[1].decision!.map(\.values) == [[0.010, 0.011, 0.012, 0.010], [0.011, 0.012, 0.013, 0.011]])
        #expect(state.confirmation!.configurations == [1, 2] && state.confirmation!.seeds == [4, 5])
        let winner = state.winner!
        #expect(winner.configuration == 1 && winner.confirmed && winner.name == "lr=0.1")
        #expect(winner.estimate.seeds == [4, 5] && winner.estimate.values == [0.011, 0.012])
        // Each run once: 8 + 2 × 2 new seeds + 2 × 2 confirmation runs; seeds 0, 1 reused.
        #expect(state.runs.count == 16 && Set(state.runs.map(\.run.id)).count == 16)
        #expect(state.runs.filter { $0.round == 1 }.map(\.run.label)
                == ["lr=0.1,seed=2", "lr=0.1,seed=3", "lr=0.2,seed=2", "lr=0.2,seed=3"])
        // The state is plain data: it round-trips through JSON.
        let json = try JSONCoding.encoder.encode(state)
        #expect(try JSONCoding.decoder.decode(SearchState.self, from: json) == state)
    }

    @Test func aFailedRunDropsItsConfigurationAndTheOrderOfResultsDoesNotMatter() throws {
        let spec = try ExperimentLoader.parse(text: Self.race, displayName: "race.yaml")
        let observe: (PlannedRun) -> HalvingSearch.Observation? = { run in
            run.spec.lr == 0.1 && run.spec.seed == 1 ? .failed : .completed(Self.metric(run.spec))
        }
        let state = HalvingSearch.state(of: spec, observe: observe)
        #expect(state.rounds[0].decision!.last!.reason == .failed)
        #expect(state.rounds[1].configurations == [2, 0])
        #expect(state.winner?.configuration == 2)
    }

    @Test func halvingOverEpochsContinuesEachRunFromTheRoundBefore() throws {
        let spec = try ExperimentLoader.parse(text: """
            name: asha
            lr: {loguniform: [0.01, 1]}
            seed: [0, 1]
            search: {method: sobol, samples: 9}
            halving: {resource: epochs, min: 25, max: 225, confirm: 1}
            """, displayName: "asha.yaml")
        #expect(spec.halving!.schedule == [25, 75, 225])
        #expect(HalvingSearch.confirmationSeeds(spec) == [2])
        var finished: Set<String> = []
        var state = HalvingSearch.state(of: spec) { _ in nil }
        #expect(state.pending.first == "cfg=00,seed=0,epochs=25" && state.pending.count == 18)
        while !state.isFinished {
            finished.formUnion(state.pending)
            state = HalvingSearch.state(of: spec) { run in
                // The best learning rate is 0.3; more epochs help everyone.
                finished.contains(run.label) ? .completed(abs(log(run.spec.lr / 0.3)) + 10 / Double(run.spec.epochs)) : nil
            }
        }
        #expect(state.rounds.map(\.configurations.count) == [9, 3, 1])
        let promoted = state.runs.filter { $0.round == 2 }
        #expect(promoted.count == 2 && promoted.allSatisfy { !$0.keepsFinalState })
        #expect(promoted[0].startsFrom == promoted[0].run.label.replacingOccurrences(of: "epochs=225", with: "epochs=75"))
        #expect(state.runs.filter { $0.round == 0 }.allSatisfy { $0.startsFrom == nil && $0.keepsFinalState })
        #expect(promoted[0].run.spec.epochs == 225)
        let winner = state.winner!
        let best = state.rounds[0].decision!.first!.configuration
        #expect(winner.configuration == best && winner.estimate.seeds == [2])
        #expect(state.runs.last!.run.label == "\(state.configurations[best].name),seed=2,epochs=225")
        // The comparison says the rounds were decided by rank alone.
        #expect(ComparisonRenderer.searchSection(state, headings: false).hasPrefix(
            "Search: successive halving over epochs, minimize test_mse (eta 3, by rank: no statistical guard over epochs)"))
        #expect(state.rounds.dropLast().allSatisfy { $0.decision!.allSatisfy { $0.reason == .top || $0.reason == .outranked } })
    }
    /// A kept final state is spent once the run promoted from it has finished or its
    /// configuration was dropped; all are spent when the search is finished.
    @Test func finalStatesAreSpentWhenNoPromotionNeedsThem() throws {
        let spec = try ExperimentLoader.parse(text: """
            name: asha
            lr: {loguniform: [0.01, 1]}
            seed: [0, 1]
            search: {method: sobol, samples: 9}
            halving: {resource: epochs, min: 25, max: 225}
            """, displayName: "asha.yaml")
        var finished: Set<String> = []
        func state() -> SearchState {
            HalvingSearch.state(of: spec) { run in
                finished.contains(run.label) ? .completed(abs(log(run.spec.lr / 0.3)) + 10 / Double(run.spec.epochs)) : nil
            }
        }
        var current = state()
        #expect(current.spentFinalStates.isEmpty)  // round 1 undecided: every state may be promoted
        finished.formUnion(current.pending)
        current = state()
        // Round 1 decided: 3 of 9 survive; the 6 dropped configurations' states (2 seeds each) are spent.
        let survivors = Set(current.rounds[0].survivors)
        #expect(survivors.count == 3)
        #expect(Set(current.spentFinalStates.map(\.run.label))
                == Set(current.runs.filter { $0.round == 0 && !survivors.contains($0.configuration) }.map(\.run.label)))
        // One promoted run finishes: the state it continued from is spent too.
        let promoted = try #require(current.pendingRuns.first)
        finished.insert(promoted.run.label)
        current = state()
        #expect(current.spentFinalStates.count == 13)
        #expect(current.spentFinalStates.contains { $0.run.label == promoted.startsFrom })
        while !current.isFinished {
            finished.formUnion(current.pending)
            current = state()
        }
        #expect(current.spentFinalStates.count == current.runs.filter(\.keepsFinalState).count)
        #expect(current.spentFinalStates.count == 9 * 2 + 3 * 2)
    }
}
