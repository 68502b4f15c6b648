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

/// A halving search through `popcode run`.
@Suite(.serialized) struct HalvingCommandTests {
    static let race = """
        name: race
        lr: {loguniform: [0.01, 1]}
        sigma: {uniform: [0.1, 0.4]}
        search: {method: sobol, samples: 4}
        halving: {resource: seeds, min: 2, max: 4, eta: 2, confirm: 2}

        """ + CLI.tinyKeys

    @Test func runGoesThroughTheRoundsTheSameWithOneOrTwoJobs() throws {
        var searches: [NSDictionary] = []
        for jobs in ["1", "2"] {
            let dir = try CLI.workspace(["race.yaml": Self.race], name: "race\(jobs)")
            let result = try CLI.run(["run", "race.yaml", "--jobs", jobs], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("round 1 of 2: 4 configurations × 2 seeds, training 8 runs"))
            #expect(result.stderr.contains("confirmation: 2 configurations on fresh seeds 4, 5, training 4 runs"))
            #expect(result.stdout.contains("Search: successive halving over seeds, minimize test_mse (eta 2, guard alpha 0.05)"))
            #expect(result.stdout.contains("Confirmation on fresh seeds 4, 5 (never used in selection):"))
            #expect(result.stdout.contains("\nWinner: cfg=0"))
            let record = try CLI.json(dir.appendingPathComponent("runs/race/experiment.json"))
            let search = record["search"] as! [String: Any]
            #expect(search["phase"] as? String == "finished")
            searches.append(search as NSDictionary)
            // Done is done: the same command trains nothing more.
            let again = try CLI.run(["run", "race.yaml"], in: dir)
            #expect(again.status == 0 && !again.stderr.contains("training"), "\(again.stderr)")
            let compare = try CLI.run(["compare", "runs/race"], in: dir)
            #expect(compare.stdout.contains("\nWinner: cfg=0"))
        }
        #expect(searches[0] == searches[1])
    }

    @Test func runRefusesWhatASearchCannotDoAndSlurmSaysSo() throws {
        let dir = try CLI.workspace(["race.yaml": Self.race])
        let force = try CLI.run(["run", "race.yaml", "--force"], in: dir)
        #expect(force.status == 2 && force.stderr.hasPrefix("error: --force would retrain runs the search already decided on"))
        let index = try CLI.run(["run", "race.yaml", "--index", "0"], in: dir)
        #expect(index.status == 2 && index.stderr.hasPrefix("error: --index and --shard split a fixed plan"))
        let slurm = try CLI.run(["slurm", "race.yaml"], in: dir)
        #expect(slurm.status == 2 && slurm.stderr == "error: popcode slurm does not run halving searches: each round's "
                + "runs depend on the results of the round before; run it with popcode run or popcode queue on one machine\n")
        // --help says when the guard cannot test, and that a halving over epochs has none.
        let help = try CLI.run(["help", "run"], in: dir)
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.status == 0 && text.contains("with fewer than 2 seeds per configuration (min: 1) the guard cannot "
                                                  + "test and the round drops by rank alone"))
        #expect(text.contains("A halving over epochs has no statistical guard: it ranks by the mean over the file's "
                              + "seeds and keeps the top 1/eta."))
        let dry = try CLI.run(["run", "race.yaml", "--dry-run"], in: dir)
        #expect(dry.status == 0 && dry.stdout.contains("halving over seeds: 2 → 4 (eta 2), minimize test_mse, guard alpha 0.05, confirm 2"))
        #expect(dry.stdout.contains("confirmation seeds (never used in selection): 4, 5"))
        #expect(CLI.files(under: dir.appendingPathComponent("runs")).isEmpty)
    }
}
