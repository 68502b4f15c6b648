import ArgumentParser
import Foundation
import PopCodeServe
import PopCodeServeOptions

/// `popcode-serve`: the dashboard server, which `popcode serve` starts.
///
/// Exit status: 0 after Ctrl-C or SIGTERM, 1 when the server failed while running, 2 for
/// bad options, a missing runs folder or an address that cannot be listened on.
@main
struct PopcodeServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "popcode-serve", abstract: ServeOptions.abstract, discussion: ServeOptions.discussion)

    @OptionGroup var options: ServeOptions

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if !(error is ExitCode) { FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    func run() async throws {
        if !options.isLoopback {
            printError("""
                warning: listening on \(options.host): anyone who can reach this machine on port \(options.port) \
                can read your runs (the dashboard has no password). The default, 127.0.0.1, answers this \
                machine only; reach it from elsewhere with ssh -L \(options.port):127.0.0.1:\(options.port).
                """)
        }
        let runsDir = options.runsDir, database = options.databasePath
        do {
            try await DashboardServer.run(runsFolder: runsDir, database: database, host: options.host,
                                          port: options.port) { address in
                let line = "popcode serve: \(address) (runs folder \(runsDir), queue \(database)); Ctrl-C stops it\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
        } catch {
            printError("error: \(error.description)")
            if case .failed = error { throw ExitCode(1) }
            throw ExitCode(2)
        }
        printError("popcode serve: stopped")
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
