/// The model as pure functions of parameters, for tests and tools. Training uses
/// `Network` directly to keep its buffers between steps.
public enum Autoencoder {
    /// The loss `½ Σ (x̂ − X)² / n` over the rows of `x` and its gradient with respect to
    /// every parameter.
    public static func lossAndGradients(_ parameters: Parameters, sigma: Double,
                                        batch x: Matrix) -> (loss: Double, gradients: Parameters) {
        let network = Network(parameters: parameters, sigma: sigma, capacity: x.rows)
        let loss = x.storage.withUnsafeBufferPointer {
            network.lossAndGradients($0.baseAddress!, rows: x.rows)
        }
        return (loss, network.currentGradients)
    }

    /// Reconstructions x̂ (`n × 64`) and codes m̂ (`n × K`) of the rows of `x`.
    public static func forward(_ parameters: Parameters, sigma: Double,
                               _ x: Matrix) -> (reconstruction: Matrix, implicit: Matrix) {
        let network = Network(parameters: parameters, sigma: sigma, capacity: x.rows)
        x.storage.withUnsafeBufferPointer { network.forward($0.baseAddress!, rows: x.rows) }
        return (network.matrix(network.reconstruction, rows: x.rows, columns: network.inputs),
                network.matrix(network.m, rows: x.rows, columns: network.implicit))
    }
}
