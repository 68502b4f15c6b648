extension TrainingState {
    /// The state of a finished run continued as a run of `spec`, which equals this state's
    /// spec except for more `epochs`: what successive halving over epochs promotes.
    ///
    /// Training does not depend on the number of epochs planned, so the parameters and the
    /// shuffle stream carry over unchanged; what does depend on it is dropped, so that the
    /// continued run ends exactly as a fresh run of `spec` would: history entries recorded
    /// only because they were the last epoch (`epoch + 1` not a multiple of
    /// `history_every`), and implicit-space snapshots not in `Trainer.snapshotEpochs(spec.epochs)`.
    /// Nil when `spec` is not such a continuation.
    public func promoted(to spec: RunSpec) -> TrainingState? {
        var shorter = spec
        shorter.epochs = self.spec.epochs
        guard shorter == self.spec, spec.epochs >= epochsDone, epochsDone == self.spec.epochs else { return nil }
        var state = self
        state.spec = spec
        let every = spec.historyEvery
        state.history = history.filtered { epoch in (epoch + 1) % every == 0 || epoch + 1 == spec.epochs }
        let kept = Set(Trainer.snapshotEpochs(spec.epochs))
        state.snapshots = snapshots.filter { kept.contains($0.epoch) }
        return state
    }
}

extension History {
    /// The entries whose epoch passes `keep`, every series alike. A new series must be
    /// filtered here too (`SearchExecutionTests` compares a promoted run with a fresh one).
    func filtered(_ keep: (Int) -> Bool) -> History {
        let indices = epoch.indices.filter { keep(epoch[$0]) }
        var result = History()
        result.epoch = indices.map { epoch[$0] }
        result.loss = indices.map { loss[$0] }
        result.mse = indices.map { mse[$0] }
        result.dlBits = indices.map { dlBits[$0] }
        result.r2LinearMean = indices.map { r2LinearMean[$0] }
        // Empty in runs written before it was recorded.
        result.effectiveDimension = effectiveDimension.isEmpty ? [] : indices.map { effectiveDimension[$0] }
        return result
    }
}
