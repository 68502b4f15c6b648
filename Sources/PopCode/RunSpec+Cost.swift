extension RunSpec {
    /// Floating-point operations of the matrix products of one whole run (training, the
    /// recorded history, the m̂ snapshots and the final evaluation), counting a
    /// multiply-add as two: the arithmetic that bounds a run from below.
    ///
    /// With I = 64 inputs, E encoder units, K implicit dimensions and H bumps, a forward pass
    /// over r rows costs `2r(I·E + E·K + H·I)` (X·W1, h·W2, b·Wd) and a training step adds the
    /// backward `2r(I·H + K·E) + 2r(H·I + E·K + I·E)` (g·Wdᵀ, g·W2ᵀ, then the weight
    /// gradients bᵀ·g, hᵀ·g, Xᵀ·g).
    public var matrixProductFLOPs: Double {
        let (i, e, k, h) = (Double(DipoleData.pixelCount), Double(nEncHidden), Double(nImplicit), Double(nHidden))
        let forwardPerRow = 2 * (i * e + e * k + h * i)
        let backwardPerRow = 2 * (i * h + k * e) + 2 * (h * i + e * k + i * e)
        let training = Double(epochs) * Double(nTrain) * (forwardPerRow + backwardPerRow)
        let historyEpochs = Double(epochs / historyEvery + (epochs % historyEvery == 0 ? 0 : 1))
        let history = historyEpochs * Double(nTrain) * forwardPerRow
        let testPasses = Double(Trainer.snapshotEpochs(epochs).count + 1)
        return training + history + testPasses * Double(nTest) * forwardPerRow
    }
}
