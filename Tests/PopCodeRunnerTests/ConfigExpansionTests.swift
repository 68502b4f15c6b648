import PopCode
import Testing
@testable import PopCodeRunner

@Suite("Sweep expansion and run ids")
struct ConfigExpansionTests {
    @Test func cartesianProductWithTheLastAxisFastest() throws {
        let runs = try parseExperiment("""
            name: g
            sigma: [0.12, 0.18]
            epochs: 50
            lr: [0.05, 0.1, 0.2]
            """).expand()
        #expect(runs.count == 6)
        #expect(runs.map(\.index) == Array(0..<6))
        #expect(runs.map(\.label) == [
            "sigma=0.12,lr=0.05", "sigma=0.12,lr=0.1", "sigma=0.12,lr=0.2",
            "sigma=0.18,lr=0.05", "sigma=0.18,lr=0.1", "sigma=0.18,lr=0.2",
        ])
        #expect(runs.map(\.spec.sigma) == [0.12, 0.12, 0.12, 0.18, 0.18, 0.18])
        #expect(runs.map(\.spec.lr) == [0.05, 0.1, 0.2, 0.05, 0.1, 0.2])
        #expect(runs.allSatisfy { $0.spec.epochs == 50 })
        #expect(runs[4].sweptValues == [ParameterValue(key: .sigma, value: .double(0.18)),
                                        ParameterValue(key: .lr, value: .double(0.1))])
    }

    @Test func keysNotGivenTakeRunSpecDefaults() throws {
        let runs = try parseExperiment("name: g\nseed: 3\n").expand()
        var expected = RunSpec()
        expected.seed = 3
        #expect(runs.map(\.spec) == [expected])
        #expect(runs[0].label == "run")
        #expect(runs[0].sweptValues.isEmpty)
    }

    @Test func threeAxesIncludingARange() throws {
        let runs = try parseExperiment("""
            name: g
            seed: {from: 0, to: 2}
            sigma: [0.1, 0.2]
            n_hidden: [16, 25]
            """).expand()
        #expect(runs.count == 12)
        #expect(runs[0].label == "seed=0,sigma=0.1,n_hidden=16")
        #expect(runs[1].label == "seed=0,sigma=0.1,n_hidden=25")
        #expect(runs[2].label == "seed=0,sigma=0.2,n_hidden=16")
        #expect(runs[4].label == "seed=1,sigma=0.1,n_hidden=16")
        #expect(runs[11].label == "seed=2,sigma=0.2,n_hidden=25")
    }

    @Test func canonicalTextListsEveryKeySorted() {
        #expect(RunSpec().canonicalText == "batch_size=64,epochs=200,history_every=1,lr=0.1,n_enc_hidden=64,n_hidden=225,n_implicit=3,n_test=500,n_train=2000,seed=0,sigma=0.18")
        let spec = RunSpec(seed: 7, lr: 1e-5, sigma: 0.12)
        #expect(spec.canonicalText == "batch_size=64,epochs=200,history_every=1,lr=1e-05,n_enc_hidden=64,n_hidden=225,n_implicit=3,n_test=500,n_train=2000,seed=7,sigma=0.12")
        #expect(RunSpec(lr: -0.0).canonicalText == RunSpec(lr: 0.0).canonicalText)
    }

    /// Golden values computed independently (Python) from the canonical text.
    @Test func idsAreFNV1aOfTheCanonicalText() {
        #expect(RunSpec().id == "64c2e3fecc1e9317")
        #expect(RunSpec(seed: 7, lr: 1e-5, sigma: 0.12).id == "e9c34e7811927b35")
    }

    @Test func idsAreSixteenHexDigitsAndDistinctWithinAGrid() throws {
        let runs = try parseExperiment("""
            name: g
            seed: {from: 0, to: 49}
            lr: [0.01, 0.1]
            sigma: [0.1, 0.2, 0.3]
            """).expand()
        #expect(runs.count == 300)
        #expect(Set(runs.map(\.id)).count == 300)
        #expect(Set(runs.map(\.label)).count == 300)
        #expect(runs.allSatisfy { run in
            run.id.count == 16 && run.id.allSatisfy { "0123456789abcdef".contains($0) } && run.id == run.spec.id
        })
    }

    @Test func theSameFileGivesTheSameRunsAndIds() throws {
        let text = "name: g\nseed: {from: 0, to: 3}\nlr: [0.1, 0.2]\n"
        let first = try parseExperiment(text).expand()
        let second = try parseExperiment(text).expand()
        #expect(first == second)
        #expect(first.map(\.id) == second.map(\.id))
    }

    @Test func theSameSpecHasTheSameIdInAnyExperiment() throws {
        let implicit = try parseExperiment("name: a\nlr: [0.1, 0.3]\n").expand()
        let explicit = try parseExperiment("name: b\nepochs: 200\nlr: 0.3\n").expand()
        #expect(implicit[1].id == explicit[0].id)
        #expect(implicit[0].id != explicit[0].id)
    }

    @Test func longLabelsAreCutAndEndWithTheId() {
        let spec = ExperimentSpec(name: "g", parameters: RunSpec.CodingKeys.allCases.filter { !$0.isOptional }.map { key in
            let value: SpecValue = key.kind == .real ? .double(0.123456789012345) : .int(1_000_000)
            return ExperimentSpec.Parameter(key: key, assignment: .sweep([value]))
        })
        let run = spec.expand()[0]
        #expect(run.label.count == 117)
        #expect(run.label.hasPrefix("seed=1000000,epochs=1000000,"))
        #expect(run.label.hasSuffix("-" + run.id))
    }

    @Test func anEmptyAxisGivesNoRuns() {
        let spec = ExperimentSpec(name: "g", parameters: [.init(key: .lr, assignment: .sweep([]))])
        #expect(spec.runCount == 0)
        #expect(spec.expand().isEmpty)
    }

    @Test func plannedRunsRoundTripThroughCodable() throws {
        let runs = try parseExperiment("name: g\nlr: [0.1, 1]\nseed: 2\n").expand()
        let json = try JSONRoundTrip.encode(runs)
        #expect(json.contains(#""label":"lr=1.0""#))
        #expect(try JSONRoundTrip.decode([PlannedRun].self, from: json) == runs)
    }

    @Test func decodingTypesValuesByKey() throws {
        let spec = try JSONRoundTrip.decode(ExperimentSpec.self, from: """
            {"name": "g", "parameters": [{"key": "lr", "value": 1}, {"key": "seed", "sweep": [1.0, 2]}]}
            """)
        #expect(spec.parameters == [.init(key: .lr, assignment: .fixed(.double(1))),
                                    .init(key: .seed, assignment: .sweep([.int(1), .int(2)]))])
        #expect(throws: DecodingError.self) {
            try JSONRoundTrip.decode(ExperimentSpec.self, from: """
                {"name": "g", "parameters": [{"key": "seed", "value": 1.5}]}
                """)
        }
        #expect(throws: DecodingError.self) {
            try JSONRoundTrip.decode(ExperimentSpec.self, from: """
                {"name": "g", "parameters": [{"key": "lrate", "value": 1}]}
                """)
        }
    }
}

/// The resolved experiment written as YAML loads back to the same experiment.
struct ExperimentYAMLRoundTripTests {
    @Test func theResolvedYAMLReproducesTheExperiment() throws {
        let text = """
            name: grid
            description: "quotes \\" and \\\\ and a\\ttab"
            x-base: &base {epochs: 20}
            <<: *base
            sigma: [0.12, 0.18]
            lr: 1e-1
            seed: {from: 0, to: 2}
            """
        let spec = try ExperimentLoader.parse(text: text, displayName: "grid.yaml", overrides: ["lr=[0.05, 0.1]", "n_train=100"])
        let again = try ExperimentLoader.parse(text: spec.yamlText, displayName: "experiment.yaml")
        #expect(again == spec)
        #expect(again.expand() == spec.expand())
        #expect(spec.yamlText.contains("seed: [0, 1, 2]\nn_train: 100\n"))
    }
}
