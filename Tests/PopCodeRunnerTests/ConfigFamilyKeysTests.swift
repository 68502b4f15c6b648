import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

@Suite("Family keys: task, model and the mdl model's keys")
struct ConfigFamilyKeysTests {
    /// Ids committed before these keys existed stay the same; a spec that sets one gets
    /// `key=value` in its sorted place (golden ids computed independently with Python).
    @Test func newKeysAtTheirDefaultLeaveTheIdUnchanged() {
        #expect(RunSpec().id == "64c2e3fecc1e9317")
        #expect(RunSpec(task: .dipole3D, model: .bottleneck, codeWeight: 0.3, codeWarmup: 30,
                        activityNoise: 0.1).id == "64c2e3fecc1e9317")
        #expect(RunSpec(task: .bars).canonicalText == "batch_size=64,epochs=200,history_every=1,lr=0.1,n_enc_hidden=64,n_hidden=225,n_implicit=3,n_test=500,n_train=2000,seed=0,sigma=0.18,task=bars")
        #expect(RunSpec(task: .bars).id == "db508a851ba8ac81")
        let mdl = RunSpec(model: .mdl, codeWeight: 1.0)
        #expect(mdl.canonicalText == "batch_size=64,code_weight=1.0,epochs=200,history_every=1,lr=0.1,model=mdl,n_enc_hidden=64,n_hidden=225,n_implicit=3,n_test=500,n_train=2000,seed=0,sigma=0.18")
        #expect(mdl.id == "d7e33efbc522ff1e")
    }

    @Test func stringKeysReadFromFilesAndOverrides() throws {
        let spec = try parseExperiment("""
            name: g
            task: dipole-position
            model: [bottleneck, mdl]
            """, overrides: ["task=bars"])
        #expect(parameterSummary(spec) == ["task=bars", "model=[bottleneck, mdl]"])
        let runs = spec.expand()
        #expect(runs.map(\.spec.task) == [.bars, .bars])
        #expect(runs.map(\.spec.model) == [.bottleneck, .mdl])
        #expect(runs.map(\.label) == ["model=bottleneck", "model=mdl"])
        let quoted = try parseExperiment("name: g\ntask: \"bars\"\n").expand()
        #expect(quoted[0].spec.task == .bars)
    }

    @Test func theMdlKeysTakeNumbers() throws {
        let runs = try parseExperiment("""
            name: g
            model: mdl
            code_weight: [0.3, 1]
            code_warmup: 0
            activity_noise: 0.5
            """).expand()
        #expect(runs.map(\.spec.codeWeight) == [0.3, 1.0])
        #expect(runs.allSatisfy { $0.spec.codeWarmup == 0 && $0.spec.activityNoise == 0.5 })
        #expect(runs.map(\.label) == ["code_weight=0.3", "code_weight=1.0"])
    }

    @Test func aKeyThatAppliesToNoRunIsALocatedError() {
        #expect(experimentErrorText("name: g\nepochs: 3\ncode_weight: 0.5\n") == """
            x.yaml:3:1: error: 'code_weight' does not apply to model bottleneck
            code_weight: 0.5
            ^
            note: 'code_weight', 'code_warmup', 'activity_noise' are keys of model mdl: set 'model: mdl' (or sweep 'model'), or remove 'code_weight'
            """)
        // Even at its default value: a key given is a key meant.
        #expect(experimentErrorText("name: g\nmodel: bottleneck\nactivity_noise: 0.1\n").hasPrefix(
            "x.yaml:3:1: error: 'activity_noise' does not apply to model bottleneck"))
        #expect(experimentErrorText("name: g\n", overrides: ["code_warmup=5"]).hasPrefix(
            "--set code_warmup=5:1:1: error: 'code_warmup' does not apply to model bottleneck"))
        #expect(experimentErrorText("name: g\nmodel: mdl\n", overrides: ["model=bottleneck", "code_warmup=5"])
            .hasPrefix("--set code_warmup=5:1:1: error: 'code_warmup' does not apply to model bottleneck"))
    }

    /// In a sweep over `model`, the mdl keys apply to the mdl runs only: the bottleneck runs
    /// keep the defaults, are labelled without them and are listed once.
    @Test func aSweepOverModelListsEachBottleneckRunOnce() throws {
        let runs = try parseExperiment("""
            name: g
            model: [bottleneck, mdl]
            sigma: [0.1, 0.2]
            code_weight: [0.3, 1.0]
            """).expand()
        #expect(runs.map(\.label) == ["model=bottleneck,sigma=0.1", "model=bottleneck,sigma=0.2",
                                      "model=mdl,sigma=0.1,code_weight=0.3", "model=mdl,sigma=0.1,code_weight=1.0",
                                      "model=mdl,sigma=0.2,code_weight=0.3", "model=mdl,sigma=0.2,code_weight=1.0"])
        #expect(runs.map(\.index) == Array(0..<6))
        #expect(Set(runs.map(\.id)).count == 6)
        #expect(runs[0].spec == RunSpec(sigma: 0.1))
        #expect(runs[0].id == RunSpec(sigma: 0.1).id)
    }

    @Test func badNamesAreLocatedWithASuggestion() {
        #expect(experimentErrorText("name: g\ntask: dipole3d\n") == """
            x.yaml:2:7: error: unknown task "dipole3d" (did you mean 'dipole-3d'?)
            task: dipole3d
                  ^
            note: 'task' is one of dipole-3d, dipole-position, bars
            """)
        #expect(experimentErrorText("name: g\nmodel: [mdl, MDL2]\n").hasPrefix(
            "x.yaml:2:14: error: unknown model \"MDL2\""))
        #expect(experimentErrorText("name: g\nmodel: [mdl, mdl]\n").hasPrefix(
            "x.yaml:2:14: error: duplicate value mdl in 'model'"))
        #expect(experimentErrorText("name: g\ntask: {from: 0, to: 1}\n").hasPrefix(
            "x.yaml:2:7: error: expected a name or a list of names for 'task', got a mapping"))
        #expect(experimentErrorText("name: g\ntask: 3\n").hasPrefix("x.yaml:2:7: error: unknown task \"3\""))
        #expect(experimentErrorText("name: g\ntask:\n").hasPrefix("x.yaml:2:6: error: unknown task no value"))
        #expect(experimentErrorText("name: g\nmodel: mdl\ncode_weight: fast\n").hasPrefix(
            "x.yaml:3:14: error: expected a number for 'code_weight', got the string \"fast\""))
        #expect(experimentErrorText("name: g\nmodel: mdl\ncode_warmup: 1.5\n").hasPrefix(
            "x.yaml:3:14: error: expected an integer for 'code_warmup', got 1.5"))
        #expect(experimentErrorText("name: g\nmodel: mdl\ncode_weight: -1\n").hasPrefix(
            "x.yaml:3:14: error: 'code_weight' must be a finite number >= 0, got -1.0"))
    }

    @Test func resolvedExperimentsRoundTripThroughYAMLAndJSON() throws {
        let spec = try parseExperiment("name: g\ntask: bars\nmodel: [bottleneck, mdl]\ncode_weight: 0.5\n")
        #expect(spec.yamlBody == "name: \"g\"\ntask: bars\nmodel: [bottleneck, mdl]\ncode_weight: 0.5\n")
        #expect(try parseExperiment(spec.yamlBody) == spec)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(spec)
        #expect(String(decoding: json, as: UTF8.self).contains(#"{"key":"task","value":"bars"}"#))
        #expect(try JSONDecoder().decode(ExperimentSpec.self, from: json) == spec)
        let wrong = Data(#"{"name":"g","parameters":[{"key":"task","value":"cats"}]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ExperimentSpec.self, from: wrong) }
    }

    /// Specs stored before the family keys existed (checkpoints, metrics.json) still load.
    @Test func storedSpecsWithoutTheNewKeysDecodeToTheDefaults() throws {
        let old = #"{"seed":1,"epochs":5,"n_train":48,"n_test":24,"n_hidden":12,"n_implicit":2,"n_enc_hidden":8,"batch_size":16,"lr":0.1,"sigma":0.3,"history_every":1}"#
        let spec = try JSONDecoder().decode(RunSpec.self, from: Data(old.utf8))
        #expect(spec == RunSpec(seed: 1, epochs: 5, nTrain: 48, nTest: 24, nHidden: 12, nImplicit: 2,
                                nEncHidden: 8, batchSize: 16, lr: 0.1, sigma: 0.3))
        let new = RunSpec(task: .bars, model: .mdl, codeWeight: 2, codeWarmup: 4, activityNoise: 0)
        #expect(try JSONDecoder().decode(RunSpec.self, from: JSONEncoder().encode(new)) == new)
        // Stored specs name task and model; the mdl keys only where they apply.
        let stored = try JSONSerialization.jsonObject(with: JSONEncoder().encode(RunSpec())) as! [String: Any]
        #expect(stored["task"] as? String == "dipole-3d" && stored["model"] as? String == "bottleneck")
        #expect(stored.count == 14 && stored["code_weight"] == nil && stored["precision"] as? String == "float64")
    }

    @Test func theCoreRefusesAnMdlKeyOffItsDefaultForTheBottleneck() {
        #expect(throws: RunSpecError.self) { try RunSpec(codeWeight: 1).validate() }
        #expect(throws: RunSpecError.self) { try RunSpec(codeWarmup: 0).validate() }
        #expect(throws: RunSpecError.self) { try RunSpec(activityNoise: 0.2).validate() }
        #expect(throws: Never.self) { try RunSpec(model: .mdl, codeWeight: 1, codeWarmup: 0).validate() }
        #expect(RunSpec().applies(.codeWeight) == false)
        #expect(RunSpec(model: .mdl).applies(.codeWeight))
        #expect(RunSpec().applies(.task) && RunSpec().applies(.sigma))
    }

    /// The experiment files of the Findings load and expand as their comments say.
    @Test func theFindingsConfigsExpandAsDocumented() throws {
        let configs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../configs").standardized
        func runs(_ name: String) throws -> [PlannedRun] {
            try ExperimentLoader.load(path: configs.appendingPathComponent(name + ".yaml").path).expand()
        }
        let sister = try runs("sister-2d"), bars = try runs("what-where")
        #expect(sister.count == 10 && sister.allSatisfy { $0.spec.task == .dipolePosition && $0.spec.nHidden == 100 })
        #expect(bars.count == 10 && bars.allSatisfy { $0.spec.task == .bars && $0.spec.nImplicit == 2 })
        let wide = try runs("wide-k10")
        #expect(wide.count == 30)
        #expect(wide.filter { $0.spec.model == .bottleneck }.count == 10)
        #expect(wide.allSatisfy { $0.spec.nImplicit == 10 })
        let explore = try runs("mdl-explore")
        #expect(explore.count == 45 && Set(explore.map(\.spec.seed)) == [0, 1, 2, 3, 4])
    }

    @Test func comparisonShowsADashForKeysThatDoNotApply() {
        let values = Comparison.keyValues(RunSpec(task: .bars))
        #expect(values["task"] == "bars" && values["model"] == "bottleneck")
        #expect(values["code_weight"] == "-" && values["sigma"] == "0.18")
        #expect(Comparison.keyValues(RunSpec(model: .mdl))["code_weight"] == "0.3")
    }
}
