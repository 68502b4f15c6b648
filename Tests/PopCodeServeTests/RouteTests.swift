import Foundation
import Hummingbird
import HummingbirdTesting
import PopCodeRunner
import Testing
@testable import PopCodeServe

/// The dashboard's routes through Hummingbird's test client: pages and their content, live
/// updates, downloads, traversal attempts and hostile query strings.
@Suite(.serialized) struct RouteTests {
    let fixtures: ServeFixtures
    let dashboard: Dashboard

    init() throws {
        fixtures = try ServeFixtures()
        dashboard = Dashboard(runsFolder: fixtures.runs.path,
                              database: fixtures.runs.appendingPathComponent("queue.sqlite").path,
                              refreshInterval: 0)!
    }

    func app(allowedHosts: Set<String>? = nil) -> some ApplicationProtocol {
        Application(router: dashboard.router(allowedHosts: allowedHosts))
    }

    /// GET `uri` through the router; returns status, body and headers.
    func get(_ uri: String, _ setup: TestingSetup = .router, headers: HTTPFields = [:]) async throws
        -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
        try await app().test(setup) { client in
            try await client.execute(uri: uri, method: .get, headers: headers) { response in
                (response.status, String(buffer: response.body), response.headers)
            }
        }
    }

    @Test func indexListsExperimentsAndSaysThereIsNoQueue() async throws {
        defer { fixtures.remove() }
        let (status, body, headers) = try await get("/")
        #expect(status == .ok)
        #expect(headers[.contentType] == "text/html; charset=utf-8")
        #expect(headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
        #expect(body.contains("<a href=\"/experiments/tiny\">tiny</a>"))
        #expect(body.contains("No queue in this runs folder"))
        // escape leads out of the runs folder: not an experiment.
        #expect(!body.contains("escape"))
        // No remote assets: nothing is loaded from anywhere.
        #expect(!body.contains("http://") && !body.contains("https://") && !body.contains("src="))
    }

    @Test func experimentPageShowsEveryKindOfRun() async throws {
        defer { fixtures.remove() }
        let (status, body, _) = try await get("/experiments/tiny")
        #expect(status == .ok)
        #expect(body.contains("<span id=\"count-completed\">2</span> completed"))
        #expect(body.contains("<span id=\"count-failed\">1</span> failed"))
        #expect(body.contains("<span id=\"count-unfinished\">1</span> unfinished"))
        #expect(body.contains("<span id=\"count-unreadable\">1</span> unreadable"))
        for run in ["seed=0", "seed=1", "lr=1000", "seed=9"] {
            #expect(body.contains("<a href=\"/experiments/tiny/runs/\(run)\">"), "no link to \(run)")
        }
        // The failure's reason, escaped; the run in training with its epoch and curves.
        #expect(body.contains("diverged: loss &lt;is&gt; inf &amp; beyond"))
        #expect(body.contains("<td>2/10</td>"))
        #expect(body.contains("Train MSE (in training)"))
        // The report's plots and the sorting script.
        #expect(body.contains("Training curves") && body.components(separatedBy: "<svg").count > 5)
        #expect(body.contains("aria-sort"))
        // The symbolic link to a folder outside is not a run.
        #expect(!body.contains("linked") && !body.contains(ServeFixtures.secretText))
    }

    @Test func runPagesCompletedCorruptAndTraining() async throws {
        defer { fixtures.remove() }
        let completed = try await get("/experiments/tiny/runs/seed=0")
        #expect(completed.status == .ok)
        #expect(completed.body.contains("Run tiny/seed=0"))
        #expect(completed.body.contains("/experiments/tiny/runs/seed=0/files/metrics.json"))
        #expect(completed.body.contains("/experiments/tiny/runs/seed=0/files/arrays.npz"))
        #expect(completed.body.contains("Singular values of centred m̂"))
        #expect(!completed.body.contains("leak.txt"))
        let corrupt = try await get("/experiments/tiny/runs/seed=9")
        #expect(corrupt.status == .ok)
        #expect(corrupt.body.contains("unreadable"))
        let training = try await get("/experiments/tiny/runs/seed=2")
        #expect(training.status == .ok)
        #expect(training.body.contains("Unfinished: no metrics.json yet (epoch 2 of 10 at the last checkpoint)"))
        #expect(try await get("/experiments/tiny/runs/seed=77").status == .notFound)
        #expect(try await get("/experiments/nothing").status == .notFound)
    }

    @Test func downloadsARunFile() async throws {
        defer { fixtures.remove() }
        let (status, body, headers) = try await get("/experiments/tiny/runs/seed=0/files/metrics.json")
        #expect(status == .ok)
        #expect(headers[.contentDisposition] == "attachment; filename=\"metrics.json\"")
        let onDisk = try String(contentsOf: fixtures.experiment.appendingPathComponent("seed=0/metrics.json"), encoding: .utf8)
        #expect(body == onDisk)
        #expect(try await get("/experiments/tiny/files/experiment.json").status == .notFound)
    }

    static let traversals = [
        "/experiments/tiny/runs/seed=0/files/..%2f..%2f..%2fsecret.txt",
        "/experiments/tiny/runs/seed=0/files/%2e%2e",
        "/experiments/tiny/runs/seed=0/files/%2E%2E%2F%2E%2E%2F%2E%2E%2Fsecret.txt",
        "/experiments/tiny/runs/seed=0/files/%252e%252e%252fsecret.txt",
        "/experiments/tiny/runs/seed=0/files/leak.txt",
        "/experiments/tiny/runs/%2e%2e/files/secret.txt",
        "/experiments/tiny/runs/linked/files/metrics.json",
        "/experiments/tiny/runs/linked",
        "/experiments/%2e%2e/files/secret.txt",
        "/experiments/escape/files/secret.txt",
        "/experiments/escape",
        "/experiments/tiny/files/%2fetc%2fpasswd",
        "/experiments/tiny/files/..%5c..%5csecret.txt",
        "/experiments/tiny/files/secret.txt%00.json",
        "/experiments/tiny/runs/seed=0/../../../secret.txt",
        "/experiments/tiny/runs/seed=0/files/../../../../secret.txt",
        "/experiments/tiny/runs/seed=0/files/.hidden",
        "/../secret.txt",
        "//etc/passwd",
    ]

    @Test(arguments: [TestingSetup.router, .live])
    func traversalAttemptsAnswer404AndReadNothing(setup: TestingSetup) async throws {
        defer { fixtures.remove() }
        for uri in Self.traversals {
            let (status, body, _) = try await get(uri, setup)
            #expect(status == .notFound, "\(uri) answered \(status)")
            #expect(!body.contains(ServeFixtures.secretText), "\(uri) leaked the secret")
        }
    }

    static let hostileQueries = [
        "/?x=1",
        "/experiments/tiny?v=1",
        "/experiments/tiny/live?v=abc",
        "/experiments/tiny/live?v=1&v=2",
        "/experiments/tiny/live?v=%zz",
        "/experiments/tiny/live?v=1%00",
        "/experiments/tiny/live?v=" + String(repeating: "9", count: 300),
        "/experiments/tiny/live?v=../../etc/passwd",
        "/experiments/tiny/runs/seed=0/files/metrics.json?download=../../secret.txt",
        "/live?%3Cscript%3E=1",
    ]

    @Test func hostileQueryStringsAnswer400() async throws {
        defer { fixtures.remove() }
        for uri in Self.hostileQueries {
            let (status, body, _) = try await get(uri)
            #expect(status == .badRequest, "\(uri) answered \(status)")
            #expect(body.hasPrefix("bad request: "))
            #expect(!body.contains("<script"))
        }
    }

    struct Live: Decodable {
        let v: String
        let parts: [String: String]
    }

    func live(_ uri: String) async throws -> Live {
        let (status, body, _) = try await get(uri)
        #expect(status == .ok)
        return try JSONDecoder().decode(Live.self, from: Data(body.utf8))
    }

    @Test func liveUpdatesSendTheTablesOnlyWhenRunsChanged() async throws {
        defer { fixtures.remove() }
        let first = try await live("/experiments/tiny/live")
        #expect(first.parts["summary"]?.contains("<span id=\"count-completed\">2</span>") == true)
        #expect(first.parts["runs"] != nil && first.parts["curves"] != nil)
        let same = try await live("/experiments/tiny/live?v=\(first.v)")
        #expect(same.v == first.v)
        #expect(same.parts["runs"] == nil && same.parts["summary"] != nil && same.parts["training"] != nil)

        // A run finishes: the next answer to the old version has the new count and tables.
        try fixtures.completed(seed: 3)
        let after = try await live("/experiments/tiny/live?v=\(first.v)")
        #expect(after.v != first.v)
        #expect(after.parts["summary"]?.contains("<span id=\"count-completed\">3</span>") == true)
        #expect(after.parts["runs"]?.contains("/experiments/tiny/runs/seed=3") == true)

        // The training run completes: its page's part changes from unfinished to the report's detail.
        let run = try await live("/experiments/tiny/runs/seed=2/live")
        #expect(run.parts["run"]?.contains("Unfinished") == true)
        try FileManager.default.removeItem(at: fixtures.experiment.appendingPathComponent("seed=2/checkpoint.json"))
        try fixtures.completed(seed: 2)
        let done = try await live("/experiments/tiny/runs/seed=2/live?v=\(run.v)")
        #expect(done.parts["run"]?.contains("Unfinished") == false)
        #expect(done.parts["run"]?.contains("Singular values") == true)
    }

    @Test func finishedRunsAreStampedAgainOnlyOnFullChecks() throws {
        defer { fixtures.remove() }
        let catalog = RunsCatalog(paths: SafePath(root: fixtures.runs.path)!, interval: 0, fullCheckInterval: 3600)
        let first = try #require(catalog.experiment("tiny"))
        #expect(first.count(.unreadable) == 1)
        // seed=1's metrics.json broken in place: a finished run is not looked at on every refresh...
        try Data("{".utf8).write(to: fixtures.experiment.appendingPathComponent("seed=1/metrics.json"))
        let second = try #require(catalog.experiment("tiny"))
        #expect(second.version == first.version && second.count(.unreadable) == 1)
        // ...but on the next full check (here: when a run folder appears), it shows as unreadable.
        try fixtures.completed(seed: 5)
        let third = try #require(catalog.experiment("tiny"))
        #expect(third.version != first.version)
        #expect(third.count(.unreadable) == 2 && third.count(.completed) == 2)
        #expect(third.runs.first { $0.name == "seed=1" }?.problem?.contains("unreadable metrics.json") == true)
    }

    @Test func theIndexDoesNotWaitForAReadingInProgress() async throws {
        defer { fixtures.remove() }
        let catalog = RunsCatalog(paths: SafePath(root: fixtures.runs.path)!, interval: 0, fullCheckInterval: 3600)
        // Before the first reading has finished: a stand-in that the live index replaces.
        let during = catalog.whileHeld { catalog.experimentWithoutWaiting("tiny") }
        #expect(during?.isBeingRead == true && during?.runs.isEmpty == true)
        #expect(DashboardPages.experimentsPart([try #require(during)], queue: .none).rendered()
            .contains("reading its run folders"))
        let read = try #require(catalog.experimentWithoutWaiting("tiny"))
        #expect(!read.isBeingRead && read.count(.completed) == 2)
        // Once read, a reading in progress shows the last snapshot.
        try fixtures.completed(seed: 5)
        let stale = catalog.whileHeld { catalog.experimentWithoutWaiting("tiny") }
        #expect(stale?.version == read.version && stale?.count(.completed) == 2)
        #expect(catalog.experimentWithoutWaiting("tiny")?.count(.completed) == 3)
        #expect(catalog.whileHeld { catalog.experimentWithoutWaiting("nope") } == nil)
        // An experiment page asked for during the first reading comes at once; its tables and
        // plots follow by the live update (version 0 is no experiment's).
        let standIn = ExperimentSnapshot.beingRead("tiny")
        let page = DashboardPages.experiment(standIn, light: DashboardPages.experimentLightParts(standIn, queue: .none),
                                             heavy: .toFollow)
        #expect(page.contains("Reading the run folders") && page.contains("data-version=\"0\""))
    }

    @Test func aBrokenMetricsFileShowsAsSuchNot500() async throws {
        defer { fixtures.remove() }
        let dashboard = Dashboard(runsFolder: fixtures.runs.path, database: "/nonexistent/queue.sqlite",
                                  refreshInterval: 0, fullCheckInterval: 0)!
        let app = Application(router: dashboard.router())
        try Data("{".utf8).write(to: fixtures.experiment.appendingPathComponent("seed=1/metrics.json"))
        try Data([0xff, 0x00, 0x13]).write(to: fixtures.experiment.appendingPathComponent("seed=2/checkpoint.json"))
        try await app.test(.router) { client in
            for uri in ["/", "/experiments/tiny", "/experiments/tiny/runs/seed=1", "/experiments/tiny/runs/seed=2",
                        "/experiments/tiny/live", "/live"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri) answered \(response.status)")
                }
            }
            try await client.execute(uri: "/experiments/tiny", method: .get) { response in
                let body = String(buffer: response.body)
                #expect(body.contains("<span id=\"count-unreadable\">2</span> unreadable"))
                #expect(body.contains("unreadable metrics.json"))
            }
        }
    }

    @Test func indexShowsTheQueueReadOnly() async throws {
        defer { fixtures.remove() }
        let path = fixtures.runs.appendingPathComponent("queue.sqlite").path
        let experiment = try ExperimentLoader.parse(text: """
            name: queued
            seed: [0, 1, 2]
            epochs: 3
            n_train: 48
            n_test: 24
            n_hidden: 12
            n_implicit: 2
            n_enc_hidden: 8
            batch_size: 16
            sigma: 0.3
            """, displayName: "queued.yaml")
        let database = try QueueDatabase(path: path, mode: .createIfMissing)
        _ = try database.add(Sweep(experiment: experiment, runsDirectory: fixtures.runs), source: nil, overrides: [])
        let owner = QueueOwner.current()
        let claimed = try #require(try database.claim(owner: owner))
        _ = try database.finish(claimed, owner: owner, state: .failed, error: "disk <full>")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let (status, body, _) = try await get("/")
        #expect(status == .ok)
        #expect(body.contains("<td id=\"queue-pending\">2</td>"))
        #expect(body.contains("<td id=\"queue-failed\">1</td>"))
        #expect(body.contains("queued/seed=0</a>: disk &lt;full&gt;"))
        #expect(body.contains("Lately: 1 run finished"))
        let parts = try await live("/live")
        #expect(parts.parts["queue"]?.contains("<td id=\"queue-pending\">2</td>") == true)
        // The dashboard wrote nothing to the queue.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func loopbackServerRefusesOtherHostNames() async throws {
        defer { fixtures.remove() }
        // The test client always asks for "localhost" (scripts/check-serve.sh sends real Host headers).
        for (allowed, expected) in [(Set(["127.0.0.1", "::1"]), HTTPResponse.Status.forbidden),
                                    (DashboardMiddleware<BasicRequestContext>.loopbackNames, .ok)] {
            try await Application(router: dashboard.router(allowedHosts: allowed)).test(.router) { client in
                try await client.execute(uri: "/", method: .get) { response in
                    #expect(response.status == expected)
                    #expect(!String(buffer: response.body).contains("tiny") || expected == .ok)
                }
            }
        }
        #expect(DashboardMiddleware<BasicRequestContext>.hostName("LocalHost:8080") == "localhost")
        #expect(DashboardMiddleware<BasicRequestContext>.hostName("[::1]:8080") == "::1")
        #expect(DashboardMiddleware<BasicRequestContext>.hostName("evil.example") == "evil.example")
    }

    @Test func writesAreNotRoutes() async throws {
        defer { fixtures.remove() }
        try await app().test(.router) { client in
            for method in [HTTPRequest.Method.post, .put, .delete] {
                try await client.execute(uri: "/experiments/tiny", method: method) { response in
                    #expect(response.status == .notFound || response.status == .methodNotAllowed)
                }
            }
        }
    }
}

@Suite struct SafePathTests {
    @Test func namesAreDecodedOnceAndMustBePlain() {
        #expect(SafePath.name("seed=0,sigma=0.18") == "seed=0,sigma=0.18")
        #expect(SafePath.name("a%20b") == "a b")
        for bad in ["", ".", "..", "%2e%2e", "%2E", ".hidden", "a%2fb", "a%5cb", "a%00b", "%zz", "a/b"] {
            #expect(SafePath.name(bad) == nil, "\(bad) accepted")
        }
    }

    @Test func queryStrings() throws {
        #expect(try QueryString.parse(nil, allowed: [:]).isEmpty)
        #expect(try QueryString.parse("v=12", allowed: ["v": QueryString.digits]) == ["v": "12"])
        #expect(throws: QueryString.Invalid.self) { try QueryString.parse("v=-1", allowed: ["v": QueryString.digits]) }
        #expect(throws: QueryString.Invalid.self) { try QueryString.parse("w=1", allowed: ["v": QueryString.digits]) }
    }
}
