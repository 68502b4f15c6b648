import PopCode
import Testing
@testable import PopCodeRunner

@Suite("--set overrides")
struct ConfigOverrideTests {
    private let grid = """
        name: g
        seed: 0
        sigma: [0.12, 0.18]
        lr: [0.05, 0.1]
        """

    @Test func replacingAnAxisByAFixedValueKeepsItsPlace() throws {
        let spec = try parseExperiment(grid, overrides: ["sigma=0.3"])
        #expect(parameterSummary(spec) == ["seed=0", "sigma=0.3", "lr=[0.05, 0.1]"])
    }

    @Test func replacingAFixedValueByAnAxisKeepsItsPlaceInTheGrid() throws {
        let spec = try parseExperiment(grid, overrides: ["seed=[0,1,2]"])
        #expect(parameterSummary(spec) == ["seed=[0, 1, 2]", "sigma=[0.12, 0.18]", "lr=[0.05, 0.1]"])
        let runs = spec.expand()
        #expect(runs.count == 12)
        #expect(runs[0].label == "seed=0,sigma=0.12,lr=0.05")
        #expect(runs[4].label == "seed=1,sigma=0.12,lr=0.05")
    }

    @Test func replacingAnAxisByAnotherAxisAndARange() throws {
        let spec = try parseExperiment(grid, overrides: ["lr=[1e-2, 1e-3]", "seed={from: 0, to: 9}"])
        #expect(parameterSummary(spec) == ["seed=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]", "sigma=[0.12, 0.18]",
                                  "lr=[0.01, 0.001]"])
        #expect(spec.runCount == 40)
    }

    @Test func aNewKeyIsAppendedAndTheLastOverrideWins() throws {
        let spec = try parseExperiment(grid, overrides: ["epochs=5", " n_train = 100", "epochs=7"])
        #expect(parameterSummary(spec) == ["seed=0", "sigma=[0.12, 0.18]", "lr=[0.05, 0.1]", "epochs=7", "n_train=100"])
    }

    @Test func nameAndDescription() throws {
        let spec = try parseExperiment(grid, overrides: ["name=quick-check", "description=a fast look"])
        #expect(spec.name == "quick-check")
        #expect(spec.description == "a fast look")
    }

    @Test func anOverrideCanFixAnInvalidFileValue() throws {
        #expect(try parseExperiment("name: g\nlr: -1\n", overrides: ["lr=0.2"]).fixed
                == [ParameterValue(key: .lr, value: .double(0.2))])
    }

    @Test func applyingOverridesToAResolvedSpec() throws {
        let spec = try parseExperiment(grid)
        #expect(try spec.applying(overrides: ["seed=[0,1,2]"]) == parseExperiment(grid, overrides: ["seed=[0,1,2]"]))
        #expect(try spec.applying(overrides: []) == spec)
    }

    // MARK: - Errors

    @Test func missingEquals() {
        #expect(experimentErrorText(grid, overrides: ["lr"]) == """
            --set lr:1:1: error: expected key=value, got 'lr'
            lr
            ^
            note: for example --set lr=0.05 or --set seed=[0,1,2]
            """)
        #expect(experimentErrorText(grid, overrides: ["=3"]) == """
            --set =3:1:1: error: missing key before '='
            =3
            ^
            note: for example --set lr=0.05 or --set seed=[0,1,2]
            """)
        // The argument's trailing space is part of the printed line.
        #expect(experimentErrorText(grid, overrides: ["lr= "])
                == "--set lr= :1:4: error: missing value after '=' for 'lr'\nlr= \n   ^")
    }

    @Test func unknownKeyInAnOverride() {
        #expect(experimentErrorText(grid, overrides: ["  sigm=0.1"]) == """
            --set   sigm=0.1:1:3: error: unknown key 'sigm' (did you mean 'sigma'?)
              sigm=0.1
              ^
            note: valid keys are name, description, seed, epochs, n_train, n_test, n_hidden, n_implicit, n_enc_hidden, batch_size, lr, sigma, history_every, task, model, code_weight, code_warmup, activity_noise, precision, search, halving
            """)
        #expect(experimentErrorText(grid, overrides: ["x-common=1"]).hasPrefix("--set x-common=1:1:1: error: unknown key 'x-common'\n"))
    }

    @Test func badValueIsLocatedInsideTheArgument() {
        #expect(experimentErrorText(grid, overrides: ["lr=abc"]) == """
            --set lr=abc:1:4: error: expected a number for 'lr', got the string "abc"
            lr=abc
               ^
            """)
        #expect(experimentErrorText(grid, overrides: ["epochs=1", "lr=[0.1,-1]"]) == """
            --set lr=[0.1,-1]:1:9: error: 'lr' must be a finite number > 0, got -1.0
            lr=[0.1,-1]
                    ^
            """)
        #expect(experimentErrorText(grid, overrides: ["seed={from: 0, to: 1.5}"]) == """
            --set seed={from: 0, to: 1.5}:1:20: error: expected an integer for 'to' in the range for 'seed', got 1.5
            seed={from: 0, to: 1.5}
                               ^
            """)
        #expect(experimentErrorText(grid, overrides: ["name=a b"]) == """
            --set name=a b:1:6: error: invalid name 'a b'
            name=a b
                 ^
            note: a name has letters, digits, '.', '_' and '-', and starts with a letter or digit
            """)
    }

    @Test func syntaxErrorInAnOverrideValue() {
        #expect(experimentErrorText(grid, overrides: ["seed=[0, 1"]) == """
            --set seed=[0, 1:1:11: error: did not find expected ',' or ']' while parsing a flow sequence
            seed=[0, 1
                      ^
            note: the flow sequence started at line 1, column 6
            """)
    }

    @Test func crossFieldErrorCausedByAnOverridePointsAtIt() {
        #expect(experimentErrorText(grid, overrides: ["n_train=10"]) == """
            --set n_train=10:1:9: error: 'batch_size' must not exceed n_train (10), got 64
            n_train=10
                    ^
            note: 'batch_size' is not given, so it has its default value 64
            """)
    }

    @Test func fileErrorsComeBeforeOverrideErrors() {
        // The first run fails on the override's sigma, but the file's lr is reported first.
        #expect(experimentErrorText("name: g\nlr: [0.1, -1]\n", overrides: ["sigma=[-2, 0.1]"]) == """
            x.yaml:2:11: error: 'lr' must be a finite number > 0, got -1.0
            lr: [0.1, -1]
                      ^
            """)
    }

    @Test func errorsOfAValueWithoutLocationNameTheExperiment() {
        let spec = ExperimentSpec(name: "g", parameters: [.init(key: .lr, assignment: .fixed(.double(-1)))])
        #expect(throws: ConfigError(file: "experiment 'g'", message: "'lr' must be a finite number > 0, got -1.0")) {
            try spec.applying(overrides: [])
        }
    }
}

@Suite("Validating hand-made specs")
struct ConfigHandMadeSpecTests {
    private func failure(_ parameters: [ExperimentSpec.Parameter], name: String = "g") -> String {
        do {
            _ = try ExperimentSpec(name: name, parameters: parameters).applying(overrides: [])
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func structureIsCheckedWithoutCrashing() {
        #expect(failure([.init(key: .seed, assignment: .fixed(.double(1.5)))])
                == "experiment 'g': error: expected an integer for 'seed', got 1.5")
        #expect(failure([.init(key: .lr, assignment: .sweep([]))])
                == "experiment 'g': error: empty list for 'lr': a sweep needs at least one value")
        #expect(failure([.init(key: .lr, assignment: .sweep([.double(1), .int(1)]))])
                == "experiment 'g': error: duplicate value 1.0 in 'lr'")
        #expect(failure([.init(key: .lr, assignment: .fixed(.double(1))),
                         .init(key: .lr, assignment: .fixed(.double(2)))])
                == "experiment 'g': error: duplicate key 'lr'")
        #expect(failure([], name: "") == "experiment '': error: invalid name ''\nnote: a name has letters, digits, '.', '_' and '-', and starts with a letter or digit")
    }

    @Test func valuesAreTypedByKey() throws {
        let spec = try ExperimentSpec(name: "g", parameters: [.init(key: .lr, assignment: .sweep([.int(1), .double(2)])),
                                                              .init(key: .seed, assignment: .fixed(.double(3)))])
            .applying(overrides: [])
        #expect(spec.parameters == [.init(key: .lr, assignment: .sweep([.double(1), .double(2)])),
                                    .init(key: .seed, assignment: .fixed(.int(3)))])
    }
}
