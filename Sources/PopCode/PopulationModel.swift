/// What the trainer asks of a model (`RunSpec.model`): passes over raw row-major buffers,
/// gradients, an SGD step. `Network` is the bottleneck, `MDLNetwork` the mdl model.
protocol PopulationModel: AnyObject {
    /// m̂ (`n × K`) and x̂ (`n × 64`) of the last pass.
    var m: UnsafeMutablePointer<Double> { get }
    var reconstruction: UnsafeMutablePointer<Double> { get }
    var currentParameters: Parameters { get }
    var currentGradients: Parameters { get }
    /// The evaluation pass (no training noise) on the `n` rows of `x`.
    func forward(_ x: UnsafePointer<Double>, rows n: Int)
    /// The training loss of the `n` rows of `x` in epoch `epoch` (0-based), leaving its
    /// gradients for `step`.
    func trainingLoss(_ x: UnsafePointer<Double>, rows n: Int, epoch: Int) -> Double
    func step(learningRate lr: Double)
    /// One training step on the `n` rows of `x` in epoch `epoch`: its loss (before the step),
    /// then `p ← p − lr · ∂L/∂p`. By default `trainingLoss` then `step`.
    func trainingStep(_ x: UnsafePointer<Double>, rows n: Int, epoch: Int, learningRate lr: Double) -> Double
    /// The code cost of the last pass in bits per image, nil for a model without one.
    func codeBits(rows n: Int) -> Double?
    /// The training noise stream, for checkpoints; nil for a model without one.
    var noiseStream: RandomGenerator? { get set }
}

extension PopulationModel {
    func trainingStep(_ x: UnsafePointer<Double>, rows n: Int, epoch: Int, learningRate lr: Double) -> Double {
        let loss = trainingLoss(x, rows: n, epoch: epoch)
        step(learningRate: lr)
        return loss
    }
}

extension BottleneckNetwork: PopulationModel {
    func trainingLoss(_ x: UnsafePointer<Double>, rows n: Int, epoch: Int) -> Double {
        lossAndGradients(x, rows: n)
    }

    func trainingStep(_ x: UnsafePointer<Double>, rows n: Int, epoch: Int, learningRate lr: Double) -> Double {
        trainingStep(x, rows: n, learningRate: lr)
    }

    func codeBits(rows n: Int) -> Double? { nil }

    var noiseStream: RandomGenerator? {
        get { nil }
        set { precondition(newValue == nil, "the bottleneck has no noise stream") }
    }
}

extension MDLNetwork: PopulationModel {
    func forward(_ x: UnsafePointer<Double>, rows n: Int) {
        forward(x, rows: n, noise: nil)
    }

    func trainingLoss(_ x: UnsafePointer<Double>, rows n: Int, epoch: Int) -> Double {
        lossAndGradients(x, rows: n, epoch: epoch)
    }

    func codeBits(rows n: Int) -> Double? { meanCodeBits(rows: n) }

    var noiseStream: RandomGenerator? {
        get { noise }
        set { if let newValue { noise = newValue } }
    }
}
