/// Why a run could not finish.
public enum TrainingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The spec is not trainable.
    case invalidSpec(RunSpecError)
    /// The loss became NaN, infinite, or over `Trainer.divergenceFactor` times the loss of
    /// predicting zeros (learning rate too large, typically).
    case diverged(epoch: Int, loss: Double)
    /// A checkpoint does not belong to this spec or is inconsistent.
    case incompatibleState(String)

    public var description: String {
        switch self {
        case .invalidSpec(let error): "invalid spec: \(error)"
        case .diverged(let epoch, let loss):
            loss.isFinite ? "diverged at epoch \(epoch): loss \(loss) is over 10⁶ times that of predicting zeros"
                : "diverged at epoch \(epoch): loss is \(loss)"
        case .incompatibleState(let why): "cannot resume: \(why)"
        }
    }
}
