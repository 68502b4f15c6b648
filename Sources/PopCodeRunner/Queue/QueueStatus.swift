import Foundation

/// What `popcode queue status` reports: counts per state and per experiment, the runs in
/// training, the failures, and an estimate of the time left.
public struct QueueStatus: Sendable, Hashable, Codable {
    public struct Counts: Sendable, Hashable, Codable {
        public var pending = 0
        public var running = 0
        public var completed = 0
        public var failed = 0
        public var cancelled = 0
        public var total: Int { pending + running + completed + failed + cancelled }

        public init() {}

        enum CodingKeys: String, CodingKey {
            case pending, running, completed, failed, cancelled, total
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            pending = try container.decode(Int.self, forKey: .pending)
            running = try container.decode(Int.self, forKey: .running)
            completed = try container.decode(Int.self, forKey: .completed)
            failed = try container.decode(Int.self, forKey: .failed)
            cancelled = try container.decode(Int.self, forKey: .cancelled)
        }

        /// The counts and their `total`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            for state in QueuedRun.State.allCases {
                try container.encode(self[state], forKey: CodingKeys(rawValue: state.rawValue)!)
            }
            try container.encode(total, forKey: .total)
        }

        mutating func count(_ state: QueuedRun.State) {
            switch state {
            case .pending: pending += 1
            case .running: running += 1
            case .completed: completed += 1
            case .failed: failed += 1
            case .cancelled: cancelled += 1
            }
        }

        public subscript(state: QueuedRun.State) -> Int {
            switch state {
            case .pending: pending
            case .running: running
            case .completed: completed
            case .failed: failed
            case .cancelled: cancelled
            }
        }
    }

    public struct Experiment: Sendable, Hashable, Codable {
        public var name: String
        public var folder: String
        public var counts: Counts
    }

    /// A run in training, as its worker last recorded it.
    public struct Running: Sendable, Hashable, Codable {
        public var id: String
        public var experiment: String
        public var label: String
        public var epochsDone: Int?
        public var epochs: Int
        public var loss: Double?
        public var mse: Double?
        public var pid: Int32
        public var host: String
        /// false: the worker is dead (the run goes back to pending when a worker starts);
        /// nil: it runs on another machine.
        public var workerAlive: Bool?
        public var secondsSinceHeartbeat: Double?
        public var attempts: Int
        public var cancelRequested: Bool
    }

    public struct Failure: Sendable, Hashable, Codable {
        public var id: String
        public var experiment: String
        public var label: String
        public var error: String?
    }

    /// Time left: every unfinished epoch (pending runs in full, running runs from their last
    /// recorded epoch) at the seconds per epoch measured on the completed runs of the same
    /// experiment (of the whole queue when none has completed), divided among the runs being
    /// trained now.
    public struct Estimate: Sendable, Hashable, Codable {
        public var remainingEpochs: Int
        /// Completed runs the timing comes from.
        public var basisRuns: Int
        /// Seconds of one run's training left, summed over runs (nil: nothing measured yet).
        public var workSeconds: Double?
        /// Runs being trained now by live workers.
        public var parallel: Int
        /// `workSeconds / parallel` (nil when nothing is measured or no worker is running).
        public var etaSeconds: Double?
    }

    /// How fast runs finish lately: the completed and failed runs that finished in the last
    /// `window` seconds, over the time since the first of them started (at most the window).
    public struct Throughput: Sendable, Hashable, Codable {
        public var finished: Int
        public var seconds: Double
        public var runsPerSecond: Double

        public static let window = 600.0
    }

    /// Where a halving search in the queue stands.
    public struct Search: Sendable, Hashable, Codable {
        public var experiment: String
        /// The round running (1-based), of `rounds`; nil once the rounds are done.
        public var round: Int?
        public var rounds: Int
        public var phase: SearchState.Phase
        /// Configurations in the current round (or confirmed).
        public var configurations: Int
        /// Seeds or epochs each gets in it.
        public var resource: Int?
        public var unit: String
        /// Survivors of each decided round.
        public var survivors: [Int]
        public var winner: String?

        public init(experiment: String, state: SearchState) {
            self.experiment = experiment
            rounds = state.schedule.count
            phase = state.phase
            unit = state.resource.rawValue
            survivors = state.rounds.filter { $0.decision != nil && !$0.isLast }.map(\.survivors.count)
            winner = state.winner.map { state.configurations[$0.configuration].name }
            switch state.phase {
            case .round:
                let current = state.rounds.last!
                round = current.index + 1
                configurations = current.configurations.count
                resource = current.resource
            case .confirming, .finished:
                round = nil
                configurations = state.confirmation?.configurations.count ?? 0
                resource = nil
            }
        }
    }

    public var schema = "popcode.queue-status/1"
    public var database: String
    public var counts: Counts
    public var experiments: [Experiment]
    public var running: [Running]
    public var failed: [Failure]
    public var estimate: Estimate
    /// Nil when no run finished in the last `Throughput.window` seconds.
    public var throughput: Throughput?
    /// The halving searches among the experiments (filled in from their folders).
    public var searches: [Search] = []

    /// The status of a queue holding `runs` (in queue order) at `now`; `liveness` judges the
    /// owners of running runs.
    public init(runs: [QueuedRun], database: String, now: Date = Date(),
                liveness: (QueueOwner) -> QueueOwner.Liveness = { $0.liveness }) {
        self.database = database
        var counts = Counts()
        var experiments: [Experiment] = []
        var position: [String: Int] = [:]
        for run in runs {
            counts.count(run.state)
            let folder = run.experimentFolder.path
            if position[folder] == nil {
                position[folder] = experiments.count
                experiments.append(Experiment(name: run.experiment, folder: QueuedRun.displayPath(run.experimentFolder),
                                              counts: Counts()))
            }
            experiments[position[folder]!].counts.count(run.state)
        }
        self.counts = counts
        self.experiments = experiments

        running = runs.filter { $0.state == .running }.map { run in
            let alive: Bool? = switch run.owner.map(liveness) {
            case .alive: true
            case .dead: false
            case .unknown, nil: nil
            }
            return Running(id: run.id, experiment: run.experiment, label: run.label,
                           epochsDone: run.progress?.epochsDone, epochs: run.spec.epochs,
                           loss: run.progress?.loss, mse: run.progress?.mse, pid: run.owner?.pid ?? 0,
                           host: run.owner?.host ?? "", workerAlive: alive,
                           secondsSinceHeartbeat: run.heartbeatAt.map { max(0, now.timeIntervalSince($0)) },
                           attempts: run.attempts, cancelRequested: run.cancelRequested)
        }
        failed = runs.filter { $0.state == .failed }.map {
            Failure(id: $0.id, experiment: $0.experiment, label: $0.label, error: $0.error)
        }
        estimate = Self.estimate(runs: runs, parallel: running.filter { $0.workerAlive != false }.count)
        throughput = Self.throughput(runs: runs, now: now)
    }

    static func throughput(runs: [QueuedRun], now: Date) -> Throughput? {
        let since = now.addingTimeInterval(-Throughput.window)
        let recent = runs.filter { run in
            (run.state == .completed || run.state == .failed) && (run.finishedAt.map { $0 >= since } ?? false)
        }
        guard let first = recent.map({ $0.startedAt ?? $0.finishedAt! }).min() else { return nil }
        let seconds = max(1, now.timeIntervalSince(max(first, since)))
        return Throughput(finished: recent.count, seconds: seconds, runsPerSecond: Double(recent.count) / seconds)
    }

    static func estimate(runs: [QueuedRun], parallel: Int) -> Estimate {
        // Seconds per epoch by experiment folder, and over the queue.
        var seconds: [String: Double] = [:]
        var epochs: [String: Int] = [:]
        var basis = 0
        for run in runs where run.state == .completed && run.seconds > 0 && run.spec.epochs > 0 {
            seconds[run.experimentFolder.path, default: 0] += run.seconds
            epochs[run.experimentFolder.path, default: 0] += run.spec.epochs
            basis += 1
        }
        let overall: Double? = basis > 0 ? seconds.values.reduce(0, +) / Double(epochs.values.reduce(0, +)) : nil
        var remaining = 0
        var work = 0.0
        for run in runs {
            let left: Int = switch run.state {
            case .pending: run.spec.epochs
            case .running: max(0, run.spec.epochs - (run.progress?.epochsDone ?? 0))
            case .completed, .failed, .cancelled: 0
            }
            remaining += left
            let folder = run.experimentFolder.path
            let perEpoch = epochs[folder].map { seconds[folder]! / Double($0) } ?? overall
            work += Double(left) * (perEpoch ?? 0)
        }
        let measured = overall != nil
        return Estimate(remainingEpochs: remaining, basisRuns: basis, workSeconds: measured ? work : nil,
                        parallel: parallel,
                        etaSeconds: measured && parallel > 0 ? work / Double(parallel) : nil)
    }
}
