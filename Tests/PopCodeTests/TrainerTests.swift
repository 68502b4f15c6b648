import Foundation
import Testing
@testable import PopCode

struct TrainerTests {
    static let small = RunSpec(seed: 4, epochs: 6, nTrain: 150, nTest: 40, batchSize: 16, lr: 0.1,
                               sigma: 0.18)

    @Test func trainingLowersTheLoss() throws {
        let result = try Trainer.train(RunSpec(seed: 4, epochs: 15, nTrain: 300, nTest: 50, batchSize: 20))
        let loss = result.history.loss
        #expect(loss.count == 15)
        #expect(loss.last! < 0.6 * loss.first!)
        #expect(result.history.mse.last! < result.history.mse.first!)
        #expect(result.final.testMSE < result.final.naiveMSE)
        #expect(result.final.singularValues.count == 3)
    }

    @Test func historyIsRecordedEveryNEpochsAndAtTheEnd() throws {
        var spec = Self.small
        spec.epochs = 7
        spec.historyEvery = 3
        let result = try Trainer.train(spec)
        #expect(result.history.epoch == [2, 5, 6])
        #expect(result.history.loss.count == 3 && result.history.r2LinearMean.count == 3)
    }

    @Test func aPartialLastBatchIsUsed() throws {
        // 150 = 9 × 16 + 6. With a learning rate too small to move any weight (each update is
        // far below half an ulp), every batch of the epoch sees the initial parameters, so the
        // epoch loss (each batch's loss weighted by its size) must equal the loss of all 150
        // training images at those parameters: on the same data, it differs by about 4 % if
        // the 6 images of the last batch are dropped or weighted as a full batch, and by more
        // than rounding if any image is seen twice or never.
        var spec = Self.small
        spec.lr = 1e-300
        let trainer = try Trainer(spec: spec)
        let initial = trainer.parameters
        let whole = Autoencoder.lossAndGradients(initial, sigma: spec.sigma, batch: trainer.train.images).loss
        let epoch = try trainer.trainEpoch()
        // Nothing moved but the zero biases, by about 1e-300.
        let moved = zip(trainer.parameters.all, initial.all).map { pair in
            zip(pair.0.storage, pair.1.storage).map { abs($0 - $1) }.max() ?? 0
        }.max() ?? 0
        #expect(moved < 1e-290)
        #expect(abs(epoch.loss - whole) <= 1e-12 * whole, "epoch loss \(epoch.loss), loss of all images \(whole)")
        // The same weighted sum with an ordinary learning rate is finite and lower next epoch.
        let trained = try Trainer.train(Self.small)
        #expect(trained.history.loss.allSatisfy { $0.isFinite } && trained.history.loss.last! < trained.history.loss.first!)
    }

    @Test func resumingFromAnEncodedCheckpointIsBitIdentical() throws {
        let straight = try Trainer.train(Self.small)
        let first = try Trainer(spec: Self.small)
        for _ in 0..<3 { try first.trainEpoch() }
        let data = try JSONEncoder().encode(first.state)
        let state = try JSONDecoder().decode(TrainingState.self, from: data)
        let second = try Trainer(resuming: state)
        var resumed = try #require(try second.run())
        resumed.trainSeconds = straight.trainSeconds
        #expect(resumed == straight)
    }

    @Test func matricesRoundTripExactlyInBothEncodings() throws {
        let m = Matrix(rows: 2, columns: 3, storage: [0.1, -0.0, .pi, 1e-310, -2.5e300, 7])
        for binary in [false, true] {
            let encoder = JSONEncoder()
            encoder.userInfo[Matrix.binaryStorage] = binary
            let data = try encoder.encode(m)
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.contains("storage_le64") == binary)
            let back = try JSONDecoder().decode(Matrix.self, from: data)
            #expect(back.rows == 2 && back.columns == 3)
            #expect(back.storage.map(\.bitPattern) == m.storage.map(\.bitPattern))
        }
        let wrongShape = #"{"rows": 2, "columns": 2, "storage": [1, 2, 3]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Matrix.self, from: Data(wrongShape.utf8)) }
    }

    @Test func resumingFromABinaryCheckpointIsBitIdentical() throws {
        let straight = try Trainer.train(Self.small)
        let first = try Trainer(spec: Self.small)
        for _ in 0..<4 { try first.trainEpoch() }
        let encoder = JSONEncoder()
        encoder.userInfo[Matrix.binaryStorage] = true
        let state = try JSONDecoder().decode(TrainingState.self, from: encoder.encode(first.state))
        var resumed = try #require(try Trainer(resuming: state).run())
        resumed.trainSeconds = straight.trainSeconds
        #expect(resumed == straight)
    }

    @Test func aHugeLearningRateIsReportedAsDivergence() throws {
        var spec = Self.small
        spec.lr = 1e6
        #expect(throws: TrainingError.self) { try Trainer.train(spec) }
        do {
            _ = try Trainer.train(spec)
        } catch {
            guard case .diverged = error else {
                Issue.record("expected divergence, got \(error)")
                return
            }
        }
    }

    @Test func invalidSpecsAreRefusedWithTheKey() {
        var spec = Self.small
        spec.batchSize = 1000
        #expect(throws: TrainingError.invalidSpec(RunSpecError(
            key: .batchSize, message: "must not exceed n_train (150), got 1000"))) {
            try Trainer(spec: spec)
        }
        spec = Self.small
        spec.sigma = 0
        #expect(throws: TrainingError.invalidSpec(RunSpecError(
            key: .sigma, message: "must be a finite number > 0, got 0.0"))) {
            try Trainer(spec: spec)
        }
    }

    @Test func snapshotEpochsAreLogSpaced() {
        #expect(Trainer.snapshotEpochs(200) == [0, 1, 2, 5, 10, 20, 50, 100, 200])
        #expect(Trainer.snapshotEpochs(3) == [0, 1, 2, 3])
        #expect(Trainer.snapshotEpochs(0) == [0])
    }
}
