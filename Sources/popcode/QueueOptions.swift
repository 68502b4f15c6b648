import ArgumentParser
import Foundation
import PopCodeRunner

/// `--db`, shared by every queue command.
struct QueueDatabaseOption: ParsableArguments {
    @Option(help: ArgumentHelp("The queue database (default: <runs-dir>/queue.sqlite).", valueName: "path"))
    var db: String?

    func path(runsDir: String) -> String {
        db ?? URL(fileURLWithPath: runsDir).appendingPathComponent("queue.sqlite").relativePath
    }

    /// Opens the queue; errors are printed and end the command with their exit status.
    func open(runsDir: String, _ mode: QueueDatabase.OpenMode) throws -> QueueDatabase {
        do {
            return try QueueDatabase(path: path(runsDir: runsDir), mode: mode)
        } catch {
            throw error.reported()
        }
    }
}

/// `--runs-dir` and `--db`, for the queue commands that read no experiment file.
struct QueueOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Folder that holds the experiments' folders and, by default, the queue.", valueName: "dir"))
    var runsDir = "runs"

    @OptionGroup var database: QueueDatabaseOption

    var path: String { database.path(runsDir: runsDir) }

    func open(_ mode: QueueDatabase.OpenMode = .existing) throws -> QueueDatabase {
        try database.open(runsDir: runsDir, mode)
    }

    /// Opens the queue and applies `action` (cancel, retry) to the runs named by a run id,
    /// an experiment, or all; a run id or experiment that matches nothing is a usage error.
    func change(runID: String?, experiment: String?,
                _ action: (QueueDatabase, QueueSelection) throws(QueueError) -> QueueChange)
        throws -> (QueueSelection, QueueChange) {
        let selection: QueueSelection = if let runID { .run(id: runID) }
            else if let experiment { .experiment(experiment) } else { .all }
        let database = try open()
        let change: QueueChange
        do {
            change = try action(database, selection)
        } catch {
            throw error.reported()
        }
        if change.matched == 0 && selection != .all {
            printError("error: no run \(runID.map { "with id \($0)" } ?? "of experiment \(experiment ?? "")") in \(path)")
            throw ExitStatus.usage.exitCode
        }
        return (selection, change)
    }
}

extension QueueError {
    /// Prints the error and returns the exit code that ends the command: 2 for what the user
    /// fixes in the command line (a missing queue, conflicting results), 1 otherwise.
    func reported() -> ExitCode {
        printError("error: \(description)")
        switch self {
        case .missing, .conflicts: return ExitStatus.usage.exitCode
        case .cannotOpen, .database, .storage: return ExitStatus.runsFailed.exitCode
        }
    }
}
