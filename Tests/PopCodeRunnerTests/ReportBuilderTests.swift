import Foundation
import PopCodeSVG
import Testing
@testable import PopCode
@testable import PopCodeRunner

/// The report page: every run listed (failed ones as failed, with their reason), the
/// tables, the figures, the chosen run, and errors for folders without runs.
struct ReportBuilderTests {
    static func count(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    @Test func everyRunIsListedAndTheFailedOneIsMarkedFailed() throws {
        let experiment = try ReportFixtures.sweep(in: ReportFixtures.folder())
        let page = try ReportBuilder.html(for: [experiment])
        for label in ["seed=0,sigma=0.12", "seed=0,sigma=0.18", "seed=1,sigma=0.12", "seed=1,sigma=0.18", "seed=0,lr=100"] {
            #expect(page.contains("data-run=\"exp/\(label)\""), "run \(label) missing")
        }
        #expect(Self.count("<tr class=\"completed\"", in: page) == 4)
        #expect(Self.count("<tr class=\"failed\" data-run", in: page) == 1)
        #expect(page.contains("<tr class=\"failed\" data-run=\"exp/seed=0,lr=100\">"))
        #expect(page.contains("✗ failed"))
        #expect(page.contains("diverged at epoch 2: loss is inf"))
        #expect(page.contains("5 runs in 3 configurations: 4 completed, 1 failed"))
    }

    @Test func thePageIsSelfContainedHTMLWithTheExpectedFigures() throws {
        let experiment = try ReportFixtures.sweep(in: ReportFixtures.folder())
        let page = try ReportBuilder.html(for: [experiment])
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(page.hasSuffix("</html>\n"))
        #expect(!page.contains("<script"))
        #expect(!page.contains("http://") || !page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
        #expect(!page.contains("https://"))
        for section in ["id=\"runs\"", "id=\"groups\"", "id=\"curves\"", "id=\"finals\"", "id=\"run\""] {
            #expect(page.contains(section))
        }
        // 1 legend + 4 curves + 3 finals + 1 images + 3×(3 projections + colour bar)
        // + 3-D with its colour bar + singular values + 5 snapshots with a colour bar.
        #expect(Self.count("<svg ", in: page) == 1 + 4 + 3 + 1 + 12 + 2 + 1 + 6)
        for title in ["Training loss", "Train MSE", "Description length", "Linear R² of latents from m̂", "Test MSE",
                      "Variance explained", "Cubic R² of latents from m̂", "Inputs and reconstructions",
                      "m̂ in 3-D, coloured by θ", "Singular values of centred m̂", "epoch 0", "epoch 6"] {
            #expect(page.contains(">\(title)<"), "figure \(title) missing")
        }
        // The curves of a two-seed configuration have a mean line and a ± sd band.
        #expect(page.contains("mean ± sd of 2 seeds"))
        #expect(Self.count("<polygon", in: page) >= 8)
        // Error bars, 16 × 3 images of 64 pixels, and the test points in 9 projections.
        #expect(Self.count("<rect x=", in: page) >= 16 * 3 * 64)
        #expect(Self.count("<circle", in: page) >= 9 * 40)
        #expect(!page.lowercased().contains("nan\""))
        #expect(!page.contains("=\"nan") && !page.contains("=\"inf") && !page.contains("=\"-inf"))
    }

    @Test func theGroupTableHasMeanAndSdOverSeeds() throws {
        let experiment = try ReportFixtures.sweep(in: ReportFixtures.folder())
        let page = try ReportBuilder.html(for: [experiment])
        // sigma=0.12: test MSE 0.0107 and 0.0100 → mean 0.01035, sd 0.000495.
        #expect(page.contains("0.01035 ± 0.00049") || page.contains("0.01035 ± 0.00050"))
        #expect(page.contains("0 (+1 failed)"))
        // The contrasts compare the completed configurations.
        #expect(page.contains("<table class=\"contrasts\">"))
    }

    @Test func theBestRunIsShownUnlessAnotherIsChosen() throws {
        let experiment = try ReportFixtures.sweep(in: ReportFixtures.folder())
        let page = try ReportBuilder.html(for: [experiment])
        #expect(page.contains("<h2>Run seed=1,sigma=0.12</h2>"))
        #expect(page.contains("the completed run with the lowest test MSE"))
        let chosen = try ReportBuilder.html(for: [experiment], run: "seed=0,sigma=0.18")
        #expect(chosen.contains("<h2>Run seed=0,sigma=0.18</h2>"))
        #expect(chosen.contains("chosen with --run"))
        let byQualifiedName = try ReportBuilder.html(for: [experiment], run: "exp/seed=0,sigma=0.18")
        #expect(byQualifiedName.contains("<h2>Run seed=0,sigma=0.18</h2>"))
        let byID = try ReportBuilder.html(for: [experiment], run: ReportFixtures.spec(seed: 0, sigma: 0.18).id)
        #expect(byID.contains("<h2>Run seed=0,sigma=0.18</h2>"))
    }

    @Test func aChosenFailedRunShowsItsReasonAndNoPictures() throws {
        let experiment = try ReportFixtures.sweep(in: ReportFixtures.folder())
        let page = try ReportBuilder.html(for: [experiment], run: "seed=0,lr=100")
        #expect(page.contains("<h2>Run seed=0,lr=100</h2>"))
        #expect(page.contains("class=\"callout\""))
        #expect(page.contains("No arrays (arrays.npz) in"))
        #expect(!page.contains(">Inputs and reconstructions<"))
    }

    @Test func aRunWithoutArtifactsSaysSoInsteadOfFailing() throws {
        let root = ReportFixtures.folder()
        let experiment = root.appendingPathComponent("exp")
        try ReportFixtures.write(ReportFixtures.completed("seed=0", spec: ReportFixtures.spec(seed: 0), testMSE: 0.01),
                                 in: experiment, withArtifacts: false)
        let page = try ReportBuilder.html(for: [experiment])
        #expect(page.contains("No arrays (arrays.npz) in"))
        #expect(page.contains(">Training loss<"))
    }

    @Test func unreadableAndUnfinishedRunsAreListedNotDropped() throws {
        let experiment = try ReportFixtures.sweep(in: ReportFixtures.folder())
        let broken = experiment.appendingPathComponent("seed=2,sigma=0.12")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        try Data("{ not json".utf8).write(to: broken.appendingPathComponent("metrics.json"))
        let running = experiment.appendingPathComponent("seed=3,sigma=0.12")
        try FileManager.default.createDirectory(at: running, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: running.appendingPathComponent("checkpoint.json"))
        // A folder that is not a run is ignored.
        try FileManager.default.createDirectory(at: experiment.appendingPathComponent("notes"), withIntermediateDirectories: true)

        let page = try ReportBuilder.html(for: [experiment])
        #expect(page.contains("<tr class=\"unreadable\" data-run=\"exp/seed=2,sigma=0.12\">"))
        #expect(page.contains("unreadable metrics.json"))
        #expect(page.contains("<tr class=\"unfinished\" data-run=\"exp/seed=3,sigma=0.12\">"))
        #expect(page.contains("unfinished: no metrics.json yet"))
        #expect(!page.contains("exp/notes"))
        #expect(page.contains("7 runs in 3 configurations: 4 completed, 1 failed, 1 unfinished, 1 unreadable"))
    }

    @Test func userStringsAreEscapedEverywhere() throws {
        let root = ReportFixtures.folder()
        let experiment = root.appendingPathComponent("exp")
        let label = "seed=0,<b>&\"x\""
        try ReportFixtures.write(ReportFixtures.completed(label, spec: ReportFixtures.spec(seed: 0), testMSE: 0.01),
                                 in: experiment)
        try ReportFixtures.write(ReportFixtures.failed("seed=1", spec: ReportFixtures.spec(seed: 1),
                                                       reason: "boom <script>alert(1)</script> & more"),
                                 in: experiment, withArtifacts: false)
        let page = try ReportBuilder.html(for: [experiment])
        #expect(!page.contains("<b>&"))
        #expect(!page.contains("<script>"))
        #expect(page.contains("seed=0,&lt;b&gt;&amp;\"x\""))
        #expect(page.contains("data-run=\"exp/seed=0,&lt;b&gt;&amp;&quot;x&quot;\""))
        #expect(page.contains("boom &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"))
    }

    @Test func nonFiniteHistoriesLeaveGapsNotNaN() throws {
        let root = ReportFixtures.folder()
        let experiment = root.appendingPathComponent("exp")
        for seed in 0..<2 {
            try ReportFixtures.write(ReportFixtures.completed("seed=\(seed)", spec: ReportFixtures.spec(seed: seed),
                                                              testMSE: 0.01 + Double(seed) / 1000, nanAt: 3),
                                     in: experiment)
        }
        let page = try ReportBuilder.html(for: [experiment])
        let svgs = page.components(separatedBy: "<svg ").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }
        for svg in svgs {
            #expect(!svg.lowercased().contains("nan"))
            #expect(!svg.contains("inf"))
        }
    }

    @Test func severalExperimentsAreComparedWithQualifiedNames() throws {
        let root = ReportFixtures.folder()
        let a = try ReportFixtures.sweep(in: root, name: "a")
        let b = root.appendingPathComponent("b")
        try ReportFixtures.write(ReportFixtures.completed("seed=0,sigma=0.12", spec: ReportFixtures.spec(seed: 0, sigma: 0.12),
                                                          testMSE: 0.009, experiment: "b"), in: b)
        let page = try ReportBuilder.html(for: [a, b])
        #expect(page.contains("<title>popcode report: a, b</title>"))
        #expect(page.contains("data-run=\"b/seed=0,sigma=0.12\""))
        #expect(page.contains("<h2>Run b/seed=0,sigma=0.12</h2>"))
        #expect(throws: ReportError.self) { try ReportBuilder.html(for: [a, b], run: "seed=0,sigma=0.12") }
    }

    @Test func aSingleRunFolderIsAReportToo() throws {
        let experiment = try ReportFixtures.sweep(in: ReportFixtures.folder())
        let page = try ReportBuilder.html(for: [experiment.appendingPathComponent("seed=1,sigma=0.18")])
        #expect(page.contains("1 run in 1 configuration: 1 completed"))
        #expect(page.contains("<h2>Run seed=1,sigma=0.18</h2>"))
    }

    @Test func foldersWithoutRunsAreUsageErrors() throws {
        let root = ReportFixtures.folder()
        _ = try ReportFixtures.sweep(in: root)
        let empty = root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)

        #expect { try ReportBuilder.html(for: [empty]) } throws: { error in
            guard case ReportError.noRuns(_, let suggestions) = error else { return false }
            return suggestions.isEmpty
        }
        // The parent of experiment folders: the error suggests them.
        #expect { try ReportBuilder.html(for: [root]) } throws: { error in
            "\(error)".contains("no runs found") && "\(error)".contains("did you mean") && "\(error)".contains("/exp")
        }
        #expect { try ReportBuilder.html(for: [root.appendingPathComponent("missing")]) } throws: { error in
            "\(error)".hasSuffix("missing: no such folder")
        }
        #expect { try ReportBuilder.html(for: [root.appendingPathComponent("exp")], run: "seed=9") } throws: { error in
            "\(error)".hasPrefix("no run 'seed=9'; runs are: seed=0,lr=100, seed=0,sigma=0.12,")
        }
    }

    @Test func writePutsTheReportBesideTheRunsAtomically() throws {
        let experiment = try ReportFixtures.sweep(in: ReportFixtures.folder())
        let written = try ReportBuilder.write(for: [experiment])
        #expect(written == experiment.appendingPathComponent("report.html"))
        let text = try String(contentsOf: written, encoding: .utf8)
        #expect(text == (try ReportBuilder.html(for: [experiment])))
        let names = try FileManager.default.contentsOfDirectory(atPath: experiment.path)
        #expect(!names.contains { $0.contains(".tmp-") })
        // The report file itself is not taken for a run the next time.
        #expect((try ReportBuilder.html(for: [experiment])).contains("5 runs"))

        let elsewhere = experiment.appendingPathComponent("sub/other.html")
        #expect(try ReportBuilder.write(for: [experiment], to: elsewhere) == elsewhere)
        #expect(FileManager.default.fileExists(atPath: elsewhere.path))
    }

    @Test func runsFollowTheSweepPlanOrder() throws {
        let root = ReportFixtures.folder()
        let experiment = root.appendingPathComponent("exp")
        for seed in [2, 10, 1] {
            try ReportFixtures.write(ReportFixtures.completed("seed=\(seed)", spec: ReportFixtures.spec(seed: seed),
                                                              testMSE: 0.01), in: experiment, withArtifacts: false)
        }
        func order(_ page: String) -> [String] {
            ["seed=1", "seed=2", "seed=10"].sorted {
                page.range(of: "data-run=\"exp/\($0)\"")!.lowerBound < page.range(of: "data-run=\"exp/\($1)\"")!.lowerBound
            }
        }
        // Without a plan: natural order (seed=2 before seed=10).
        #expect(order(try ReportBuilder.html(for: [experiment])) == ["seed=1", "seed=2", "seed=10"])
        // With the sweep's experiment.json: its order.
        let spec = try ExperimentLoader.parse(text: "name: exp\nseed: [10, 2, 1]\nepochs: 6\n", displayName: "exp.yaml")
        let sweep = Sweep(experiment: spec, runsDirectory: root)
        #expect(sweep.runs.map(\.label) == ["seed=10", "seed=2", "seed=1"])
        try sweep.writeRecord(source: nil, overrides: [])
        #expect(order(try ReportBuilder.html(for: [experiment])) == ["seed=10", "seed=2", "seed=1"])
    }
}

/// A large experiment's report leads with the grouped table and the plots; its table of
/// every run comes after them, folded, and for very many runs lists the runs that did not
/// complete and the first completed ones.
struct ReportLayoutTests {
    /// `count` made-up runs in memory over two sigmas, every `failEvery`-th one failed.
    static func sweep(_ count: Int, failEvery: Int = 0) -> ReportSweep {
        ReportSweep(runs: (0..<count).map { i in
            let spec = ReportFixtures.spec(seed: i / 2, sigma: i % 2 == 0 ? 0.12 : 0.18)
            let label = "seed=\(i / 2),sigma=\(spec.sigma)"
            let failed = failEvery > 0 && i % failEvery == failEvery - 1
            return ReportRun(folder: RunFolder(URL(fileURLWithPath: "/nonexistent/exp/\(label)")), experiment: "exp",
                             name: label, metrics: madeUpMetrics(label: label, spec: spec, testMSE: failed ? nil : 0.01))
        })
    }

    @Test func theGroupedTableAndPlotsComeBeforeTheFoldedRunsTable() throws {
        let page = try ReportBuilder.html(for: Self.sweep(40), folders: [URL(fileURLWithPath: "/nonexistent/exp")], run: nil)
        let position = { (needle: String) in try #require(page.range(of: needle)).lowerBound }
        #expect(try position("id=\"groups\"") < position("id=\"curves\""))
        #expect(try position("id=\"finals\"") < position("id=\"runs\""))
        #expect(try position("id=\"runs\"") < position("<details class=\"runs\"><summary>Every run: 40 rows (click to unfold)"))
        #expect(ReportBuilderTests.count("<tr class=\"completed\" data-run", in: page) == 40)
        // A few runs: unfolded.
        let small = try ReportBuilder.html(for: Self.sweep(4), folders: [URL(fileURLWithPath: "/nonexistent/exp")], run: nil)
        #expect(!small.contains("<details"))
        #expect(ReportBuilderTests.count("<tr class=\"completed\" data-run", in: small) == 4)
    }

    @Test func veryManyRunsListThoseNotCompletedThenTheFirstCompleted() throws {
        let sweep = Self.sweep(1500, failEvery: 100)
        let shown = ReportTables.rowsShown(sweep, limit: 1000)
        #expect(shown.count == 1000)
        #expect(shown == shown.sorted())
        let failed = sweep.runs.indices.filter { sweep.runs[$0].status == .failed }
        #expect(failed.count == 15 && failed.allSatisfy(shown.contains))
        #expect(shown.filter { !failed.contains($0) } == Array(sweep.runs.indices.filter { !failed.contains($0) }.prefix(985)))
        let section = Markup.group(ReportTables.runsSection(sweep, detail: nil)).rendered()
        #expect(section.contains("<summary>1000 of the 1500 runs (click to unfold)</summary>"))
        #expect(section.contains("comparison.csv, beside this report, has one row per run"))
        #expect(ReportBuilderTests.count("<tr class=\"failed\" data-run", in: section) == 15)
        #expect(ReportBuilderTests.count("<tr class=\"completed\" data-run", in: section) == 985)
    }
}
