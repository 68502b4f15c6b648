import Foundation
import PopCode

/// One run to execute into a folder.
public struct RunRequest: Sendable, Hashable {
    public var spec: RunSpec
    public var id: String
    public var experiment: String?
    public var label: String?
    public var folder: RunFolder
    /// When to save a checkpoint while training (a stop always saves one).
    public var checkpoints: CheckpointPolicy
    /// A finished run (same spec, fewer epochs) whose final state this run continues from,
    /// when it has no checkpoint of its own: a promotion of successive halving over epochs.
    /// Without that state (removed, or of another spec) the run starts from epoch 0, which
    /// gives the same result.
    public var startsFrom: RunFolder?
    /// Keep the final training state (`final-state.json`) for a later promotion.
    public var keepsFinalState: Bool
    /// Replace what the folder holds (`--force`) instead of keeping completed results.
    public var replacing: Bool
    /// When the run's results reach the disk.
    public var durability: ResultDurability

    public init(spec: RunSpec, id: String, experiment: String? = nil, label: String? = nil,
                folder: RunFolder, checkpoints: CheckpointPolicy = .everyTenEpochs, startsFrom: RunFolder? = nil,
                keepsFinalState: Bool = false, replacing: Bool = false, durability: ResultDurability = .eachRun) {
        self.spec = spec
        self.id = id
        self.experiment = experiment
        self.label = label
        self.folder = folder
        self.checkpoints = checkpoints
        self.startsFrom = startsFrom
        self.keepsFinalState = keepsFinalState
        self.replacing = replacing
        self.durability = durability
    }
}

/// When a run's results (`metrics.json`) reach the disk. Either way they are written
/// atomically, so a killed process (kill -9 included) never leaves a partial file and loses
/// no finished run: renamed files belong to the kernel. Only a system crash or power loss
/// can lose what is not yet flushed.
public enum ResultDurability: Sendable, Hashable {
    /// Flushed (`fsync`) before the run counts as done: for callers that record the run's
    /// end elsewhere, durably (the queue's database).
    case eachRun
    /// Not flushed: the caller flushes once after its schedule (`AtomicFile.flushAll`, as
    /// `popcode run` does), which spares tiny runs a flush each (about 2 ms, more than such a
    /// run takes). A system crash before that flush may leave a finished run's metrics.json
    /// empty; it then reads as no result (`RunFolder.metrics`) and the run is trained again,
    /// never reported from a damaged file.
    case deferred
}

/// How a run ended.
public enum RunOutcome: Sendable, Hashable {
    /// Trained and evaluated; `metrics.json` written.
    case completed(MetricsDocument)
    /// Diverged or could not train; `metrics.json` written with the reason.
    case failed(MetricsDocument)
    /// Stopped on request before the end; a checkpoint at `epochsDone` was saved.
    case interrupted(epochsDone: Int)
    /// Another process completed the run (while this one waited for its lock, or just
    /// before): nothing was trained.
    case completedElsewhere(MetricsDocument)
    /// Another process holds the run's lock (it trains the run now; `holder` says who), and
    /// the request did not wait: nothing was done.
    case busy(holder: String)

    public var metrics: MetricsDocument? {
        switch self {
        case .completed(let m), .failed(let m), .completedElsewhere(let m): m
        case .interrupted, .busy: nil
        }
    }

    /// The same outcome with its document's training history left out.
    var withoutHistory: RunOutcome {
        func trimmed(_ document: MetricsDocument) -> MetricsDocument {
            var document = document
            document.history = nil
            return document
        }
        return switch self {
        case .completed(let m): .completed(trimmed(m))
        case .failed(let m): .failed(trimmed(m))
        case .completedElsewhere(let m): .completedElsewhere(trimmed(m))
        case .interrupted, .busy: self
        }
    }
}

/// Progress of a run, reported after each epoch.
public struct RunProgress: Sendable, Hashable {
    public var id: String
    public var epochsDone: Int
    public var epochs: Int
    public var loss: Double
    public var mse: Double?

    public init(id: String, epochsDone: Int, epochs: Int, loss: Double, mse: Double?) {
        self.id = id
        self.epochsDone = epochsDone
        self.epochs = epochs
        self.loss = loss
        self.mse = mse
    }
}

/// What a run does when another process holds its folder's lock.
public enum LockWait: Sendable, Hashable {
    /// Returns `.busy` at once.
    case no
    /// Waits until the lock is free (or a stop is requested), then does what is left.
    case yes
}

/// Trains one run into its folder, resuming from its checkpoint when there is one, and
/// records the result: the bridge between the numeric core and the files.
///
/// The run holds its folder's `RunLock` from start to end, so no two processes train it at
/// once; once it has the lock it reads the folder again, so a run another process completed
/// meanwhile is not trained twice.
public enum RunExecutor {
    /// Executes `request`. `shouldStop` is polled after every epoch (and while waiting for the
    /// lock); when it returns true the run saves a checkpoint and returns `.interrupted`.
    /// `note` receives remarks worth showing a user (e.g. a corrupt checkpoint that was
    /// discarded, or the process it waits for). Throws only when the folder cannot be written.
    public static func execute(
        _ request: RunRequest,
        waitForLock: LockWait = .yes,
        progress: (RunProgress) -> Void = { _ in },
        note: (String) -> Void = { _ in },
        shouldStop: () -> Bool = { false }
    ) throws(AtomicFile.WriteError) -> RunOutcome {
        let folder = request.folder
        let lock: RunLock
        switch waitForLock {
        case .no:
            switch try RunLock.acquire(folder.url) {
            case .acquired(let acquired): lock = acquired
            case .busy(let holder): return .busy(holder: holder)
            }
        case .yes:
            guard let acquired = try RunLock.acquire(folder.url, waiting: { holder in
                note("waiting: \(holder) is training this run")
            }, shouldStop: shouldStop) else {
                return .interrupted(epochsDone: (try? folder.checkpoint())?.state.epochsDone ?? 0)
            }
            lock = acquired
        }
        return try withExtendedLifetime(lock) { () throws(AtomicFile.WriteError) -> RunOutcome in
            if request.replacing {
                folder.removeResults()
            } else if case .completed(let metrics) = folder.state(expecting: request.id) {
                return .completedElsewhere(metrics)
            }
            return try train(request, progress: progress, note: note, shouldStop: shouldStop)
        }
    }

    /// Trains `request` into its folder; the caller holds the folder's lock.
    private static func train(
        _ request: RunRequest,
        progress: (RunProgress) -> Void,
        note: (String) -> Void,
        shouldStop: () -> Bool
    ) throws(AtomicFile.WriteError) -> RunOutcome {
        let folder = request.folder
        let startedAt = Date()
        let trainer: Trainer
        do {
            trainer = try makeTrainer(request, note: note)
        } catch {
            return try record(failure: error, epoch: nil, request: request, history: nil,
                              seconds: 0, startedAt: startedAt)
        }
        let clock = ContinuousClock()
        var lastCheckpoint = (epochs: trainer.epochsDone, at: clock.now)
        while !trainer.isFinished {
            let report: EpochReport
            do {
                report = try trainer.trainEpoch()
            } catch {
                let epoch: Int? = if case .diverged(let e, _) = error { e } else { nil }
                folder.removeCheckpoint()
                return try record(failure: error, epoch: epoch, request: request,
                                  history: trainer.state.history,
                                  seconds: trainer.state.trainSeconds, startedAt: startedAt)
            }
            progress(RunProgress(id: request.id, epochsDone: report.epochsDone, epochs: report.epochs,
                                 loss: report.loss, mse: report.mse))
            let stop = shouldStop()
            if !trainer.isFinished && (stop || request.checkpoints.isDue(
                epochsSince: trainer.epochsDone - lastCheckpoint.epochs,
                secondsSince: { (clock.now - lastCheckpoint.at).seconds })) {
                try folder.write(Checkpoint(id: request.id, state: trainer.state))
                lastCheckpoint = (trainer.epochsDone, clock.now)
            }
            if stop && !trainer.isFinished { return .interrupted(epochsDone: trainer.epochsDone) }
        }
        let result = trainer.evaluate()
        let document = MetricsDocument.completed(
            result, id: request.id, experiment: request.experiment, label: request.label,
            timing: .init(trainSeconds: result.trainSeconds, startedAt: timestamp(startedAt),
                          finishedAt: timestamp(Date())),
            environment: .current)
        try folder.write(RunArtifacts(result, id: request.id))
        // Before metrics.json: a completed run that keeps its final state always has it.
        if request.keepsFinalState {
            try folder.writeFinalState(Checkpoint(id: request.id, state: trainer.state))
        }
        try folder.write(document, durable: request.durability == .eachRun)
        folder.removeCheckpoint()
        return .completed(document)
    }

    private static func makeTrainer(_ request: RunRequest,
                                    note: (String) -> Void) throws(TrainingError) -> Trainer {
        let checkpoint: Checkpoint?
        do {
            checkpoint = try request.folder.checkpoint()
        } catch {
            note("discarding an unreadable checkpoint (\(error.reason)); starting from epoch 0")
            request.folder.removeCheckpoint()
            checkpoint = nil
        }
        if let checkpoint {
            if checkpoint.numericsRevision != NumericsRevision.current {
                // Its state was computed by other arithmetic: continuing would mix the two.
                note("discarding a checkpoint of numerics revision \(checkpoint.numericsRevision) "
                     + "(this popcode computes \(NumericsRevision.current)); starting from epoch 0")
            } else if checkpoint.id == request.id && checkpoint.state.spec == request.spec {
                do {
                    let trainer = try Trainer(resuming: checkpoint.state)
                    note("resuming from the checkpoint at epoch \(checkpoint.state.epochsDone)")
                    return trainer
                } catch {
                    note("discarding an inconsistent checkpoint (\(error)); starting from epoch 0")
                }
            } else {
                note("discarding a checkpoint of another spec (\(checkpoint.id)); starting from epoch 0")
            }
            request.folder.removeCheckpoint()
        }
        if let source = request.startsFrom {
            if let final = try? source.finalState(), final.numericsRevision == NumericsRevision.current,
               let state = final.state.promoted(to: request.spec) {
                do {
                    let trainer = try Trainer(resuming: state)
                    note("continuing from \(source.url.lastPathComponent) at epoch \(state.epochsDone)")
                    return trainer
                } catch {
                    note("cannot continue from \(source.url.lastPathComponent) (\(error)); starting from epoch 0")
                }
            } else {
                note("no final state to continue from in \(source.url.lastPathComponent); starting from epoch 0")
            }
        }
        return try Trainer(spec: request.spec)
    }

    private static func record(failure: TrainingError, epoch: Int?, request: RunRequest,
                               history: History?, seconds: Double,
                               startedAt: Date) throws(AtomicFile.WriteError) -> RunOutcome {
        let document = MetricsDocument(
            status: .failed, id: request.id, experiment: request.experiment, label: request.label,
            spec: request.spec, final: nil, history: history,
            error: .init(reason: failure.description, epoch: epoch),
            timing: .init(trainSeconds: seconds, startedAt: timestamp(startedAt),
                          finishedAt: timestamp(Date())),
            environment: .current)
        try request.folder.write(document, durable: request.durability == .eachRun)
        return .failed(document)
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
