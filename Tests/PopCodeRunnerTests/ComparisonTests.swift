import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

struct ComparisonTests {
    static func grid() -> [RunRecord] {
        // sigma 0.12: seeds 0, 1, 2; sigma 0.18: seeds 0, 1, 2 (seed 2 failed).
        let mse: [[Double?]] = [[0.0113, 0.0121, 0.0109], [0.0099, 0.0102, nil]]
        var out: [RunRecord] = []
        for (i, sigma) in [0.12, 0.18].enumerated() {
            for seed in 0..<3 {
                var spec = RunSpec(seed: seed)
                spec.sigma = sigma
                out.append(record(madeUpMetrics(label: "sigma=\(sigma),seed=\(seed)", spec: spec, testMSE: mse[i][seed])))
            }
        }
        return out
    }

    @Test func sweptKeysAndGroupsTreatSeedsAsRepeats() {
        let c = Comparison(Self.grid())
        #expect(c.sweptKeys == ["sigma", "seed"])  // the labels' order
        #expect(c.groupKeys == ["sigma"])
        #expect(c.rows.count == 6 && c.failedCount == 1)
        #expect(c.groups.map(\.name) == ["sigma=0.12", "sigma=0.18"])
        #expect(c.groups.map(\.n) == [3, 2])
        #expect(c.groups[1].failed == 1)
        #expect(abs(c.groups[0].mean[.testMSE]! - 0.011433333333333334) < 1e-15)
        #expect(abs(c.groups[0].sd[.testMSE]! - Statistics.standardDeviation([0.0113, 0.0121, 0.0109])) < 1e-15)
        // The failed run is excluded from the statistics but kept as a row.
        #expect(c.groups[1].samples[.testMSE]! == [0.0099, 0.0102])
        #expect(c.rows[5].status == .failed && c.rows[5].values[.testMSE] == nil)
    }

    @Test func twoConfigurationsGetAWelchPValue() throws {
        let c = Comparison(Self.grid())
        let contrast = try #require(c.contrasts.first)
        #expect(c.contrasts.count == 1)
        #expect(contrast.a == "sigma=0.12" && contrast.b == "sigma=0.18")
        let p = try #require(contrast.p[.testMSE])
        let expected = Statistics.welchTTest([0.0113, 0.0121, 0.0109], [0.0099, 0.0102])!.p
        #expect(p == expected)
        #expect(abs(contrast.difference(.testMSE)! - (0.01005 - 0.011433333333333334)) < 1e-15)
    }

    @Test func twoSingleRunsGetADifference() throws {
        let records = [record(madeUpMetrics(label: "seed=0", spec: RunSpec(seed: 0), testMSE: 0.0113)),
                       record(madeUpMetrics(label: "seed=1", spec: RunSpec(seed: 1), testMSE: 0.0099))]
        let c = Comparison(records)
        #expect(c.sweptKeys == ["seed"] && c.groupKeys.isEmpty)
        let contrast = try #require(c.contrasts.first)
        #expect(contrast.a == "seed=0" && contrast.b == "seed=1" && contrast.p.isEmpty)
        #expect(abs(contrast.difference(.testMSE)! - -0.0014) < 1e-15)
    }

    @Test func contrastsSkipConfigurationsWithoutResults() throws {
        // lr = 100 diverged for every seed: the others are compared with each other.
        var records: [RunRecord] = []
        for (lr, mse) in [(100.0, nil), (0.05, 0.012), (0.1, 0.011)] as [(Double, Double?)] {
            for seed in 0..<2 {
                let spec = RunSpec(seed: seed, lr: lr)
                records.append(record(madeUpMetrics(label: "lr=\(lr),seed=\(seed)", spec: spec,
                                                    testMSE: mse.map { $0 + Double(seed) * 0.001 })))
            }
        }
        let c = Comparison(records)
        #expect(c.groups.map(\.n) == [0, 2, 2])
        let contrast = try #require(c.contrasts.first)
        #expect(c.contrasts.count == 1 && contrast.a == "lr=0.05" && contrast.b == "lr=0.1")
        #expect(contrast.p[.testMSE] != nil)
    }

    @Test func groupByOverridesTheConfiguration() {
        let c = Comparison(Self.grid(), groupBy: ["seed"])
        #expect(c.groups.map(\.name) == ["seed=0", "seed=1", "seed=2"])
        #expect(c.contrasts.count == 2)
    }

    @Test func tableLinesAlignAndAreMarkdown() {
        let text = ComparisonRenderer.render(Comparison(Self.grid()), as: .table)
        let tables = text.components(separatedBy: "\n\n").filter { $0.hasPrefix("|") }
        #expect(tables.count == 3)
        for table in tables {
            let lines = table.split(separator: "\n")
            #expect(Set(lines.map(\.count)).count == 1, "misaligned:\n\(table)")
            #expect(lines[1].allSatisfy { $0 == "|" || $0 == "-" })
        }
        #expect(text.contains("| sigma=0.18,seed=2 | 0.18  | 2    | failed    |"))
        #expect(text.contains("Failed runs:\n- sigma=0.18,seed=2: diverged at epoch 0"))
        #expect(text.contains("| sigma=0.12    | 3"))
        #expect(text.contains("p (Welch t)"))
    }

    @Test func csvHasOneRowPerRunAndQuotesCommas() {
        let csv = ComparisonRenderer.render(Comparison(Self.grid()), as: .csv)
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 7)
        #expect(lines[0].hasPrefix("experiment,run,id,status,sigma,seed,test_mse,"))
        #expect(lines[1].hasPrefix("exp,\"sigma=0.12,seed=0\","))
        #expect(lines[6].hasSuffix(",diverged at epoch 0"))
        #expect(ComparisonRenderer.csvField("a \"b\", c") == "\"a \"\"b\"\", c\"")
    }

    @Test func jsonCarriesRowsGroupsAndContrasts() throws {
        let text = ComparisonRenderer.render(Comparison(Self.grid()), as: .json)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(object["schema"] as? String == "popcode.comparison/1")
        #expect((object["runs"] as! [Any]).count == 6)
        #expect((object["groups"] as! [Any]).count == 2)
        let contrast = (object["contrasts"] as! [[String: Any]])[0]
        #expect((contrast["p_welch"] as! [String: Double])["test_mse"] != nil)
    }

    @Test func catalogReadsExperimentFoldersInPlanOrder() throws {
        let root = temporaryFolder()
        let experiment = root.appendingPathComponent("exp")
        for (label, seed) in [("seed=10", 10), ("seed=9", 9)] {
            try RunFolder(experiment.appendingPathComponent(label))
                .write(madeUpMetrics(label: label, spec: RunSpec(seed: seed), testMSE: 0.01))
        }
        // Without experiment.json, natural order: seed=9 before seed=10.
        #expect(try RunCatalog.load([experiment]).map(\.label) == ["seed=9", "seed=10"])
        // A run folder on its own is one run.
        #expect(try RunCatalog.load([experiment.appendingPathComponent("seed=10")]).map(\.label) == ["seed=10"])
        #expect(throws: RunCatalog.LoadError.self) { try RunCatalog.load([root.appendingPathComponent("nope")]) }
        #expect(throws: RunCatalog.LoadError.self) { try RunCatalog.load([root]) }
    }
}
