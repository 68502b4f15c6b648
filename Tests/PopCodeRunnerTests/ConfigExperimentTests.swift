import PopCode
import Testing
@testable import PopCodeRunner

/// The experiment in `text` (named `x.yaml`) with `overrides`.
func parseExperiment(_ text: String, overrides: [String] = []) throws(ConfigError) -> ExperimentSpec {
    try ExperimentLoader.parse(text: text, displayName: "x.yaml", overrides: overrides)
}

/// The printed error of loading `text` (named `x.yaml`) with `overrides`, or "no error".
func experimentErrorText(_ text: String, overrides: [String] = []) -> String {
    do {
        _ = try parseExperiment(text, overrides: overrides)
        return "no error"
    } catch {
        return error.description
    }
}

/// `key=value` for each parameter, sweeps as lists: `lr=[0.1, 0.2]`.
func parameterSummary(_ spec: ExperimentSpec) -> [String] {
    spec.parameters.map { parameter in
        switch parameter.assignment {
        case .fixed(let value): "\(parameter.key.rawValue)=\(value)"
        case .sweep(let values): "\(parameter.key.rawValue)=[\(values.map(\.description).joined(separator: ", "))]"
        case .distribution(let law): "\(parameter.key.rawValue)=\(law.yamlText)"
        }
    }
}

@Suite("Experiment files")
struct ConfigExperimentTests {
    @Test func theExampleFileReadsInFileOrder() throws {
        let spec = try parseExperiment("""
            # configs/sigma-lr-grid.yaml
            name: sigma-lr-grid          # names the folder runs/<name>/
            description: a small grid
            epochs: 200
            sigma: [0.12, 0.18, 0.24]
            lr: [0.05, 0.1]
            seed: {from: 0, to: 2}
            x-common: &common {n_train: 2000}
            <<: *common
            """)
        #expect(spec.name == "sigma-lr-grid")
        #expect(spec.description == "a small grid")
        #expect(parameterSummary(spec) == ["epochs=200", "sigma=[0.12, 0.18, 0.24]", "lr=[0.05, 0.1]",
                                  "seed=[0, 1, 2]", "n_train=2000"])
        #expect(spec.fixed == [ParameterValue(key: .epochs, value: .int(200)),
                               ParameterValue(key: .nTrain, value: .int(2000))])
        #expect(spec.axes.map(\.key) == [.sigma, .lr, .seed])
        #expect(spec.runCount == 18)
    }

    @Test func blockStyleListsAndFlowStyleListsAreTheSame() throws {
        let block = try parseExperiment("""
            name: g
            lr:
              - 0.05
              - 0.1
            seed:
              from: 0
              to: 1
            """)
        let flow = try parseExperiment("{name: g, lr: [0.05, 0.1], seed: {from: 0, to: 1}}")
        #expect(block == flow)
    }

    @Test func numbersInEveryWrittenForm() throws {
        let spec = try parseExperiment("""
            name: g
            lr: [1e-1, 1.5E+2, .5, 2., 3, +4, 1_000.5]
            sigma: 2.5e-3
            n_train: 10_000
            epochs: +7
            history_every: 010
            """)
        #expect(parameterSummary(spec) == ["lr=[0.1, 150.0, 0.5, 2.0, 3.0, 4.0, 1000.5]", "sigma=0.0025",
                                  "n_train=10000", "epochs=7", "history_every=10"])
        guard case .sweep(let values) = spec.parameters[0].assignment else {
            Issue.record("lr should be swept")
            return
        }
        #expect(values.allSatisfy { if case .double = $0 { true } else { false } })
    }

    @Test func rangesWithAndWithoutStep() throws {
        let spec = try parseExperiment("""
            name: g
            seed: {from: 3, to: 10, step: 3}
            epochs: {from: 5, to: 5}
            n_test: {to: 102, from: 100}
            """)
        #expect(parameterSummary(spec) == ["seed=[3, 6, 9]", "epochs=[5]", "n_test=[100, 101, 102]"])
    }

    @Test func xKeysAreIgnoredButTheirAnchorsWork() throws {
        let spec = try parseExperiment("""
            name: g
            x-sizes: &sizes [100, 200]
            x-anything: {whatever: [1, 2], lrate: no}
            n_test: *sizes
            """)
        #expect(parameterSummary(spec) == ["n_test=[100, 200]"])
    }

    @Test func mergeKeysAtTheTopLevelKeepExplicitValues() throws {
        let spec = try parseExperiment("""
            x-base: &base {epochs: 10, lr: 0.5}
            x-more: &more {lr: 0.7, sigma: 0.2}
            name: g
            <<: [*base, *more]
            lr: [0.1, 0.2]
            """)
        #expect(parameterSummary(spec) == ["epochs=10", "sigma=0.2", "lr=[0.1, 0.2]"])
    }

    @Test func nameAndDescriptionTakeAnyScalarAsText() throws {
        let spec = try parseExperiment("name: 2024.1\ndescription: 'quoted: text'\n")
        #expect(spec.name == "2024.1")
        #expect(spec.description == "quoted: text")
        #expect(try parseExperiment("name: g\ndescription:\n").description == nil)
        #expect(try parseExperiment("name: g\n").parameters.isEmpty)
    }

    @Test func aResolvedExperimentRoundTripsThroughCodable() throws {
        let spec = try parseExperiment("""
            name: g
            description: d
            lr: [0.1, 1.0]
            seed: 3
            """)
        let json = try JSONRoundTrip.encode(spec)
        #expect(json.contains(#""key":"lr""#))
        #expect(json.contains(#""sweep":["#))
        #expect(try JSONRoundTrip.decode(ExperimentSpec.self, from: json) == spec)
    }

    // MARK: - Errors

    @Test func unknownKeySuggestsTheClosestKey() {
        #expect(experimentErrorText("name: g\n  \nlrate: 0.1\n") == """
            x.yaml:3:1: error: unknown key 'lrate' (did you mean 'lr'?)
            lrate: 0.1
            ^
            note: valid keys are name, description, seed, epochs, n_train, n_test, n_hidden, n_implicit, n_enc_hidden, batch_size, lr, sigma, history_every, task, model, code_weight, code_warmup, activity_noise, precision, search, halving, and keys starting with 'x-' (ignored)
            """)
        #expect(experimentErrorText("name: g\nbatchSize: 8\n").hasPrefix("x.yaml:2:1: error: unknown key 'batchSize' (did you mean 'batch_size'?)\n"))
        #expect(experimentErrorText("name: g\nsigam: 8\n").hasPrefix("x.yaml:2:1: error: unknown key 'sigam' (did you mean 'sigma'?)\n"))
        #expect(experimentErrorText("name: g\nlearning_rate: 8\n").hasPrefix("x.yaml:2:1: error: unknown key 'learning_rate'\n"))
    }

    @Test func unknownKeyInsideAMergedMappingIsLocatedWhereItIsWritten() {
        #expect(experimentErrorText("x-a: &a {epoch: 3}\nname: g\n<<: *a\n") == """
            x.yaml:1:10: error: unknown key 'epoch' (did you mean 'epochs'?)
            x-a: &a {epoch: 3}
                     ^
            note: valid keys are name, description, seed, epochs, n_train, n_test, n_hidden, n_implicit, n_enc_hidden, batch_size, lr, sigma, history_every, task, model, code_weight, code_warmup, activity_noise, precision, search, halving, and keys starting with 'x-' (ignored)
            """)
    }

    @Test func duplicateKeyPointsAtTheSecondOccurrence() {
        #expect(experimentErrorText("name: g\nepochs: 3\nlr: 0.1\nlr: 0.2\n") == """
            x.yaml:4:1: error: duplicate key 'lr' (first given at line 3)
            lr: 0.2
            ^
            """)
    }

    @Test func quotedNumberIsAString() {
        #expect(experimentErrorText("name: g\nlr: \"0.1\"\n") == """
            x.yaml:2:5: error: expected a number for 'lr', got the string "0.1" (quoted scalars are strings)
            lr: "0.1"
                ^
            """)
        #expect(experimentErrorText("name: g\nseed: [1, '2']\n") == """
            x.yaml:2:11: error: expected an integer for 'seed', got the string "2" (quoted scalars are strings)
            seed: [1, '2']
                      ^
            """)
        #expect(experimentErrorText("name: g\nlr: abc\n") == """
            x.yaml:2:5: error: expected a number for 'lr', got the string "abc"
            lr: abc
                ^
            """)
    }

    @Test func floatForAnIntegerKey() {
        #expect(experimentErrorText("name: g\nepochs: 2.5\n") == """
            x.yaml:2:9: error: expected an integer for 'epochs', got 2.5
            epochs: 2.5
                    ^
            """)
        #expect(experimentErrorText("name: g\nepochs: [10, 1e3]\n") == """
            x.yaml:2:14: error: expected an integer for 'epochs', got 1e3
            epochs: [10, 1e3]
                         ^
            """)
        #expect(experimentErrorText("name: g\nseed: 99999999999999999999\n") == """
            x.yaml:2:7: error: expected an integer for 'seed', got 99999999999999999999, which is out of range
            seed: 99999999999999999999
                  ^
            """)
    }

    @Test func boolNullAndCollectionsWhereANumberIsExpected() {
        #expect(experimentErrorText("name: g\nlr: true\n") == """
            x.yaml:2:5: error: expected a number for 'lr', got the boolean true
            lr: true
                ^
            """)
        #expect(experimentErrorText("name: g\nepochs: ~\n") == """
            x.yaml:2:9: error: expected an integer for 'epochs', got null
            epochs: ~
                    ^
            """)
        #expect(experimentErrorText("name: g\nepochs:\nlr: 0.1\n") == """
            x.yaml:2:8: error: expected an integer for 'epochs', got no value
            epochs:
                   ^
            """)
        #expect(experimentErrorText("name: g\nlr: [0.1, [0.2]]\n") == """
            x.yaml:2:11: error: expected a number for 'lr', got a list
            lr: [0.1, [0.2]]
                      ^
            """)
        #expect(experimentErrorText("name: g\nsigma: {from: 0.1, to: 0.3}\n") == """
            x.yaml:2:8: error: expected a number, a list of numbers or a distribution for 'sigma', got a mapping
            sigma: {from: 0.1, to: 0.3}
                   ^
            note: ranges {from, to, step} are only for integer keys; a real key takes {uniform: [a, b]}, {loguniform: [a, b]} or {choice: [...]}
            """)
        #expect(experimentErrorText("name: g\nlr: !weird 1\n") == """
            x.yaml:2:5: error: unsupported tag '!weird'
            lr: !weird 1
                ^
            """)
    }

    @Test func outOfRangeValuePointsAtTheListElement() {
        #expect(experimentErrorText("name: g\nlr: [0.1, -1]\n") == """
            x.yaml:2:11: error: 'lr' must be a finite number > 0, got -1.0
            lr: [0.1, -1]
                      ^
            """)
        #expect(experimentErrorText("name: g\nsigma: .inf\n") == """
            x.yaml:2:8: error: 'sigma' must be a finite number > 0, got inf
            sigma: .inf
                   ^
            """)
        #expect(experimentErrorText("name: g\nepochs: 10\nn_hidden:\n  - 10\n  - 0\n") == """
            x.yaml:5:5: error: 'n_hidden' must be at least 1, got 0
              - 0
                ^
            """)
    }

    @Test func theEarliestWrittenBadValueIsReported() {
        // The first failing run (lr=0.1, sigma=-2) is about sigma, but lr's -1 comes first.
        #expect(experimentErrorText("name: g\nlr: [0.1, -1]\nsigma: [0.1, -2]\n") == """
            x.yaml:2:11: error: 'lr' must be a finite number > 0, got -1.0
            lr: [0.1, -1]
                      ^
            """)
    }

    @Test func aRangeValueOutOfRangePointsAtTheBoundAtFault() {
        #expect(experimentErrorText("name: g\nseed: {from: -2, to: 3}\n") == """
            x.yaml:2:14: error: 'seed' must be between 0 and 4294967295, got -2
            seed: {from: -2, to: 3}
                         ^
            """)
        #expect(experimentErrorText("name: g\nseed: {from: 4294967290, to: 4294967300, step: 3}\n") == """
            x.yaml:2:30: error: 'seed' must be between 0 and 4294967295, got 4294967296
            seed: {from: 4294967290, to: 4294967300, step: 3}
                                         ^
            """)
    }

    @Test func crossFieldErrorsPointAtOneOfTheTwoKeys() {
        #expect(experimentErrorText("name: g\nbatch_size: 500\nn_train: [1000, 100]\n") == """
            x.yaml:2:13: error: 'batch_size' must not exceed n_train (100), got 500
            batch_size: 500
                        ^
            """)
        #expect(experimentErrorText("name: g\nn_train: 10\n") == """
            x.yaml:2:10: error: 'batch_size' must not exceed n_train (10), got 64
            n_train: 10
                     ^
            note: 'batch_size' is not given, so it has its default value 64
            """)
    }

    @Test func emptySweep() {
        #expect(experimentErrorText("name: g\nlr: []\n") == """
            x.yaml:2:5: error: empty list for 'lr': a sweep needs at least one value
            lr: []
                ^
            """)
    }

    @Test func duplicateValuesInASweep() {
        #expect(experimentErrorText("name: g\nlr:\n  - 0.1\n  - 0.2\n  - 1e-1\n") == """
            x.yaml:5:5: error: duplicate value 0.1 in 'lr' (first given at line 3)
              - 1e-1
                ^
            """)
        #expect(experimentErrorText("name: g\nseed: [1, 2, 1]\n") == """
            x.yaml:2:14: error: duplicate value 1 in 'seed' (first given at line 2, column 8)
            seed: [1, 2, 1]
                         ^
            """)
    }

    @Test func badRanges() {
        #expect(experimentErrorText("name: g\nseed: {from: 5, to: 1}\n") == """
            x.yaml:2:21: error: the range for 'seed' is empty: 'to' (1) is less than 'from' (5)
            seed: {from: 5, to: 1}
                                ^
            """)
        #expect(experimentErrorText("name: g\nseed: {from: 0, to: 9, step: 0}\n") == """
            x.yaml:2:30: error: 'step' in the range for 'seed' must be greater than 0, got 0
            seed: {from: 0, to: 9, step: 0}
                                         ^
            """)
        #expect(experimentErrorText("name: g\nseed: {from: 0}\n") == """
            x.yaml:2:7: error: the range for 'seed' needs 'to'
            seed: {from: 0}
                  ^
            note: a range takes 'from', 'to' and an optional 'step' (> 0), e.g. {from: 0, to: 9}
            """)
        #expect(experimentErrorText("name: g\nseed: {form: 0, to: 9}\n") == """
            x.yaml:2:8: error: unknown key 'form' in the range for 'seed' (did you mean 'from'?)
            seed: {form: 0, to: 9}
                   ^
            note: a range takes 'from', 'to' and an optional 'step' (> 0), e.g. {from: 0, to: 9}
            """)
        #expect(experimentErrorText("name: g\nseed: {from: 0, to: 2.5}\n") == """
            x.yaml:2:21: error: expected an integer for 'to' in the range for 'seed', got 2.5
            seed: {from: 0, to: 2.5}
                                ^
            """)
    }

    @Test func tooManyValuesOrRuns() {
        #expect(experimentErrorText("name: g\nseed: {from: 0, to: 100000}\n") == """
            x.yaml:2:7: error: the range for 'seed' has 100001 values, more than the limit of 100000
            seed: {from: 0, to: 100000}
                  ^
            """)
        #expect(experimentErrorText("name: g\nseed: {from: 0, to: 99999}\n") == "no error")
        #expect(experimentErrorText("name: g\nseed: {from: 0, to: 999}\nlr: [0.1, 0.2]\nn_test: {from: 1, to: 100}\n") == """
            x.yaml:4:1: error: the sweep has more than 100000 runs
            n_test: {from: 1, to: 100}
            ^
            note: runs = seed (1000) × lr (2) × n_test (100) = 200000
            """)
    }

    @Test func missingName() {
        #expect(experimentErrorText("# a comment\nlr: 0.1\n") == """
            x.yaml:2:1: error: missing required key 'name'
            lr: 0.1
            ^
            note: the name says where runs are stored, e.g. 'name: sigma-grid' for runs/sigma-grid/
            """)
    }

    @Test func badName() {
        #expect(experimentErrorText("name: ../evil\n") == """
            x.yaml:1:7: error: invalid name '../evil'
            name: ../evil
                  ^
            note: a name has letters, digits, '.', '_' and '-', and starts with a letter or digit
            """)
        #expect(experimentErrorText("name: [a]\n") == """
            x.yaml:1:7: error: expected text for 'name', got a list
            name: [a]
                  ^
            """)
        #expect(experimentErrorText("name:\n") == """
            x.yaml:1:6: error: expected a name for 'name', got null
            name:
                 ^
            """)
        #expect(experimentErrorText("name: ok.name_1-2\n") == "no error")
        let long = String(repeating: "a", count: 101)
        #expect(experimentErrorText("name: \(long)\n") == """
            x.yaml:1:7: error: the name has 101 characters, more than the limit of 100
            name: \(long)
                  ^
            """)
    }

    @Test func keysMustBeScalars() {
        #expect(experimentErrorText("name: g\n? [lr]\n: 0.1\n") == """
            x.yaml:2:3: error: keys must be scalars, got a list
            ? [lr]
              ^
            """)
    }

    @Test func topLevelMustBeAMapping() {
        #expect(experimentErrorText("- name: g\n") == """
            x.yaml:1:1: error: the top level must be a mapping of keys to values, got a list
            - name: g
            ^
            """)
    }

    @Test func syntaxErrorInAnExperimentFile() {
        #expect(experimentErrorText("name: g\nlr: [0.1,\nsigma: 0.2\n") == """
            x.yaml:4:1: error: did not find expected ',' or ']' while parsing a flow sequence

            ^
            note: the flow sequence started at line 2, column 5
            """)
        #expect(experimentErrorText("name: g\nlr: 0.1\n  sigma: 0.2\n") == """
            x.yaml:3:8: error: mapping values are not allowed in this context
              sigma: 0.2
                   ^
            """)
    }
}
