import ArgumentParser
import Foundation
import PopCode
import PopCodeRunner

/// `popcode`: the dipole population-code experiment (Zemel & Hinton, 1995) as a batch runner.
///
/// Exit status: 0 all good, 1 some runs failed, 2 bad configuration or usage.
@main
struct Popcode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "popcode",
        abstract: "Train and compare dipole population-code autoencoders (Zemel & Hinton, 1995).",
        discussion: """
            Typical use:
              popcode run configs/seeds.yaml      train a sweep, print the table
              popcode compare runs/seeds          the table again (or CSV, JSON)
              popcode train --seed 0 --out runs/one     a single run from flags

            Exit status: 0 all good, 1 some runs failed, 2 bad configuration or usage.
            """,
        version: "popcode \(RunEnvironment.popcodeVersion)",
        subcommands: [RunCommand.self, CompareCommand.self, ReportCommand.self, QueueCommand.self, SlurmCommand.self,
                      ServeCommand.self, TrainCommand.self])

    static func main() {
        Linear.useSingleThread()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    /// Prints `error` the way ArgumentParser does, but maps usage errors to status 2.
    static func exit(withError error: Error) -> Never {
        if let exitCode = error as? ExitCode {
            Foundation.exit(exitCode.rawValue)
        }
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if code == .success {
            print(message)
            Foundation.exit(0)
        }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
    }
}

/// The documented exit statuses.
enum ExitStatus: Int32 {
    case success = 0
    case runsFailed = 1
    case usage = 2

    var exitCode: ExitCode { ExitCode(rawValue) }
}

/// Writes `text` and a newline to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
