import Foundation
internal import GRDB
import PopCode

/// The queue's SQLite database (`runs/queue.sqlite` by default), shared by any number of
/// `popcode queue` processes: the one file that speaks SQL.
///
/// WAL mode: readers (`queue status`) never wait for writers. Every change is one write
/// transaction (`BEGIN IMMEDIATE`, writers queue behind each other for up to a minute),
/// so a process killed at any moment leaves the queue as it was before or after a change.
/// Changes to a claimed run are compare-and-set on its state and owner, so a worker can only
/// finish the runs it holds.
public final class QueueDatabase: Sendable {
    /// The database file.
    public let path: String
    private let pool: DatabasePool

    public enum OpenMode: Sendable {
        /// Creates the file (and its folder) when missing.
        case createIfMissing
        /// Fails with `QueueError.missing` when there is no file.
        case existing
        /// Like `existing`, but the connection can only read (the dashboard): nothing is
        /// created, migrated or written.
        case readOnly
    }

    public init(path: String, mode: OpenMode) throws(QueueError) {
        self.path = path
        switch mode {
        case .existing, .readOnly:
            guard FileManager.default.fileExists(atPath: path) else { throw .missing(path: path) }
        case .createIfMissing:
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw .cannotOpen(path: path, reason: (error as NSError).localizedDescription)
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.label = "popcode.queue"
        configuration.readonly = mode == .readOnly
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            if mode != .readOnly { try Self.migrate(pool) }
        } catch {
            throw .cannotOpen(path: path, reason: Self.describe(error))
        }
    }

    // MARK: - Schema

    private static func migrate(_ pool: DatabasePool) throws {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE experiment (
                    folder TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    spec TEXT NOT NULL,
                    source TEXT,
                    overrides TEXT NOT NULL,
                    comparison_stale INTEGER NOT NULL DEFAULT 0,
                    added_at REAL NOT NULL
                );
                CREATE TABLE run (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id TEXT NOT NULL,
                    experiment_folder TEXT NOT NULL REFERENCES experiment(folder),
                    experiment TEXT NOT NULL,
                    label TEXT NOT NULL,
                    plan_index INTEGER NOT NULL,
                    folder TEXT NOT NULL UNIQUE,
                    spec TEXT NOT NULL,
                    epochs INTEGER NOT NULL,
                    state TEXT NOT NULL
                        CHECK (state IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
                    cancel_requested INTEGER NOT NULL DEFAULT 0,
                    owner_pid INTEGER,
                    owner_start_ticks INTEGER,
                    owner_host TEXT,
                    owner_boot_id TEXT,
                    owner_token TEXT,
                    heartbeat_at REAL,
                    epochs_done INTEGER,
                    loss REAL,
                    mse REAL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    seconds REAL NOT NULL DEFAULT 0,
                    error TEXT,
                    added_at REAL NOT NULL,
                    started_at REAL,
                    finished_at REAL,
                    CHECK ((state = 'running') = (owner_token IS NOT NULL))
                );
                CREATE INDEX run_by_state ON run(state, seq);
                CREATE INDEX run_by_id ON run(run_id);
                CREATE INDEX run_by_experiment ON run(experiment_folder, plan_index);
                """)
        }
        do {
            try migrator.migrate(pool)
        } catch {
            // Two processes creating the queue at once: the loser's migration fails because
            // the winner's is applied. Anything else is a real error.
            guard try pool.read(migrator.hasCompletedMigrations) else { throw error }
        }
    }

    // MARK: - Adding

    /// A planned run offered to the queue, with what its folder holds.
    struct Candidate {
        var run: PlannedRun
        /// The run folder's absolute, standardized path.
        var folder: String
        var completedOnDisk: Bool
    }

    /// Decides (`QueueAdmission`) and applies the fate of each candidate, records the
    /// experiment, and calls `whileLocked` (which writes the experiment's files), all in one
    /// transaction: on a conflict or an error nothing is added.
    func add(_ experiment: QueuedExperiment, candidates: some Sequence<Candidate>, now: Date = Date(),
             whileLocked: () throws(QueueError) -> Void) throws(QueueError) -> [QueueAdmission.Decision] {
        try access {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO experiment (folder, name, spec, source, overrides, added_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (folder) DO UPDATE SET name = excluded.name, spec = excluded.spec,
                        source = excluded.source, overrides = excluded.overrides, added_at = excluded.added_at
                    """, arguments: [experiment.folder.path, experiment.name, try Self.json(experiment.spec),
                                     experiment.source, try Self.json(experiment.overrides), now.timeIntervalSince1970])
                var decisions: [QueueAdmission.Decision] = []
                var conflicts: [String] = []
                var stale = false
                // One compiled statement each for all the runs (a sweep may have 100,000), the
                // existing row read by its folder's index without decoding its spec, and each
                // spec written by `CompactJSON` only for the rows that change.
                let select = try db.cachedStatement(sql: "SELECT seq, run_id, state FROM run WHERE folder = ?")
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO run (run_id, experiment_folder, experiment, label, plan_index, folder,
                                     spec, epochs, state, added_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let update = try db.cachedStatement(sql: """
                    UPDATE run SET run_id = ?, experiment = ?, label = ?, plan_index = ?, spec = ?,
                        epochs = ?, state = ?, cancel_requested = 0, error = NULL, epochs_done = NULL,
                        loss = NULL, mse = NULL, added_at = ?, finished_at = ?
                    WHERE seq = ?
                    """)
                let added = now.timeIntervalSince1970
                for candidate in candidates {
                    var existing: (seq: Int64, id: String, state: QueuedRun.State)?
                    if let row = try Row.fetchOne(select, arguments: [candidate.folder]) {
                        guard let state = QueuedRun.State(stored: row["state"]) else {
                            throw QueueError.database("run \(row["seq"] as Int64) has an unknown state")
                        }
                        existing = (row["seq"], row["run_id"], state)
                    }
                    let decision = QueueAdmission.decide(row: existing.map { ($0.id, $0.state) }, id: candidate.run.id,
                                                         completedOnDisk: candidate.completedOnDisk)
                    decisions.append(decision)
                    switch decision {
                    case .insert:
                        try insert.execute(arguments: [candidate.run.id, experiment.folder.path, experiment.name,
                                             candidate.run.label, candidate.run.index, candidate.folder,
                                             CompactJSON.spec(candidate.run.spec), candidate.run.spec.epochs,
                                             QueuedRun.State.pending.stored, added])
                    case .requeue, .markCompleted:
                        let completed = decision == .markCompleted
                        try update.execute(arguments: [candidate.run.id, experiment.name, candidate.run.label,
                                                       candidate.run.index, CompactJSON.spec(candidate.run.spec),
                                                       candidate.run.spec.epochs,
                                                       (completed ? QueuedRun.State.completed : .pending).stored, added,
                                                       completed ? added : nil, existing!.seq])
                        stale = stale || completed
                    case .conflict(let existingID, let state):
                        conflicts.append("\(QueuedRun.displayPath(URL(fileURLWithPath: candidate.folder))) is "
                                         + "\(state.rawValue) in the queue with another spec (id \(existingID), now \(candidate.run.id))")
                    case .skipQueued, .skipCompleted:
                        break
                    }
                }
                guard conflicts.isEmpty else { throw QueueError.conflicts(conflicts) }
                if stale { try Self.markStale(db, experiment.folder.path) }
                try whileLocked()
                return decisions
            }
        }
    }

    // MARK: - Working

    /// Claims the first pending run for `owner` (compare-and-set pending → running), or nil
    /// when nothing is pending. The run keeps the progress its last attempt recorded until
    /// the new owner records its own.
    public func claim(owner: QueueOwner, now: Date = Date()) throws(QueueError) -> QueuedRun? {
        try access {
            try pool.write { db -> QueuedRun? in
                guard let seq = try RunColumns.table.filter(RunColumns.state == QueuedRun.State.pending.stored)
                    .order(RunColumns.seq).select(RunColumns.seq, as: Int64.self).fetchOne(db) else { return nil }
                let changed = try RunColumns.table
                    .filter(RunColumns.seq == seq && RunColumns.state == QueuedRun.State.pending.stored)
                    .updateAll(db, [
                        RunColumns.state.set(to: QueuedRun.State.running.stored),
                        RunColumns.ownerPID.set(to: owner.pid),
                        RunColumns.ownerStartTicks.set(to: Int64(bitPattern: owner.startTicks)),
                        RunColumns.ownerHost.set(to: owner.host), RunColumns.ownerBootID.set(to: owner.bootID),
                        RunColumns.ownerToken.set(to: owner.token),
                        RunColumns.heartbeatAt.set(to: now.timeIntervalSince1970),
                        RunColumns.startedAt.set(to: now.timeIntervalSince1970), RunColumns.finishedAt.set(to: nil),
                        RunColumns.attempts += 1, RunColumns.cancelRequested.set(to: false), RunColumns.error.set(to: nil),
                    ])
                guard changed == 1 else { return nil }
                return try Self.fetchRun(db, seq: seq)
            }
        }
    }

    /// Records the latest progress of `owner`'s running runs and returns those of them
    /// that `popcode queue cancel` asked to stop.
    public func heartbeat(owner: QueueOwner, progress: [Int64: QueuedRun.Progress],
                          now: Date = Date()) throws(QueueError) -> Set<Int64> {
        try access {
            try pool.write { db in
                for (seq, p) in progress {
                    try RunColumns.held(seq, by: owner.token).updateAll(db, [
                        RunColumns.epochsDone.set(to: p.epochsDone), RunColumns.loss.set(to: p.loss),
                        RunColumns.mse.set(to: p.mse), RunColumns.heartbeatAt.set(to: now.timeIntervalSince1970),
                    ])
                }
                return Set(try RunColumns.table
                    .filter(RunColumns.state == QueuedRun.State.running.stored && RunColumns.ownerToken == owner.token
                            && RunColumns.cancelRequested == true)
                    .select(RunColumns.seq, as: Int64.self).fetchAll(db))
            }
        }
    }

    /// Moves a run `owner` holds to `state` (completed, failed, cancelled, or pending to give
    /// it back), adding `seconds` to its time. Returns false when `owner` no longer holds it.
    /// A completed or failed run marks its experiment's comparison for refreshing.
    ///
    /// `next` are runs to add as pending in the same transaction (those not queued yet): the
    /// next round of a halving search, which the run's result may have decided.
    public func finish(_ run: QueuedRun, owner: QueueOwner, state: QueuedRun.State, error: String? = nil,
                       progress: QueuedRun.Progress? = nil, seconds: Double = 0,
                       next: [PlannedRun] = [], now: Date = Date()) throws(QueueError) -> Bool {
        precondition(state != .running, "finish: a run cannot finish as running")
        return try access {
            try pool.write { db in
                var changes = RunColumns.releaseOwner + [
                    RunColumns.state.set(to: state.stored), RunColumns.error.set(to: error), RunColumns.seconds += seconds,
                    RunColumns.finishedAt.set(to: state == .pending ? nil : now.timeIntervalSince1970),
                ]
                if let progress {
                    changes.append(RunColumns.epochsDone.set(to: progress.epochsDone))
                    if let loss = progress.loss { changes.append(RunColumns.loss.set(to: loss)) }
                    if let mse = progress.mse { changes.append(RunColumns.mse.set(to: mse)) }
                }
                guard try RunColumns.held(run.seq, by: owner.token).updateAll(db, changes) == 1 else { return false }
                if state == .completed || state == .failed {
                    try Self.markStale(db, run.experimentFolder.path)
                }
                try Self.insertPending(db, next, experimentFolder: run.experimentFolder, experiment: run.experiment, now: now)
                return true
            }
        }
    }

    /// Gives the running runs of dead owners their new state: `resolve` sees each running
    /// run and returns nil to leave it (live owner) or the state it takes (pending, or
    /// completed when its folder holds the results). Compare-and-set on the owner, so a run
    /// is only ever taken from the owner `resolve` judged.
    public func reclaim(_ resolve: (QueuedRun) -> QueuedRun.State?,
                        now: Date = Date()) throws(QueueError) -> [(run: QueuedRun, state: QueuedRun.State)] {
        let running = try runs(in: [.running])
        let decided = running.compactMap { run in resolve(run).map { (run: run, state: $0) } }
        guard !decided.isEmpty else { return [] }
        return try access {
            try pool.write { db in
                var done: [(run: QueuedRun, state: QueuedRun.State)] = []
                for (run, state) in decided {
                    guard let token = run.owner?.token else { continue }
                    let changed = try RunColumns.held(run.seq, by: token).updateAll(db, RunColumns.releaseOwner + [
                        RunColumns.state.set(to: state.stored),
                        RunColumns.finishedAt.set(to: state == .pending ? nil : now.timeIntervalSince1970),
                    ])
                    guard changed == 1 else { continue }
                    if state == .completed { try Self.markStale(db, run.experimentFolder.path) }
                    done.append((run, state))
                }
                return done
            }
        }
    }

    // MARK: - Cancel and retry

    /// Cancels the selected runs: pending ones at once; running ones are asked to stop (their
    /// worker cancels them at its next epoch), or cancelled at once when their owner is dead.
    /// `.all` cancels every pending run and leaves running ones alone.
    public func cancel(_ selection: QueueSelection, now: Date = Date()) throws(QueueError) -> QueueChange {
        try access {
            try pool.write { db in
                let rows = try Row.fetchAll(db, Self.runs(selection).order(RunColumns.seq)).map(Self.run)
                var change = QueueChange(matched: rows.count)
                for run in rows {
                    switch run.state {
                    case .pending:
                        change.changed += try RunColumns.table
                            .filter(RunColumns.seq == run.seq && RunColumns.state == QueuedRun.State.pending.stored)
                            .updateAll(db, [RunColumns.state.set(to: QueuedRun.State.cancelled.stored),
                                            RunColumns.finishedAt.set(to: now.timeIntervalSince1970)])
                    case .running where selection != .all:
                        if let owner = run.owner, owner.liveness.isDead {
                            change.changed += try RunColumns.held(run.seq, by: owner.token)
                                .updateAll(db, RunColumns.releaseOwner + [
                                    RunColumns.state.set(to: QueuedRun.State.cancelled.stored),
                                    RunColumns.finishedAt.set(to: now.timeIntervalSince1970),
                                ])
                        } else {
                            try RunColumns.table.filter(RunColumns.seq == run.seq)
                                .updateAll(db, [RunColumns.cancelRequested.set(to: true)])
                            change.stopping += 1
                        }
                    case .running, .completed, .failed, .cancelled:
                        break
                    }
                }
                return change
            }
        }
    }

    /// Puts the selected failed and cancelled runs back to pending (they resume from their
    /// checkpoint when they have one).
    public func retry(_ selection: QueueSelection) throws(QueueError) -> QueueChange {
        try access {
            try pool.write { db in
                let matched = try Self.runs(selection).fetchCount(db)
                let changed = try Self.runs(selection)
                    .filter([QueuedRun.State.failed.stored, QueuedRun.State.cancelled.stored].contains(RunColumns.state))
                    .updateAll(db, [RunColumns.state.set(to: QueuedRun.State.pending.stored), RunColumns.error.set(to: nil),
                                    RunColumns.cancelRequested.set(to: false), RunColumns.finishedAt.set(to: nil)])
                return QueueChange(matched: matched, changed: changed)
            }
        }
    }

    // MARK: - Reading

    /// The runs in the given states (all by default), in queue order.
    public func runs(in states: Set<QueuedRun.State> = Set(QueuedRun.State.allCases)) throws(QueueError) -> [QueuedRun] {
        try access {
            try pool.read { db in
                try Row.fetchAll(db, RunColumns.table.filter(states.map(\.stored).contains(RunColumns.state))
                    .order(RunColumns.seq)).map(Self.run)
            }
        }
    }

    /// How `refreshStaleExperiments`' closure dealt with one experiment.
    enum Refresh: Sendable, Hashable {
        /// The files are written from the runs it was given.
        case written
        /// Another process writes them now; it picks up whatever it did not see.
        case busy
        /// They could not be written, for this reason.
        case failed(String)
    }

    /// Hands the experiments whose comparison files are out of date, each with its runs in
    /// plan order, to `refresh`, and returns the problems it reported.
    ///
    /// Nothing slow happens inside a transaction: the stale experiments and their runs are
    /// read in one short read, `refresh` renders outside any transaction (other workers
    /// claim, beat and finish meanwhile), and the experiment is marked up to date with a
    /// compare-and-set on its staleness counter, so a run that finished during the render
    /// keeps it stale and it is rendered again. `refresh` should hold a lock on the
    /// experiment's files while it writes them (`.busy` when another process holds it), so
    /// an older render never lands on a newer one unnoticed.
    func refreshStaleExperiments(_ refresh: (QueuedExperiment, [QueuedRun]) -> Refresh) throws(QueueError) -> [String] {
        var problems: [String] = []
        var settled: Set<String> = []
        while true {
            let stale = try access {
                try pool.read { db in
                    try Row.fetchAll(db, sql: "SELECT * FROM experiment WHERE comparison_stale > 0 ORDER BY name")
                        .map { row -> (QueuedExperiment, Int64, [QueuedRun]) in
                            let experiment = try Self.experiment(row)
                            let runs = try Row.fetchAll(db, RunColumns.table
                                .filter(RunColumns.experimentFolder == experiment.folder.path)
                                .order(RunColumns.planIndex, RunColumns.seq)).map(Self.run)
                            return (experiment, row["comparison_stale"], runs)
                        }
                        .filter { !settled.contains($0.0.folder.path) }
                }
            }
            guard !stale.isEmpty else { return problems }
            for (experiment, generation, runs) in stale {
                switch refresh(experiment, runs) {
                case .written:
                    try access {
                        try pool.write { db in
                            try db.execute(sql: """
                                UPDATE experiment SET comparison_stale = 0 WHERE folder = ? AND comparison_stale = ?
                                """, arguments: [experiment.folder.path, generation])
                        }
                    }
                case .busy:
                    settled.insert(experiment.folder.path)
                case .failed(let problem):
                    problems.append(problem)
                    settled.insert(experiment.folder.path)
                }
            }
        }
    }

    // MARK: - Searches

    /// The experiments in the queue whose file has a halving block.
    public func searches() throws(QueueError) -> [QueuedExperiment] {
        try access {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM experiment ORDER BY name").map(Self.experiment)
                    .filter { $0.spec.halving != nil }
            }
        }
    }

    /// Adds `runs` of the experiment in `folder` as pending, those not queued yet (by
    /// folder); returns how many were added.
    @discardableResult
    public func addPending(_ runs: [PlannedRun], of experiment: QueuedExperiment, now: Date = Date()) throws(QueueError) -> Int {
        try access {
            try pool.write { db in
                try Self.insertPending(db, runs, experimentFolder: experiment.folder, experiment: experiment.name, now: now)
            }
        }
    }

    @discardableResult
    private static func insertPending(_ db: Database, _ runs: [PlannedRun], experimentFolder: URL, experiment: String,
                                      now: Date) throws -> Int {
        var added = 0
        for run in runs {
            let folder = experimentFolder.appendingPathComponent(run.label).standardizedFileURL.path
            try db.execute(sql: """
                INSERT INTO run (run_id, experiment_folder, experiment, label, plan_index, folder, spec, epochs,
                                 state, added_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (folder) DO NOTHING
                """, arguments: [run.id, experimentFolder.path, experiment, run.label, run.index, folder,
                                 CompactJSON.spec(run.spec), run.spec.epochs, QueuedRun.State.pending.stored,
                                 now.timeIntervalSince1970])
            added += db.changesCount
        }
        return added
    }

    // MARK: - Rows

    private static func fetchRun(_ db: Database, seq: Int64) throws -> QueuedRun {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE seq = ?", arguments: [seq]) else {
            throw QueueError.database("run \(seq) vanished")
        }
        return try run(row)
    }

    private static func run(_ row: Row) throws -> QueuedRun {
        let seq: Int64 = row["seq"]
        guard let state = QueuedRun.State(stored: row["state"]) else {
            throw QueueError.database("run \(seq) has an unknown state")
        }
        var owner: QueueOwner?
        if let token: String = row["owner_token"] {
            owner = QueueOwner(pid: Int32(truncatingIfNeeded: row["owner_pid"] as Int64? ?? 0),
                               startTicks: UInt64(bitPattern: row["owner_start_ticks"] as Int64? ?? 0),
                               host: row["owner_host"] ?? "", bootID: row["owner_boot_id"], token: token)
        }
        let progress = (row["epochs_done"] as Int?).map {
            QueuedRun.Progress(epochsDone: $0, loss: row["loss"], mse: row["mse"])
        }
        return QueuedRun(
            seq: seq, id: row["run_id"], experiment: row["experiment"], label: row["label"],
            index: row["plan_index"], folder: URL(fileURLWithPath: row["folder"]),
            spec: try decode(RunSpec.self, row["spec"], what: "run \(seq)"), state: state, owner: owner,
            cancelRequested: row["cancel_requested"], progress: progress,
            heartbeatAt: date(row["heartbeat_at"]), attempts: row["attempts"], seconds: row["seconds"],
            error: row["error"], addedAt: date(row["added_at"]) ?? Date(timeIntervalSince1970: 0),
            startedAt: date(row["started_at"]), finishedAt: date(row["finished_at"]))
    }

    private static func experiment(_ row: Row) throws -> QueuedExperiment {
        let folder: String = row["folder"]
        return QueuedExperiment(folder: URL(fileURLWithPath: folder),
                                spec: try decode(ExperimentSpec.self, row["spec"], what: "experiment \(folder)"),
                                source: row["source"],
                                overrides: try decode([String].self, row["overrides"], what: "experiment \(folder)"))
    }

    /// Counts one more change to the experiment's runs since its files were written (a
    /// counter, not a flag, so that `refreshStaleExperiments` can compare and set it).
    private static func markStale(_ db: Database, _ experimentFolder: String) throws {
        try db.execute(sql: "UPDATE experiment SET comparison_stale = comparison_stale + 1 WHERE folder = ?",
                       arguments: [experimentFolder])
    }

    private static func runs(_ selection: QueueSelection) -> QueryInterfaceRequest<Row> {
        switch selection {
        case .run(let id): RunColumns.table.filter(RunColumns.runID == id)
        case .experiment(let name): RunColumns.table.filter(RunColumns.experiment == name)
        case .all: RunColumns.table.all()
        }
    }

    private static func date(_ seconds: Double?) -> Date? {
        seconds.map(Date.init(timeIntervalSince1970:))
    }

    private static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONCoding.compactEncoder.encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String, what: String) throws -> T {
        do {
            return try JSONCoding.decoder.decode(T.self, from: Data(text.utf8))
        } catch {
            throw QueueError.database("\(what) is unreadable (\(RunFolder.describe(error)))")
        }
    }

    /// Runs `body`, turning any error into a `QueueError`.
    private func access<T>(_ body: () throws -> T) throws(QueueError) -> T {
        do {
            return try body()
        } catch let error as QueueError {
            throw error
        } catch {
            throw .database(Self.describe(error))
        }
    }

    private static func describe(_ error: Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        return "\(error)"
    }
}

/// The `run` table's columns, for the query interface: no column name or state is spelled
/// in SQL outside the schema.
private enum RunColumns {
    static let table = Table("run")
    static let seq = Column("seq")
    static let runID = Column("run_id")
    static let experimentFolder = Column("experiment_folder")
    static let experiment = Column("experiment")
    static let planIndex = Column("plan_index")
    static let state = Column("state")
    static let cancelRequested = Column("cancel_requested")
    static let ownerPID = Column("owner_pid")
    static let ownerStartTicks = Column("owner_start_ticks")
    static let ownerHost = Column("owner_host")
    static let ownerBootID = Column("owner_boot_id")
    static let ownerToken = Column("owner_token")
    static let heartbeatAt = Column("heartbeat_at")
    static let epochsDone = Column("epochs_done")
    static let loss = Column("loss")
    static let mse = Column("mse")
    static let attempts = Column("attempts")
    static let seconds = Column("seconds")
    static let error = Column("error")
    static let startedAt = Column("started_at")
    static let finishedAt = Column("finished_at")

    /// A run leaving its owner (finished, given back, reclaimed, cancelled): the one place
    /// that clears the owner's columns.
    static var releaseOwner: [ColumnAssignment] { [
        ownerPID.set(to: nil), ownerStartTicks.set(to: nil), ownerHost.set(to: nil), ownerBootID.set(to: nil),
        ownerToken.set(to: nil), heartbeatAt.set(to: nil), cancelRequested.set(to: false),
    ] }

    /// The run `seq` while the worker with `token` holds it: every change to a claimed run is
    /// a compare-and-set on this.
    static func held(_ seq: Int64, by token: String) -> QueryInterfaceRequest<Row> {
        table.filter(self.seq == seq && state == QueuedRun.State.running.stored && ownerToken == token)
    }
}

extension QueuedRun.State {
    /// The state as stored: its raw value (`'pending'`, `'running'`, …), which the schema's
    /// CHECK lists. (A `DatabaseValueConvertible` conformance would be public, and GRDB is
    /// imported `internal`ly so that none of its types leaks into popcode's API; this
    /// property is the one bridge, used by `RunColumns` and the rows' decoding.)
    fileprivate var stored: DatabaseValue { rawValue.databaseValue }

    fileprivate init?(stored: DatabaseValue) {
        guard let text = String.fromDatabaseValue(stored) else { return nil }
        self.init(rawValue: text)
    }
}
