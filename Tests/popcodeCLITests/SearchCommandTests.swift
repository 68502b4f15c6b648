import Foundation
import Testing

/// Sampled searches through the built binary.
@Suite(.serialized) struct SearchCommandTests {
    static let sobol = """
        name: s
        lr: {loguniform: [0.01, 0.5]}
        sigma: {uniform: [0.1, 0.3]}
        seed: [0, 1]
        search: {method: sobol, samples: 3, seed: 2}

        """ + CLI.tinyKeys

    @Test func dryRunListsTheConfigurationsWithTheirValues() throws {
        let dir = try CLI.workspace(["s.yaml": Self.sobol])
        let result = try CLI.run(["run", "s.yaml", "--dry-run"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains("sample lr: {loguniform: [0.01, 0.5]}"))
        #expect(lines.contains("sample sigma: {uniform: [0.1, 0.3]}"))
        #expect(lines.contains("search: sobol, 3 samples, seed 2"))
        #expect(lines.contains("3 configurations:"))
        #expect(lines.contains { $0.hasPrefix("| configuration | lr ") })
        #expect(lines.filter { $0.hasPrefix("| cfg=0") }.count == 3)
        #expect(lines.contains { $0.contains("| cfg=02,seed=1 | pending |") })
        #expect(CLI.files(under: dir.appendingPathComponent("runs")).isEmpty)
    }

    @Test func aSampledSearchTrainsItsConfigurationsOnEverySeed() throws {
        let dir = try CLI.workspace(["s.yaml": Self.sobol])
        let result = try CLI.run(["run", "s.yaml", "--jobs", "2", "-q"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("| cfg=01,seed=0 |"))
        let metrics = try CLI.json(dir.appendingPathComponent("runs/s/cfg=02,seed=1/metrics.json"))
        let spec = metrics["spec"] as! [String: Any]
        #expect((spec["lr"] as! Double) >= 0.01 && (spec["sigma"] as! Double) < 0.3 && spec["seed"] as? Int == 1)
        let record = try CLI.json(dir.appendingPathComponent("runs/s/experiment.json"))
        let experiment = record["experiment"] as! [String: Any]
        #expect((experiment["search"] as! [String: Any])["method"] as? String == "sobol")
        // The resolved file reproduces the search: nothing left to train.
        let again = try CLI.run(["run", "runs/s/experiment.yaml"], in: dir)
        #expect(again.status == 0 && again.stderr.contains("s: 6 runs, 6 already completed (skipped)"), "\(again.stderr)")
    }

    @Test func aBadSearchIsALocatedErrorWithStatus2AndNothingWritten() throws {
        let dir = try CLI.workspace(["bad.yaml": "name: bad\nlr: {loguniform: [0.01, 1]}\nsearch: {method: sobol, samples: 0}\n"])
        let result = try CLI.run(["run", "bad.yaml"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr == """
            bad.yaml:3:34: error: 'samples' must be between 1 and 10000, got 0
            search: {method: sobol, samples: 0}
                                             ^

            """)
        #expect(CLI.files(under: dir.appendingPathComponent("runs")).isEmpty)
    }
}
