import ArgumentParser
import Foundation
import PopCodeRunner

/// Options shared by the commands that read an experiment file.
struct SweepOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override or add a key, parsed like the file: --set lr=0.05, --set \"seed=[0,1,2]\", --set \"seed={from: 0, to: 9}\". Repeatable.",
        valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("Folder that holds the experiments' folders.", valueName: "dir"))
    var runsDir = "runs"

    /// The file's experiment with the overrides, expanded; config errors are printed
    /// compiler-style and end the command with status 2.
    func load(file: String) throws -> Sweep {
        do {
            let experiment = try ExperimentLoader.load(path: file, overrides: overrides)
            return Sweep(experiment: experiment, runsDirectory: URL(fileURLWithPath: runsDir))
        } catch {
            printError(error.description)
            throw ExitStatus.usage.exitCode
        }
    }
}

extension Sweep {
    /// Ends the command with status 2 when the experiment is a halving search, which
    /// `command` does not run; `instead` says what does.
    func refuseHalving(_ command: String, instead: String) throws {
        guard experiment.halving != nil else { return }
        printError("error: \(command) does not run halving searches: each round's runs depend on the results "
                   + "of the round before; \(instead)")
        throw ExitStatus.usage.exitCode
    }
}
