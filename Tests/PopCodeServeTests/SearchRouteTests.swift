import Foundation
import Hummingbird
import HummingbirdTesting
import PopCodeRunner
import Testing
@testable import PopCodeServe

/// A halving search on the dashboard, from a real search trained round by round: the
/// experiment page shows its rounds and survivors while it runs, and the winner once found.
@Suite(.serialized) struct SearchRouteTests {
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

    /// GET `uri` of `dashboard`: status and body.
    func get(_ dashboard: Dashboard, _ uri: String) async throws -> (status: HTTPResponse.Status, body: String) {
        try await Application(router: dashboard.router()).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { ($0.status, String(buffer: $0.body)) }
        }
    }

    /// Trains the runs the search waits for and records its new state, as `popcode run` does.
    func nextRound(_ sweep: Sweep) throws -> SearchState {
        let state = try #require(sweep.searchState())
        _ = Scheduler.run(state.pendingRuns.map { sweep.request(for: $0, checkpoints: .whenStopped) }, concurrency: 2)
        let next = try #require(sweep.searchState())
        try sweep.writeRecord(source: nil, overrides: [], search: next)
        return next
    }

    /// The row of `round` in the page's table of rounds.
    func row(_ state: SearchState, _ round: SearchRound, survivors: String) -> String {
        "<tr><td>\(round.index + 1)</td><td>\(round.resource)</td><td>\(round.configurations.count)</td>"
            + "<td>\(round.isLast ? "all" : "\(round.keep)")</td><td class=\"name\">\(survivors)</td></tr>"
    }

    func survivors(_ state: SearchState, _ round: SearchRound) -> String {
        "\(round.survivors.count): " + round.survivors.map { state.configurations[$0].name }.joined(separator: "; ")
    }

    @Test func theExperimentPageShowsRoundsAndSurvivorsAsTheyHappenThenTheWinner() async throws {
        let fixtures = try ServeFixtures()
        defer { fixtures.remove() }
        let sweep = Sweep(experiment: try ExperimentLoader.parse(text: Self.race, displayName: "race.yaml"),
                          runsDirectory: fixtures.runs)
        let dashboard = Dashboard(runsFolder: fixtures.runs.path,
                                  database: fixtures.runs.appendingPathComponent("queue.sqlite").path, refreshInterval: 0)!

        // Round 1 decided, round 2 running.
        let during = try nextRound(sweep)
        #expect(during.phase == .round && during.rounds.count == 2 && during.rounds[0].decision != nil)
        let (status, page) = try await get(dashboard, "/experiments/race")
        #expect(status == .ok)
        #expect(page.contains("<h2>Search</h2>"))
        #expect(page.contains("Phase: round; waiting for \(during.pending.count) runs."))
        #expect(page.contains(row(during, during.rounds[0], survivors: survivors(during, during.rounds[0]))))
        #expect(page.contains(row(during, during.rounds[1], survivors: "running")))
        #expect(!page.contains("Winner:"))
        // The report's search plots: the ladder and one line per configuration.
        #expect(page.contains("Rounds of the search") && page.contains("Configurations of the search"))
        #expect(page.components(separatedBy: "<polyline ").count - 1 == during.configurations.count)
        let version = try #require(page.firstMatch(of: /data-version="(\d+)"/)).1

        // The search goes on to the end: the live answer to the page's version has the winner.
        var state = during
        while !state.isFinished { state = try nextRound(sweep) }
        let winner = try #require(state.winner)
        let (liveStatus, body) = try await get(dashboard, "/experiments/race/live?v=\(version)")
        #expect(liveStatus == .ok)
        let live = try JSONDecoder().decode(RouteTests.Live.self, from: Data(body.utf8))
        let search = try #require(live.parts["search"])
        #expect(search.contains("Phase: finished."))
        #expect(search.contains(row(state, state.rounds[0], survivors: survivors(state, state.rounds[0]))))
        #expect(search.contains(row(state, state.rounds[1], survivors: "— (last round)")))
        #expect(search.contains("Confirmation on fresh seeds \(state.confirmation!.seeds.map(String.init).joined(separator: ", "))"))
        #expect(search.contains("Winner: \(state.configurations[winner.configuration].name) ("))
    }

    /// A sampled search without halving: no rounds, but the search plots.
    @Test func aSampledSearchShowsItsSearchSpace() async throws {
        let fixtures = try ServeFixtures()
        defer { fixtures.remove() }
        let text = Self.race.replacingOccurrences(of: "halving: {resource: seeds, min: 2, max: 4, eta: 2, confirm: 2}\n",
                                                  with: "seed: [0, 1]\n").replacingOccurrences(of: "name: race", with: "name: sampled")
        let sweep = Sweep(experiment: try ExperimentLoader.parse(text: text, displayName: "sampled.yaml"),
                          runsDirectory: fixtures.runs)
        #expect(sweep.experiment.halving == nil && sweep.runs.count == 8)
        _ = Scheduler.run(sweep.runs.map { sweep.request(for: $0, checkpoints: .whenStopped) }, concurrency: 2)
        try sweep.writeRecord(source: nil, overrides: [])
        let dashboard = Dashboard(runsFolder: fixtures.runs.path,
                                  database: fixtures.runs.appendingPathComponent("queue.sqlite").path, refreshInterval: 0)!
        let (status, page) = try await get(dashboard, "/experiments/sampled")
        #expect(status == .ok)
        #expect(page.contains("<h2>Search</h2>") && page.contains("Configurations of the search"))
        #expect(page.contains("test_mse against lr") && page.contains("lr (log scale)"))
        #expect(page.components(separatedBy: "<polyline ").count - 1 == 4)
        #expect(!page.contains("Phase:") && !page.contains("Rounds of the search"))
        // A plain grid has no search section.
        let (_, tiny) = try await get(dashboard, "/experiments/tiny")
        #expect(!tiny.contains("<h2>Search</h2>"))
    }
}
