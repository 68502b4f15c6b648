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
            loss.isFinite
                ? "diverged at epoch \(epoch): loss \(loss) is over \(Self.power(Trainer.divergenceFactor)) times that of predicting zeros"
                : "diverged at epoch \(epoch): loss is \(loss)"
        case .incompatibleState(let why): "cannot resume: \(why)"
        }
    }

    /// `10⁶` for 1e6: a whole power of ten with a superscript exponent (any other factor as a number).
    static func power(_ factor: Double) -> String {
        var exponent = 0, value = 1.0
        while value < factor && exponent < 308 { value *= 10; exponent += 1 }
        guard value == factor else { return "\(factor)" }
        let superscripts = Array("⁰¹²³⁴⁵⁶⁷⁸⁹")
        return "10" + String(String(exponent).map { superscripts[Int(String($0))!] })
    }
}
