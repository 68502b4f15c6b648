import Foundation
import GRDB
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
        var folder: URL
        var completedOnDisk: Bool
    }

    /// Decides (`QueueAdmission`) and applies the fate of each candidate, records the
    /// experiment, and calls `whileLocked` (which writes the experiment's files), all in one
    /// transaction: on a conflict or an error nothing is added.
    func add(_ experiment: QueuedExperiment, candidates: [Candidate], now: Date = Date(),
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
                for candidate in candidates {
                    let existing = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE folder = ?",
                                                    arguments: [candidate.folder.path]).map(Self.run)
                    let decision = QueueAdmission.decide(existing: existing, id: candidate.run.id,
                                                         completedOnDisk: candidate.completedOnDisk)
                    decisions.append(decision)
                    let spec = try Self.json(candidate.run.spec)
                    switch decision {
                    case .insert:
                        try db.execute(sql: """
                            INSERT INTO run (run_id, experiment_folder, experiment, label, plan_index, folder,
                                             spec, epochs, state, added_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)
                            """, arguments: [candidate.run.id, experiment.folder.path, experiment.name,
                                             candidate.run.label, candidate.run.index, candidate.folder.path,
                                             spec, candidate.run.spec.epochs, now.timeIntervalSince1970])
                    case .requeue, .markCompleted:
                        let completed = decision == .markCompleted
                        try db.execute(sql: """
                            UPDATE run SET run_id = ?, experiment = ?, label = ?, plan_index = ?, spec = ?,
                                epochs = ?, state = ?, cancel_requested = 0, error = NULL, epochs_done = NULL,
                                loss = NULL, mse = NULL, added_at = ?, finished_at = ?
                            WHERE seq = ?
                            """, arguments: [candidate.run.id, experiment.name, candidate.run.label,
                                             candidate.run.index, spec, candidate.run.spec.epochs,
                                             completed ? "completed" : "pending", now.timeIntervalSince1970,
                                             completed ? now.timeIntervalSince1970 : nil, existing!.seq])
                        stale = stale || completed
                    case .conflict(let existingID, let state):
                        conflicts.append("\(QueuedRun.displayPath(candidate.folder)) is \(state.rawValue) in the queue "
                                         + "with another spec (id \(existingID), now \(candidate.run.id))")
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
                guard let seq = try Int64.fetchOne(
                    db, sql: "SELECT seq FROM run WHERE state = 'pending' ORDER BY seq LIMIT 1") else { return nil }
                try db.execute(sql: """
                    UPDATE run SET state = 'running', owner_pid = ?, owner_start_ticks = ?, owner_host = ?,
                        owner_boot_id = ?, owner_token = ?, heartbeat_at = ?, started_at = ?, finished_at = NULL,
                        attempts = attempts + 1, cancel_requested = 0, error = NULL
                    WHERE seq = ? AND state = 'pending'
                    """, arguments: [owner.pid, Int64(bitPattern: owner.startTicks), owner.host, owner.bootID,
                                     owner.token, now.timeIntervalSince1970, now.timeIntervalSince1970, seq])
                guard db.changesCount == 1 else { return nil }
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
                    try db.execute(sql: """
                        UPDATE run SET epochs_done = ?, loss = ?, mse = ?, heartbeat_at = ?
                        WHERE seq = ? AND state = 'running' AND owner_token = ?
                        """, arguments: [p.epochsDone, p.loss, p.mse, now.timeIntervalSince1970, seq, owner.token])
                }
                return Set(try Int64.fetchAll(db, sql: """
                    SELECT seq FROM run WHERE state = 'running' AND owner_token = ? AND cancel_requested = 1
                    """, arguments: [owner.token]))
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
                try db.execute(sql: """
                    UPDATE run SET state = ?, owner_pid = NULL, owner_start_ticks = NULL, owner_host = NULL,
                        owner_boot_id = NULL, owner_token = NULL, heartbeat_at = NULL, cancel_requested = 0,
                        error = ?, epochs_done = COALESCE(?, epochs_done), loss = COALESCE(?, loss),
                        mse = COALESCE(?, mse), seconds = seconds + ?, finished_at = ?
                    WHERE seq = ? AND state = 'running' AND owner_token = ?
                    """, arguments: [state.rawValue, error, progress?.epochsDone, progress?.loss, progress?.mse,
                                     seconds, state == .pending ? nil : now.timeIntervalSince1970,
                                     run.seq, owner.token])
                guard db.changesCount == 1 else { return false }
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
                    try db.execute(sql: """
                        UPDATE run SET state = ?, owner_pid = NULL, owner_start_ticks = NULL, owner_host = NULL,
                            owner_boot_id = NULL, owner_token = NULL, heartbeat_at = NULL, cancel_requested = 0,
                            finished_at = ?
                        WHERE seq = ? AND state = 'running' AND owner_token = ?
                        """, arguments: [state.rawValue, state == .pending ? nil : now.timeIntervalSince1970,
                                         run.seq, run.owner?.token])
                    guard db.changesCount == 1 else { continue }
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
                let (condition, arguments) = Self.condition(selection)
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM run WHERE \(condition) ORDER BY seq",
                                            arguments: arguments).map(Self.run)
                var change = QueueChange(matched: rows.count)
                for run in rows {
                    switch run.state {
                    case .pending:
                        try db.execute(sql: """
                            UPDATE run SET state = 'cancelled', finished_at = ? WHERE seq = ? AND state = 'pending'
                            """, arguments: [now.timeIntervalSince1970, run.seq])
                        change.changed += db.changesCount
                    case .running where selection != .all:
                        if let owner = run.owner, owner.liveness.isDead {
                            try db.execute(sql: """
                                UPDATE run SET state = 'cancelled', owner_pid = NULL, owner_start_ticks = NULL,
                                    owner_host = NULL, owner_boot_id = NULL, owner_token = NULL,
                                    heartbeat_at = NULL, cancel_requested = 0, finished_at = ?
                                WHERE seq = ? AND state = 'running' AND owner_token = ?
                                """, arguments: [now.timeIntervalSince1970, run.seq, owner.token])
                            change.changed += db.changesCount
                        } else {
                            try db.execute(sql: "UPDATE run SET cancel_requested = 1 WHERE seq = ?",
                                           arguments: [run.seq])
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
                let (condition, arguments) = Self.condition(selection)
                let matched = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run WHERE \(condition)",
                                               arguments: arguments) ?? 0
                try db.execute(sql: """
                    UPDATE run SET state = 'pending', error = NULL, cancel_requested = 0, finished_at = NULL
                    WHERE state IN ('failed', 'cancelled') AND \(condition)
                    """, arguments: arguments)
                return QueueChange(matched: matched, changed: db.changesCount)
            }
        }
    }

    // MARK: - Reading

    /// The runs in the given states (all by default), in queue order.
    public func runs(in states: Set<QueuedRun.State> = Set(QueuedRun.State.allCases)) throws(QueueError) -> [QueuedRun] {
        let names = QueuedRun.State.allCases.filter(states.contains).map(\.rawValue)
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        return try access {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM run WHERE state IN (\(placeholders)) ORDER BY seq",
                                 arguments: StatementArguments(names)).map(Self.run)
            }
        }
    }

    /// The experiments whose comparison files are out of date, each with its runs in plan
    /// order, are handed to `refresh` one at a time while every other writer waits, so two
    /// workers never write an older comparison over a newer one. `refresh` returns nil when
    /// it wrote the files (the experiment is then up to date) or the reason it could not.
    func refreshStaleExperiments(_ refresh: (QueuedExperiment, [QueuedRun]) -> String?) throws(QueueError) -> [String] {
        try access {
            try pool.write { db in
                var problems: [String] = []
                let stale = try Row.fetchAll(db, sql: "SELECT * FROM experiment WHERE comparison_stale = 1 ORDER BY name")
                for row in stale {
                    let experiment = try Self.experiment(row)
                    let runs = try Row.fetchAll(db, sql: """
                        SELECT * FROM run WHERE experiment_folder = ? ORDER BY plan_index, seq
                        """, arguments: [experiment.folder.path]).map(Self.run)
                    if let problem = refresh(experiment, runs) {
                        problems.append(problem)
                    } else {
                        try db.execute(sql: "UPDATE experiment SET comparison_stale = 0 WHERE folder = ?",
                                       arguments: [experiment.folder.path])
                    }
                }
                return problems
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
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)
                ON CONFLICT (folder) DO NOTHING
                """, arguments: [run.id, experimentFolder.path, experiment, run.label, run.index, folder,
                                 try json(run.spec), run.spec.epochs, now.timeIntervalSince1970])
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
        guard let state = QueuedRun.State(rawValue: row["state"]) else {
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

    private static func markStale(_ db: Database, _ experimentFolder: String) throws {
        try db.execute(sql: "UPDATE experiment SET comparison_stale = 1 WHERE folder = ?", arguments: [experimentFolder])
    }

    private static func condition(_ selection: QueueSelection) -> (String, StatementArguments) {
        switch selection {
        case .run(let id): ("run_id = ?", [id])
        case .experiment(let name): ("experiment = ?", [name])
        case .all: ("1", [])
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
