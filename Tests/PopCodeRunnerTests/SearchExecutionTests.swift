import PopCodeSVG
import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

/// Halving searches on tiny real runs.
struct SearchExecutionTests {
    /// A run promoted from 3 to 7 epochs (continuing from the 3-epoch run's final state)
    /// writes the same metrics.json and artifacts.json as a fresh 7-epoch run, timings aside,
    /// with a history recorded every 2 epochs so that the short run's last entry must go.
    @Test func aPromotedRunEqualsAFreshRunWithTheFullEpochs() throws {
        let keys = "n_train: 48\nn_test: 24\nn_hidden: 12\nn_implicit: 2\nn_enc_hidden: 8\nbatch_size: 16\nhistory_every: 2\n"
        let root = temporaryFolder()
        let short = Sweep(experiment: try ExperimentLoader.parse(text: "name: e\nepochs: 3\n" + keys, displayName: "x"),
                          runsDirectory: root.appendingPathComponent("short"))
        let long = Sweep(experiment: try ExperimentLoader.parse(text: "name: e\nepochs: 7\n" + keys, displayName: "x"),
                         runsDirectory: root.appendingPathComponent("long"))
        let fresh = Sweep(experiment: long.experiment, runsDirectory: root.appendingPathComponent("fresh"))
        var first = short.request(for: short.runs[0], checkpoints: .whenStopped)
        first.keepsFinalState = true
        guard case .completed(let shortMetrics) = try RunExecutor.execute(first) else { Issue.record("short run"); return }
        #expect(shortMetrics.history?.epoch == [1, 2])  // epoch 2 is recorded only as the last one
        let kept = try #require(try short.runFolder(short.runs[0]).finalState())
        #expect(kept.state.epochsDone == 3 && kept.id == short.runs[0].id)

        var promoted = long.request(for: long.runs[0], checkpoints: .whenStopped)
        promoted.startsFrom = short.runFolder(short.runs[0])
        var notes: [String] = []
        guard case .completed(let continued) = try RunExecutor.execute(promoted, note: { notes.append($0) }) else {
            Issue.record("promoted run"); return
        }
        #expect(notes == ["continuing from run at epoch 3"])
        _ = try RunExecutor.execute(fresh.request(for: fresh.runs[0], checkpoints: .whenStopped))
        let reference = try #require(try fresh.runFolder(fresh.runs[0]).metrics())
        #expect(continued.withoutTimings == reference.withoutTimings)
        #expect(continued.history?.epoch == [1, 3, 5, 6])
        #expect(try long.runFolder(long.runs[0]).artifacts() == fresh.runFolder(fresh.runs[0]).artifacts())
        #expect(try long.runFolder(long.runs[0]).finalState() == nil)
        // Without the final state the run starts over and still ends the same.
        let again = Sweep(experiment: long.experiment, runsDirectory: root.appendingPathComponent("again"))
        var orphan = again.request(for: again.runs[0], checkpoints: .whenStopped)
        orphan.startsFrom = RunFolder(root.appendingPathComponent("nowhere"))
        guard case .completed(let restarted) = try RunExecutor.execute(orphan) else { Issue.record("restart"); return }
        #expect(restarted.withoutTimings == reference.withoutTimings)
    }

    @Test func aStateOfAnotherSpecIsNotPromoted() throws {
        let state = try Trainer(spec: RunSpec(epochs: 2, nTrain: 16, nTest: 8, nHidden: 4, nImplicit: 2,
                                              nEncHidden: 4, batchSize: 8)).state
        var other = state.spec
        other.epochs = 5
        #expect(state.promoted(to: other) == nil)  // not finished: 0 of 2 epochs done
        other.lr = 0.2
        #expect(state.promoted(to: other) == nil)
    }

    static let race = """
        name: race
        lr: {loguniform: [0.01, 1]}
        sigma: {uniform: [0.1, 0.4]}
        search: {method: sobol, samples: 4}
        halving: {resource: seeds, min: 2, max: 4, eta: 2, confirm: 2}
        epochs: 3
        n_train: 48
        n_test: 24
        n_hidden: 12
        n_implicit: 2
        n_enc_hidden: 8
        batch_size: 16
        """

    /// Asking the state of the folders round after round, training what it asks for, with
    /// one or two jobs, reaches the same decisions and winner, and the same state on disk.
    @Test func roundsOnDiskGiveTheSameDecisionsWithOneOrTwoJobs() throws {
        var states: [SearchState] = []
        for jobs in [1, 2] {
            let sweep = Sweep(experiment: try ExperimentLoader.parse(text: Self.race, displayName: "race.yaml"),
                              runsDirectory: temporaryFolder("race\(jobs)"))
            var state = try #require(sweep.searchState())
            var rounds = 0
            while !state.pendingRuns.isEmpty {
                _ = Scheduler.run(state.pendingRuns.map { sweep.request(for: $0, checkpoints: .init(every: 1)) }, concurrency: jobs)
                state = try #require(sweep.searchState())
                rounds += 1
            }
            #expect(rounds == 3 && state.isFinished && state.winner != nil)
            try sweep.writeRecord(source: nil, overrides: [], search: state)
            let record = try ExperimentRecord.read(from: sweep.folder)
            #expect(record.search == state && record.runs.count == state.runs.count)
            // The report's ladder: one line per configuration, the winner's thick.
            let ladder = try #require(ReportSearch.ladder(state))
            #expect(ladder.marks.count == state.configurations.count)
            #expect(ladder.marks.compactMap { ($0 as? LineMark)?.width }.filter { $0 == 3 }.count == 1)
            let html = try ReportBuilder.html(for: [sweep.folder])
            #expect(html.contains("<section id=\"search\">") && html.contains("Rounds of the search"))
            #expect(html.contains("<a href=\"#search\">Search</a><a href=\"#search-space\">Search space</a>"))
            // The search space: one line per configuration, each with the seeds of the last round it reached.
            let space = try #require(ReportSearchSpace.space(record, runs: try RunFolderScan.runs(in: [sweep.folder])))
            #expect(space.winner == state.winner?.configuration)
            for point in space.points {
                let reached = state.rounds.last { $0.configurations.contains(point.configuration.index) }!
                #expect(point.values.count == reached.resource)
            }
            let section = try ReportSearchSpaceTests.searchSpace(html)
            #expect(section.components(separatedBy: "<polyline ").count - 1 == state.configurations.count)
            #expect(sweep.records().count == state.runs.count && state.runs.count >= 8 + 2 * 2 + 2 * 2)
            states.append(state)
        }
        #expect(states[0] == states[1])
    }
}

/// Halving searches through the queue.
struct SearchQueueTests {
    /// The loop `popcode run` does, on its own folder: the reference decisions.
    static func straight(_ experiment: ExperimentSpec, in folder: URL = temporaryFolder("straight")) throws -> SearchState {
        let sweep = Sweep(experiment: experiment, runsDirectory: folder)
        var state = try #require(sweep.searchState())
        while !state.pendingRuns.isEmpty {
            sweep.removeSpentFinalStates(state)
            _ = Scheduler.run(state.pendingRuns.map { sweep.request(for: $0, checkpoints: .whenStopped) }, concurrency: 2)
            state = try #require(sweep.searchState())
        }
        sweep.removeSpentFinalStates(state)
        return state
    }

    /// The files of each run folder of `sweep`'s experiment, by run label.
    static func runFiles(_ sweep: Sweep, _ state: SearchState) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: state.runs.map { run in
            (run.run.label, ((try? FileManager.default.contentsOfDirectory(atPath: sweep.runFolder(run.run).url.path)) ?? []).sorted())
        })
    }

    /// `queue add` enqueues round 1 only; workers add each next round as they record the
    /// round's last run, and end with the decisions of an uninterrupted run, recorded in
    /// experiment.json and the comparison; `queue status` shows the search.
    @Test(arguments: ["seeds", "epochs"]) func workersRunTheRoundsAndReachTheSameDecisions(resource: String) throws {
        let text = resource == "seeds" ? SearchExecutionTests.race : """
            name: asha
            lr: {loguniform: [0.01, 1]}
            seed: [0, 1]
            search: {method: sobol, samples: 4}
            halving: {resource: epochs, min: 2, max: 6, confirm: 1}
            n_train: 48
            n_test: 24
            n_hidden: 12
            n_implicit: 2
            n_enc_hidden: 8
            batch_size: 16
            """
        let experiment = try ExperimentLoader.parse(text: text, displayName: "x.yaml")
        let queue = try QueueFixture("search-" + resource)
        let database = try queue.open()
        let sweep = queue.sweep(experiment)
        let added = try database.add(sweep, source: nil, overrides: [])
        #expect(added.added == sweep.runs.count && added.total == sweep.runs.count)
        #expect(try database.runs().map(\.label) == sweep.runs.map(\.label))
        let first = QueueStatus.Search(experiment: experiment.name, state: try #require(sweep.searchState()))
        #expect(first.round == 1 && first.phase == .round && first.survivors.isEmpty)

        let summary = QueueWorker(database: database, options: .init(jobs: 2, checkpoints: .init(every: 1))).run()
        #expect(summary.databaseError == nil && summary.failed == 0)
        let state = try #require(sweep.searchState())
        #expect(state.isFinished)
        let straight = Sweep(experiment: experiment, runsDirectory: temporaryFolder("straight"))
        #expect(state == (try Self.straight(experiment, in: straight.folder.deletingLastPathComponent())))
        // The same files in every run folder as `popcode run` leaves, and no final state kept.
        let files = Self.runFiles(sweep, state)
        #expect(files == Self.runFiles(straight, state))
        #expect(files.values.allSatisfy { !$0.contains("final-state.json") && !$0.contains("checkpoint.json") })
        let runs = try database.runs()
        #expect(runs.count == state.runs.count && runs.allSatisfy { $0.state == .completed })
        let record = try ExperimentRecord.read(from: sweep.folder)
        #expect(record.search == state)
        let comparison = try String(contentsOf: sweep.folder.appendingPathComponent("comparison.md"), encoding: .utf8)
        #expect(comparison.contains("Winner: \(state.configurations[state.winner!.configuration].name)"))
        let status = QueueStatus.Search(experiment: experiment.name, state: state)
        #expect(status.phase == .finished && status.winner == state.configurations[state.winner!.configuration].name)
        #expect(status.survivors == state.rounds.dropLast().map(\.survivors.count))
        #expect(!FileManager.default.fileExists(atPath: sweep.folder.appendingPathComponent("queue.sqlite").path))
    }
}
