import ArgumentParser
import Foundation
import PopCodeServeOptions

/// `popcode serve`: checks the options and replaces itself with `popcode-serve`, the
/// dashboard server built beside it (a separate program, so that popcode itself never
/// carries the HTTP server and its dependencies).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: ServeOptions.abstract, discussion: ServeOptions.discussion)

    @OptionGroup var options: ServeOptions

    func run() throws {
        let server = Self.serverExecutable()
        guard FileManager.default.isExecutableFile(atPath: server.path) else {
            printError("""
                error: the dashboard server is not built: no \(server.path)
                build it with: swift build -c release --product popcode-serve
                """)
            throw ExitStatus.usage.exitCode
        }
        var arguments = [server.path, "--runs-dir", options.runsDir, "--port", "\(options.port)",
                         "--host", options.host]
        if let db = options.db { arguments += ["--db", db] }
        // execv returns only when it failed.
        let pointers = arguments.map { strdup($0) } + [nil]
        execv(server.path, pointers)
        printError("error: cannot start \(server.path): \(String(cString: strerror(errno)))")
        throw ExitStatus.runsFailed.exitCode
    }

    /// `popcode-serve` in the folder of the running popcode (symbolic links followed).
    static func serverExecutable() -> URL {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("popcode-serve")
    }
}
