import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

@Suite("Search spaces in experiment files")
struct SearchConfigTests {
    static let sobol = """
        name: s
        epochs: 20
        lr: {loguniform: [0.01, 1]}
        sigma: {uniform: [0.08, 0.4]}
        seed: [0, 1]
        search: {method: sobol, samples: 12, seed: 3}
        """

    @Test func aSampledSearchDrawsConfigurationsCrossedWithTheSeeds() throws {
        let spec = try parseExperiment(Self.sobol)
        #expect(spec.method == .sobol)
        #expect(spec.sampled.map(\.key) == [.lr, .sigma])
        let configurations = spec.configurations
        #expect(configurations.count == 12)
        #expect(configurations.map(\.name) == (0..<12).map { String(format: "cfg=%02d", $0) })
        for configuration in configurations {
            #expect(configuration.values.map(\.key) == [.lr, .sigma])
            let lr = configuration.values[0].value.doubleValue!, sigma = configuration.values[1].value.doubleValue!
            #expect(lr >= 0.01 && lr < 1 && sigma >= 0.08 && sigma < 0.4)
        }
        let runs = spec.expand()
        #expect(runs.count == 24)
        #expect(runs.prefix(3).map(\.label) == ["cfg=00,seed=0", "cfg=00,seed=1", "cfg=01,seed=0"])
        #expect(runs[2].spec.lr == configurations[1].values[0].value.doubleValue!)
        #expect(runs[3].spec.seed == 1 && runs[3].spec.epochs == 20)
        #expect(runs[3].sweptValues.map(\.key) == [.lr, .sigma, .seed])
        #expect(Set(runs.map(\.id)).count == 24)
        // A pure function of the file: the same file, the same draws; another seed, others.
        #expect(try parseExperiment(Self.sobol).expand() == runs)
        let other = try parseExperiment(Self.sobol.replacingOccurrences(of: "seed: 3", with: "seed: 4"))
        #expect(other.configurations.map(\.values) != configurations.map(\.values))
    }

    @Test func sobolConfigurationsAreTheScrambledPointsMappedByEachLaw() throws {
        let spec = try parseExperiment(Self.sobol)
        let points = SobolSequence(dimensions: 2, scrambleSeed: 3).points(12)
        let expected = points.map { [Distribution.logUniform(0.01, 1).value(at: $0[0]),
                                     Distribution.uniform(0.08, 0.4).value(at: $0[1])] }
        #expect(spec.configurations.map { $0.values.map(\.value) } == expected)
    }

    @Test func randomDrawsAreNumpysDefaultRngMappedByEachLaw() throws {
        let spec = try parseExperiment("""
            name: r
            lr: {loguniform: [0.01, 1]}
            n_hidden: {int: [16, 256], log: true}
            search: {method: random, samples: 3, seed: 5}
            """)
        var random = RandomGenerator(seed: 5)
        let expected = (0..<3).map { _ in
            [Distribution.logUniform(0.01, 1).value(at: random.nextDouble()),
             Distribution.integer(16, 256, log: true).value(at: random.nextDouble())]
        }
        #expect(spec.configurations.map { $0.values.map(\.value) } == expected)
        #expect(spec.expand().map(\.label) == ["cfg=00", "cfg=01", "cfg=02"])
    }

    /// Discrete laws repeat configurations often; every repeat is redrawn, so asking for
    /// all of them gives each exactly once, in the same order every time.
    @Test func repeatedConfigurationsAreRedrawnDeterministically() throws {
        for method in ["random", "sobol"] {
            let text = """
                name: d
                batch_size: {choice: [32, 64]}
                n_hidden: {int: [10, 12]}
                search: {method: \(method), samples: 6}
                """
            let values = try parseExperiment(text).configurations.map { $0.values.map(\.value) }
            #expect(values.count == 6)
            #expect(Set(values).count == 6, "\(method)")
            #expect(try parseExperiment(text).configurations.map { $0.values.map(\.value) } == values)
        }
    }

    @Test func choiceDrawsNamesForChoiceKeys() throws {
        let spec = try parseExperiment("""
            name: t
            task: {choice: [dipole-3d, dipole-position]}
            lr: {uniform: [0.05, 0.2]}
            search: {method: sobol, samples: 8}
            """)
        let tasks = Set(spec.configurations.map { $0.values[0].value })
        #expect(tasks == [.string("dipole-3d"), .string("dipole-position")])
        #expect(experimentErrorText("name: t\ntask: {uniform: [0, 1]}\nsearch: {method: random, samples: 2}") == """
            x.yaml:2:8: error: 'uniform' draws numbers, but 'task' takes names
            task: {uniform: [0, 1]}
                   ^
            note: use {choice: [...]} to draw one of the names
            """)
    }

    @Test func listedKeysOtherThanSeedMultiplyTheConfigurations() throws {
        let spec = try parseExperiment("""
            name: m
            lr: {uniform: [0.05, 0.2]}
            n_hidden: [100, 225]
            search: {method: random, samples: 2}
            """)
        #expect(spec.configurations.map(\.name) == ["cfg=00,n_hidden=100", "cfg=01,n_hidden=225",
                                                   "cfg=02,n_hidden=100", "cfg=03,n_hidden=225"])
        #expect(spec.configurations[1].values.map(\.key) == [.lr, .nHidden])
        #expect(spec.expand().map(\.label) == spec.configurations.map(\.name))
    }

    @Test func theResolvedFileAndItsJSONLoadBackToTheSameSearch() throws {
        let text = Self.sobol + "\nhalving: {resource: seeds, min: 2, max: 4, eta: 2, confirm: 2}\n"
            + "n_hidden: {int: [16, 64], log: true}\nbatch_size: {choice: [32, 64]}"
        let spec = try parseExperiment(text.replacingOccurrences(of: "seed: [0, 1]\n", with: ""))
        let reloaded = try parseExperiment(spec.yamlText)
        #expect(reloaded == spec)
        let json = try JSONCoding.encoder.encode(spec)
        #expect(try JSONCoding.decoder.decode(ExperimentSpec.self, from: json) == spec)
        #expect(spec.yamlBody.contains("lr: {loguniform: [0.01, 1.0]}\n"))
        #expect(spec.yamlBody.contains("n_hidden: {int: [16, 64], log: true}\n"))
        #expect(spec.yamlBody.contains("search: {method: sobol, samples: 12, seed: 3}\n"))
        #expect(spec.yamlBody.contains("halving: {resource: seeds, min: 2, max: 4, eta: 2, metric: test_mse, "
                                        + "goal: minimize, alpha: 0.05, confirm: 2}\n"))
    }

    @Test func aGridWithoutSearchKeysKeepsItsTextAndHash() throws {
        let spec = try parseExperiment("name: g\nlr: [0.05, 0.1]\nseed: [0, 1]\n")
        #expect(spec.yamlBody == "name: \"g\"\nlr: [0.05, 0.1]\nseed: [0, 1]\n")
        #expect(spec.expand().map(\.label) == ["lr=0.05,seed=0", "lr=0.05,seed=1", "lr=0.1,seed=0", "lr=0.1,seed=1"])
    }

    @Test func theSearchBlockCanBeSetFromTheCommandLine() throws {
        let spec = try parseExperiment(Self.sobol, overrides: ["search={method: random, samples: 3}"])
        #expect(spec.search == SearchSettings(method: .random, samples: 3, seed: 0))
        #expect(spec.configurations.count == 3)
    }

    // MARK: - Bad input: the whole printed error

    static let randomFour = "search: {method: random, samples: 4}"

    @Test(arguments: [
        ("epochs: {uniform: [1, 10]}\n\(randomFour)", """
            x.yaml:2:10: error: 'uniform' draws real numbers, but 'epochs' takes integers
            epochs: {uniform: [1, 10]}
                     ^
            note: use {int: [a, b]} (with 'log: true' for a log scale) or {choice: [...]}
            """),
        ("lr: {int: [1, 3]}\n\(randomFour)", """
            x.yaml:2:6: error: 'int' draws integers, but 'lr' takes real numbers
            lr: {int: [1, 3]}
                 ^
            note: use {uniform: [a, b]} or {loguniform: [a, b]} (or {choice: [...]})
            """),
        ("lr: {uniform: [0, 1]}\n\(randomFour)", """
            x.yaml:2:16: error: 'lr' must be a finite number > 0, got 0.0
            lr: {uniform: [0, 1]}
                           ^
            """),
        ("batch_size: {int: [1, 5000]}\n\(randomFour)", """
            x.yaml:2:23: error: 'batch_size' must not exceed n_train (2000), got 5000
            batch_size: {int: [1, 5000]}
                                  ^
            """),
        ("lr: {uniform: [0.5, 0.1]}\n\(randomFour)", """
            x.yaml:2:21: error: the bounds of 'uniform' for 'lr' must have a < b, got [0.5, 0.1]
            lr: {uniform: [0.5, 0.1]}
                                ^
            """),
        ("lr: {uniform: [0.1, 0.1]}\n\(randomFour)", """
            x.yaml:2:21: error: the bounds of 'uniform' for 'lr' must have a < b, got [0.1, 0.1]
            lr: {uniform: [0.1, 0.1]}
                                ^
            """),
        ("lr: {loguniform: [0, 1]}\n\(randomFour)", """
            x.yaml:2:19: error: 'loguniform' for 'lr' needs a lower bound > 0, got 0.0
            lr: {loguniform: [0, 1]}
                              ^
            """),
        ("n_hidden: {int: [0, 100], log: true}\n\(randomFour)", """
            x.yaml:2:18: error: 'int' with 'log: true' for 'n_hidden' needs a lower bound ≥ 1, got 0
            n_hidden: {int: [0, 100], log: true}
                             ^
            """),
        ("lr: {uniform: [0.1]}\n\(randomFour)", """
            x.yaml:2:15: error: 'uniform' for 'lr' takes two bounds [a, b], got 1 value
            lr: {uniform: [0.1]}
                          ^
            note: a distribution is {uniform: [a, b]}, {loguniform: [a, b]} (a > 0), {int: [a, b]} (optional 'log: true') or {choice: [v1, v2, ...]}
            """),
        ("lr: {lognormal: [0.01, 1]}\n\(randomFour)", """
            x.yaml:2:6: error: unknown distribution 'lognormal' for 'lr'
            lr: {lognormal: [0.01, 1]}
                 ^
            note: a distribution is {uniform: [a, b]}, {loguniform: [a, b]} (a > 0), {int: [a, b]} (optional 'log: true') or {choice: [v1, v2, ...]}
            """),
        ("lr: {unifrom: [0.01, 1]}\n\(randomFour)", """
            x.yaml:2:6: error: unknown distribution 'unifrom' for 'lr' (did you mean 'uniform'?)
            lr: {unifrom: [0.01, 1]}
                 ^
            note: a distribution is {uniform: [a, b]}, {loguniform: [a, b]} (a > 0), {int: [a, b]} (optional 'log: true') or {choice: [v1, v2, ...]}
            """),
        ("batch_size: {choice: [32, 64, 32]}\n\(randomFour)", """
            x.yaml:2:31: error: duplicate value 32 in 'batch_size' (first given at line 2, column 23)
            batch_size: {choice: [32, 64, 32]}
                                          ^
            """),
        ("lr: {loguniform: [0.01, 1]}\nsearch: {method: random, samples: 0}", """
            x.yaml:3:35: error: 'samples' must be between 1 and 10000, got 0
            search: {method: random, samples: 0}
                                              ^
            """),
        ("lr: {loguniform: [0.01, 1]}\nsearch: {method: sobol, samples: 20000}", """
            x.yaml:3:34: error: 'samples' must be between 1 and 10000, got 20000
            search: {method: sobol, samples: 20000}
                                             ^
            """),
        ("lr: {loguniform: [0.01, 1]}\nsearch: {method: sobol}", """
            x.yaml:3:9: error: method sobol needs 'samples', the number of configurations to draw
            search: {method: sobol}
                    ^
            note: e.g. 'search: {method: sobol, samples: 16}'
            """),
        ("lr: {loguniform: [0.01, 1]}", """
            x.yaml:2:5: error: a distribution for 'lr' needs a sampled search, but the method is grid
            lr: {loguniform: [0.01, 1]}
                ^
            note: a distribution is drawn by a sampled search: add 'search: {method: sobol, samples: 16}' (or method: random); method: grid, the default, takes only lists
            """),
        ("lr: {loguniform: [0.01, 1]}\nsearch: {method: grid}", """
            x.yaml:2:5: error: a distribution for 'lr' needs a sampled search, but the method is grid
            lr: {loguniform: [0.01, 1]}
                ^
            note: a distribution is drawn by a sampled search: add 'search: {method: sobol, samples: 16}' (or method: random); method: grid, the default, takes only lists
            """),
        ("lr: [0.1, 0.2]\nsearch: {method: grid, samples: 4}", """
            x.yaml:3:33: error: 'samples' is for method random or sobol; method grid takes every combination
            search: {method: grid, samples: 4}
                                            ^
            """),
        ("lr: [0.1, 0.2]\n\(randomFour)", """
            x.yaml:3:18: error: method random draws configurations, but no key has a distribution
            search: {method: random, samples: 4}
                             ^
            note: give a key a distribution, e.g. 'lr: {loguniform: [0.01, 1]}'
            """),
        ("batch_size: {choice: [32, 64]}\nsearch: {method: random, samples: 3}", """
            x.yaml:3:35: error: 'samples' is 3, but the distributions allow only 2 distinct configurations
            search: {method: random, samples: 3}
                                              ^
            note: configurations are never repeated; ask for at most 2, or use method: grid to take them all
            """),
        ("lr: {loguniform: [0.01, 1]}\nsearch: {method: sobel, samples: 8}", """
            x.yaml:3:18: error: unknown value 'sobel' for 'method' in 'search' (did you mean 'sobol'?)
            search: {method: sobel, samples: 8}
                             ^
            note: 'method' in 'search' is one of grid, random, sobol
            """),
        ("lr: {loguniform: [0.01, 1]}\nsearch: {method: sobol, sample: 8}", """
            x.yaml:3:25: error: unknown key 'sample' in 'search' (did you mean 'samples'?)
            search: {method: sobol, sample: 8}
                                    ^
            note: valid keys are method, samples, seed
            """),
        ("lr: {loguniform: [0.01, 1]}\nsearch: {method: sobol, samples: 8}\nhalving: {resource: seeds, min: 2, max: 8, etaa: 2}", """
            x.yaml:4:44: error: unknown key 'etaa' in 'halving' (did you mean 'eta'?)
            halving: {resource: seeds, min: 2, max: 8, etaa: 2}
                                                       ^
            note: valid keys are resource, min, max, eta, metric, goal, alpha, confirm
            """),
        ("lr: {loguniform: [0.01, 1]}\nsearch: {method: random, samples: 8}\nhalving: {resource: epochs, min: 25, max: 225, metric: test_mes}", """
            x.yaml:4:56: error: unknown metric 'test_mes' for 'metric' in 'halving' (did you mean 'test_mse'?)
            halving: {resource: epochs, min: 25, max: 225, metric: test_mes}
                                                                   ^
            note: the metrics are test_mse, variance_explained, sv1, sv2, sv3, r2_linear, r2_cubic, dl_bits, eff_dim, dims_used, code_bits
            """),
        ("lr: {loguniform: [0.01, 1]}\nseed: [0, 1]\nsearch: {method: sobol, samples: 8}\nhalving: {resource: seeds, min: 2, max: 8}", """
            x.yaml:3:1: error: 'seed' is the halving resource: the search chooses the seeds
            seed: [0, 1]
            ^
            note: remove the list; a fixed 'seed: S' makes the race use seeds S, S+1, …
            """),
        ("lr: {loguniform: [0.01, 1]}\nepochs: 100\nsearch: {method: random, samples: 8}\nhalving: {resource: epochs, min: 25, max: 225}", """
            x.yaml:3:1: error: 'epochs' is the halving resource: rounds train 25 … 225 epochs
            epochs: 100
            ^
            note: remove 'epochs'; 'min' and 'max' in 'halving' set the epochs
            """),
        ("lr: {loguniform: [0.01, 1]}\nsearch: {method: random, samples: 8}\nhalving: {resource: epochs, min: 25, max: 10}", """
            x.yaml:4:43: error: 'max' in 'halving' must be at least 'min' (25), got 10
            halving: {resource: epochs, min: 25, max: 10}
                                                      ^
            """),
        ("lr: [0.1, 0.2]\nhalving: {resource: seeds, min: 2, max: 8, eta: 1}", """
            x.yaml:3:49: error: 'eta' in 'halving' must be between 2 and 100, got 1
            halving: {resource: seeds, min: 2, max: 8, eta: 1}
                                                            ^
            """),
        ("lr: [0.1, 0.2]\nhalving: {resource: seeds, min: 2, max: 8, alpha: 1.5}", """
            x.yaml:3:51: error: 'alpha' in 'halving' must be between 0 and 1 (exclusive), got 1.5
            halving: {resource: seeds, min: 2, max: 8, alpha: 1.5}
                                                              ^
            """),
        ("lr: [0.1, 0.2]\nhalving: {min: 2, max: 8}", """
            x.yaml:3:10: error: the halving block needs 'resource' (seeds or epochs)
            halving: {min: 2, max: 8}
                     ^
            """),
        ("lr: [0.1, 0.2]\nhalving: {resource: seeds, min: 2, max: 8, metric: sv1}", """
            x.yaml:3:52: error: say whether to minimize or maximize 'sv1'
            halving: {resource: seeds, min: 2, max: 8, metric: sv1}
                                                               ^
            note: add 'goal: minimize' or 'goal: maximize' to the halving block
            """),
    ])
    func badSearchInputIsALocatedError(body: String, expected: String) {
        #expect(experimentErrorText("name: x\n" + body) == expected)
    }
}
