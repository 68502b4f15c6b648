/// Everything needed to continue a run exactly where it stopped: a checkpoint.
///
/// The data are not stored: they are regenerated from the seed, bit for bit.
public struct TrainingState: Sendable, Hashable, Codable {
    public var spec: RunSpec
    public var epochsDone: Int
    public var parameters: Parameters
    /// The generator of the per-epoch shuffles, positioned after `epochsDone` permutations.
    public var shuffle: RandomGenerator
    /// The mdl model's training noise stream, positioned after `epochsDone` epochs; nil for
    /// the bottleneck (and in checkpoints written before the mdl model existed).
    public var noise: RandomGenerator?
    public var history: History
    public var snapshots: [ImplicitSnapshot]
    public var trainSeconds: Double
}

/// What one epoch did, for progress displays.
public struct EpochReport: Sendable, Hashable {
    /// Epochs completed so far (1 after the first epoch).
    public var epochsDone: Int
    public var epochs: Int
    public var loss: Double
    /// Train MSE, when this epoch's history was recorded.
    public var mse: Double?
}

/// Trains one run of any task and model: minibatch SGD on the model's loss, the order
/// reshuffled every epoch by a `default_rng(seed)` stream, exactly as the numpy references.
///
/// A class because it owns the network's buffers; one per run, used from one thread.
public final class Trainer {
    public let spec: RunSpec
    public let train: TaskData
    public let test: TaskData
    private let network: any PopulationModel
    private var shuffle: RandomGenerator
    private var history: History
    private var snapshots: [ImplicitSnapshot]
    private var trainSeconds: Double
    public private(set) var epochsDone: Int
    private let batch: UnsafeMutablePointer<Double>
    /// The history pass's x̂ and m̂ of the training set, reused from epoch to epoch (a fresh
    /// 1 MB array each epoch cost more in page faults than the copy itself).
    private var trainReconstruction: Matrix
    private var trainImplicit: Matrix

    /// A fresh run: data from `seed` (train) and `seed + 1000` (test), the baseline's
    /// initial weights, epoch 0.
    public convenience init(spec: RunSpec) throws(TrainingError) {
        do { try spec.validate() } catch { throw .invalidSpec(error) }
        self.init(validSpec: spec, parameters: Parameters(spec: spec),
                  shuffle: RandomGenerator(seed: UInt64(spec.seed)), noise: Self.noiseStream(spec), history: History(),
                  snapshots: [], trainSeconds: 0, epochsDone: 0)
    }

    /// A run continued from a checkpoint.
    public convenience init(resuming state: TrainingState) throws(TrainingError) {
        let spec = state.spec
        do { try spec.validate() } catch { throw .invalidSpec(error) }
        let shapes = Parameters.shapes(for: spec)
        let shapesMatch = zip(state.parameters.all, shapes).allSatisfy {
            $0.rows == $1.rows && $0.columns == $1.columns
        }
        guard shapesMatch else { throw .incompatibleState("parameter shapes do not match the spec") }
        guard (0...spec.epochs).contains(state.epochsDone) else {
            throw .incompatibleState("epoch \(state.epochsDone) is outside 0...\(spec.epochs)")
        }
        guard (state.noise == nil) == (spec.model == .bottleneck) else {
            throw .incompatibleState("the checkpoint's noise stream does not match model \(spec.model.rawValue)")
        }
        self.init(validSpec: spec, parameters: state.parameters, shuffle: state.shuffle, noise: state.noise,
                  history: state.history, snapshots: state.snapshots,
                  trainSeconds: state.trainSeconds, epochsDone: state.epochsDone)
    }

    private init(validSpec spec: RunSpec, parameters: Parameters, shuffle: RandomGenerator, noise: RandomGenerator?,
                 history: History, snapshots: [ImplicitSnapshot], trainSeconds: Double, epochsDone: Int) {
        self.spec = spec
        train = TaskData(task: spec.task, count: spec.nTrain, seed: UInt64(spec.seed))
        test = TaskData(task: spec.task, count: spec.nTest, seed: UInt64(spec.seed) + 1000)
        let capacity = max(spec.nTrain, spec.nTest)
        switch spec.model {
        case .bottleneck:
            switch spec.precision {
            case .float64:
                network = Network(parameters: parameters, sigma: spec.sigma, capacity: capacity,
                                  stepCapacity: spec.batchSize)
            case .float32:
                network = BottleneckNetwork<Float>(parameters: parameters, sigma: spec.sigma, capacity: capacity,
                                                   stepCapacity: spec.batchSize)
            }
        case .mdl:
            network = MDLNetwork(parameters: parameters, spec: spec, capacity: capacity, stepCapacity: spec.batchSize,
                                 noise: noise ?? RandomGenerator(seed: UInt64(spec.seed) + 2000))
        }
        self.shuffle = shuffle
        self.history = history
        self.snapshots = snapshots
        self.trainSeconds = trainSeconds
        self.epochsDone = epochsDone
        batch = .allocate(capacity: spec.batchSize * DipoleData.pixelCount)
        trainReconstruction = Matrix(rows: spec.nTrain, columns: DipoleData.pixelCount)
        trainImplicit = Matrix(rows: spec.nTrain, columns: spec.nImplicit)
        if epochsDone == 0 && snapshots.isEmpty { takeSnapshot() }
    }

    deinit { batch.deallocate() }

    /// The mdl model's training noise: `default_rng(seed + 2000)`; nil for the bottleneck.
    private static func noiseStream(_ spec: RunSpec) -> RandomGenerator? {
        spec.model == .mdl ? RandomGenerator(seed: UInt64(spec.seed) + 2000) : nil
    }

    public var isFinished: Bool { epochsDone >= spec.epochs }

    /// A run has diverged when its epoch loss is not finite or exceeds this many times
    /// `zeroLoss`, the loss of reconstructing every image as zeros: such a model is
    /// beyond recovery, and its later epochs would only overflow.
    public static let divergenceFactor = 1e6

    /// `½ Σ‖x‖² / n` over the training images: the loss of predicting zeros.
    private var zeroLoss: Double {
        0.5 * train.images.storage.reduce(0) { $0 + $1 * $1 } / Double(train.count)
    }

    /// The checkpoint of the run as it stands.
    public var state: TrainingState {
        TrainingState(spec: spec, epochsDone: epochsDone, parameters: network.currentParameters,
                      shuffle: shuffle, noise: network.noiseStream, history: history, snapshots: snapshots,
                      trainSeconds: trainSeconds)
    }

    /// The current parameters.
    public var parameters: Parameters { network.currentParameters }

    /// The training loss of `x`'s rows (a minibatch: at most `batch_size` of them) in the
    /// current epoch and its gradient with respect to every parameter, at the current
    /// parameters (no update). For the mdl model with
    /// `activity_noise > 0` this draws the batch's noise, as a training step would.
    public func lossAndGradients(_ x: Matrix) -> (loss: Double, gradients: Parameters) {
        let loss = x.storage.withUnsafeBufferPointer {
            network.trainingLoss($0.baseAddress!, rows: x.rows, epoch: epochsDone)
        }
        return (loss, network.currentGradients)
    }

    /// Trains one epoch: a fresh permutation of the training set, then one SGD step per
    /// minibatch (the last one smaller when `batch_size` does not divide `n_train`);
    /// records the history when due.
    @discardableResult
    public func trainEpoch() throws(TrainingError) -> EpochReport {
        precondition(!isFinished, "trainEpoch: the run is already finished")
        let clock = ContinuousClock()
        let start = clock.now
        let order = shuffle.permutation(spec.nTrain)
        let columns = DipoleData.pixelCount
        let epoch = epochsDone
        var total = 0.0
        train.images.storage.withUnsafeBufferPointer { images in
            var s = 0
            while s < spec.nTrain {
                let rows = min(spec.batchSize, spec.nTrain - s)
                for r in 0..<rows {
                    (batch + r * columns).update(from: images.baseAddress! + order[s + r] * columns,
                                                 count: columns)
                }
                let loss = network.trainingStep(batch, rows: rows, epoch: epoch, learningRate: spec.lr)
                total += loss * Double(rows) / Double(spec.nTrain)
                s += rows
            }
        }
        epochsDone += 1
        guard total.isFinite, total <= Self.divergenceFactor * zeroLoss else {
            trainSeconds += (clock.now - start).seconds
            throw .diverged(epoch: epoch, loss: total)
        }
        var mse: Double?
        if epochsDone % spec.historyEvery == 0 || isFinished {
            mse = recordHistory(epoch: epoch, loss: total)
        }
        if Self.snapshotEpochs(spec.epochs).contains(epochsDone) { takeSnapshot() }
        trainSeconds += (clock.now - start).seconds
        return EpochReport(epochsDone: epochsDone, epochs: spec.epochs, loss: total, mse: mse)
    }

    /// Trains the remaining epochs and evaluates. `onEpoch` sees each epoch's report and
    /// returns false to stop early, in which case the result is nil (the state is kept).
    public func run(onEpoch: (EpochReport) -> Bool = { _ in true }) throws(TrainingError) -> RunResult? {
        while !isFinished {
            let report = try trainEpoch()
            guard onEpoch(report) else { return isFinished ? evaluate() : nil }
        }
        return evaluate()
    }

    /// Trains `spec` from scratch to the end and evaluates it.
    public static func train(_ spec: RunSpec) throws(TrainingError) -> RunResult {
        try Trainer(spec: spec).run()!
    }

    /// The final evaluation on the test set.
    public func evaluate() -> RunResult {
        let (reconstruction, implicit, codeBits) = forward(test.images)
        let testMSE = Metrics.meanSquaredError(reconstruction, test.images)
        let naive = Metrics.naiveMeanSquaredError(test.images)
        let singular = Metrics.centredSingularValues(implicit)
        let dimension = Metrics.effectiveDimension(singularValues: singular)
        let names = spec.task.targetNames
        let final = FinalMetrics(
            testMSE: testMSE, naiveMSE: naive, varianceExplained: 1.0 - testMSE / naive,
            dlBits: Metrics.descriptionBits(reconstruction: reconstruction, data: test.images,
                                            implicitDimensions: spec.nImplicit, sigma: spec.sigma,
                                            codeBits: codeBits ?? 0),
            singularValues: singular,
            r2Linear: Metrics.recoveryR2(implicit: implicit, targets: test.targets, names: names, degree: 1),
            r2Cubic: Metrics.recoveryR2(implicit: implicit, targets: test.targets, names: names, degree: 3),
            effectiveDimension: dimension.ratio, dimsUsed: dimension.used, codeBits: codeBits)
        let samples = min(16, test.count)
        return RunResult(spec: spec, final: final, history: history, trainSeconds: trainSeconds,
                         parameters: network.currentParameters, testImplicit: implicit,
                         testLatents: test.latents, sampleImages: test.images.rows(0..<samples),
                         sampleReconstructions: reconstruction.rows(0..<samples),
                         snapshots: snapshots)
    }

    /// Epoch counts after which the test-set m̂ is kept for the report: 0, 1, 2, 5, 10,
    /// 20, 50, … below `epochs`, and `epochs` itself.
    public static func snapshotEpochs(_ epochs: Int) -> [Int] {
        var result = [0]
        var decade = 1
        outer: while true {
            for factor in [1, 2, 5] {
                let e = factor * decade
                guard e < epochs else { break outer }
                result.append(e)
            }
            decade *= 10
        }
        if epochs > 0 { result.append(epochs) }
        return result
    }

    /// Reconstructions, m̂ and the mean code bits (nil for the bottleneck) of every row of `x`.
    private func forward(_ x: Matrix) -> (reconstruction: Matrix, implicit: Matrix, codeBits: Double?) {
        var reconstruction = Matrix(rows: x.rows, columns: x.columns)
        var implicit = Matrix(rows: x.rows, columns: spec.nImplicit)
        let codeBits = forward(x, reconstruction: &reconstruction, implicit: &implicit)
        return (reconstruction, implicit, codeBits)
    }

    /// `forward(x)` into matrices of the right shape; returns the mean code bits.
    private func forward(_ x: Matrix, reconstruction: inout Matrix, implicit: inout Matrix) -> Double? {
        precondition(reconstruction.rows == x.rows && implicit.rows == x.rows, "forward: shapes differ")
        x.storage.withUnsafeBufferPointer { network.forward($0.baseAddress!, rows: x.rows) }
        reconstruction.storage.withUnsafeMutableBufferPointer {
            $0.baseAddress!.update(from: network.reconstruction, count: $0.count)
        }
        implicit.storage.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: network.m, count: $0.count) }
        return network.codeBits(rows: x.rows)
    }

    /// Appends the train-set MSE, description bits, linear R² mean and effective dimension;
    /// returns the MSE.
    private func recordHistory(epoch: Int, loss: Double) -> Double {
        let codeBits = forward(train.images, reconstruction: &trainReconstruction, implicit: &trainImplicit)
        let (reconstruction, implicit) = (trainReconstruction, trainImplicit)
        let mse = Metrics.meanSquaredError(reconstruction, train.images)
        history.epoch.append(epoch)
        history.loss.append(loss)
        history.mse.append(mse)
        history.dlBits.append(Metrics.descriptionBits(
            reconstruction: reconstruction, data: train.images,
            implicitDimensions: spec.nImplicit, sigma: spec.sigma, codeBits: codeBits ?? 0))
        history.r2LinearMean.append(Metrics.recoveryR2(
            implicit: implicit, targets: train.targets, names: spec.task.targetNames, degree: 1).mean)
        history.effectiveDimension.append(
            Metrics.effectiveDimension(singularValues: Metrics.centredSingularValues(implicit)).ratio)
        return mse
    }

    private func takeSnapshot() {
        let implicit = forward(test.images).implicit
        snapshots.append(ImplicitSnapshot(epoch: epochsDone, implicit: implicit))
    }
}
