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

    var spec: RunSpec {
        RunSpec(seed: seed, epochs: epochs, nTrain: nTrain, nTest: nTest, nHidden: nHidden,
                nImplicit: nImplicit, nEncHidden: nEncHidden, batchSize: batchSize, lr: lr,
                sigma: sigma, historyEvery: historyEvery)
    }
}
