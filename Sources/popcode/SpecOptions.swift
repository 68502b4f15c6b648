import ArgumentParser
import PopCode

/// One flag per `RunSpec` field, kebab-case, defaults from `RunSpec()`.
struct SpecOptions: ParsableArguments {
    private static let defaults = RunSpec()

    @Option(help: "Seed of the training data, initial weights and shuffles (test data: seed + 1000).")
    var seed = defaults.seed
    @Option(help: "Training epochs.") var epochs = defaults.epochs
    @Option(help: "Training images.") var nTrain = defaults.nTrain
    @Option(help: "Test images.") var nTest = defaults.nTest
    @Option(help: "Radial-basis units (bumps) in the population code.") var nHidden = defaults.nHidden
    @Option(help: "Dimension of the implicit space m̂.") var nImplicit = defaults.nImplicit
    @Option(help: "Width of the encoder's tanh layer.") var nEncHidden = defaults.nEncHidden
    @Option(help: "Minibatch size.") var batchSize = defaults.batchSize
    @Option(help: "SGD learning rate.") var lr = defaults.lr
    @Option(help: "Bump width σ.") var sigma = defaults.sigma
    @Option(help: "Record the training history every N epochs.") var historyEvery = defaults.historyEvery
    @Option(help: "What the images show.") var task = defaults.task
    @Option(help: "bottleneck: m̂ is the encoder's output; mdl: m̂ is the centre of softmax activities under a code cost.")
    var model = defaults.model
    @Option(help: ArgumentHelp("Weight of the code cost KL(a ‖ bump) (model mdl; default \(defaults.codeWeight)).",
                               valueName: "w"))
    var codeWeight: Double?
    @Option(help: ArgumentHelp("Epochs over which the code weight ramps up (model mdl; default \(defaults.codeWarmup)).",
                               valueName: "n"))
    var codeWarmup: Int?
    @Option(help: ArgumentHelp("Noise sd on the activities in training (model mdl; default \(defaults.activityNoise)).",
                               valueName: "sd"))
    var activityNoise: Double?
    @Option(help: "float64: double precision, equal to the numpy baseline; float32: single precision (faster).")
    var precision = defaults.precision

    /// The flags given for keys that do not apply to `--model`, as `--code-weight`.
    var inapplicableFlags: [String] {
        let given: [(RunSpec.CodingKeys, Bool)] = [(.codeWeight, codeWeight != nil), (.codeWarmup, codeWarmup != nil),
                                                   (.activityNoise, activityNoise != nil)]
        let spec = self.spec
        return given.filter { $0.1 && !spec.applies($0.0) }.map { Self.flag($0.0) }
    }

    /// The flag of a spec key: `--code-weight` for `code_weight`.
    static func flag(_ key: RunSpec.CodingKeys) -> String {
        "--" + key.rawValue.replacingOccurrences(of: "_", with: "-")
    }

    var spec: RunSpec {
        RunSpec(seed: seed, epochs: epochs, nTrain: nTrain, nTest: nTest, nHidden: nHidden,
                nImplicit: nImplicit, nEncHidden: nEncHidden, batchSize: batchSize, lr: lr,
                sigma: sigma, historyEvery: historyEvery, task: task, model: model,
                codeWeight: codeWeight ?? Self.defaults.codeWeight,
                codeWarmup: codeWarmup ?? Self.defaults.codeWarmup,
                activityNoise: activityNoise ?? Self.defaults.activityNoise, precision: precision)
    }
}

extension TaskKind: ExpressibleByArgument {}
extension ModelKind: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {}
