@testable import PopCode
import Testing

@Suite struct TrainingErrorTests {
    /// The divergence message states the factor the trainer really uses.
    @Test func divergenceMessageNamesTheTrainersFactor() {
        #expect(Trainer.divergenceFactor == 1e6)
        #expect(TrainingError.diverged(epoch: 3, loss: 2e9).description
                == "diverged at epoch 3: loss 2000000000.0 is over 10⁶ times that of predicting zeros")
        #expect(TrainingError.power(1e12) == "10¹²")
        #expect(TrainingError.power(1) == "10⁰")
        #expect(TrainingError.power(2.5e6) == "2500000.0")
    }
}
