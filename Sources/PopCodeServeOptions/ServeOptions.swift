import ArgumentParser

/// The options of `popcode serve`, parsed by `popcode` (which checks them before it starts
/// `popcode-serve`) and by `popcode-serve` itself: one definition for both.
public struct ServeOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp("Folder of experiment folders to show (read only).", valueName: "dir"))
    public var runsDir = "runs"

    @Option(help: ArgumentHelp("Port to listen on (0: any free port, printed at start).", valueName: "port"))
    public var port = 8080

    @Option(help: ArgumentHelp("""
        Address to listen on. The default answers this machine only; another address \
        (0.0.0.0: every interface) shows your runs to the network, with a warning.
        """, valueName: "address"))
    public var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The queue database (default: <runs-dir>/queue.sqlite), opened read-only.",
                               valueName: "path"))
    public var db: String?

    public init() {}

    public func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535, not \(port)")
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || ".-:_".contains($0) }) else {
            throw ValidationError("--host must be an address or host name such as 127.0.0.1, ::1 or 0.0.0.0")
        }
    }

    /// The queue database's path.
    public var databasePath: String {
        db ?? (runsDir.hasSuffix("/") ? runsDir : runsDir + "/") + "queue.sqlite"
    }

    /// True for addresses that only this machine can reach.
    public var isLoopback: Bool {
        ["127.0.0.1", "localhost", "::1"].contains(host) || host.hasPrefix("127.")
    }

    /// The text that explains `popcode serve`.
    public static let abstract = "Show the runs folder and the queue in a live local dashboard (a web page)."

    public static let discussion = """
        Starts a small web server for the runs folder: an index of the experiments and of the \
        queue (counts by state, runs per second, ETA, failures with their reasons), a page per \
        experiment (the comparison table, sortable by any column; the report's plots; live \
        curves of the runs in training) and a page per run (spec, metrics, curves, m̂ plots, its \
        files). Pages update themselves every 2 seconds while runs finish. It reads the run \
        folders and the queue database and writes nothing; it serves no file outside the runs \
        folder. Open the address it prints in a browser; Ctrl-C stops it.

        The server is the separate program popcode-serve, built beside popcode with \
        `swift build -c release --product popcode-serve`.

        Examples:
          popcode serve                                  http://127.0.0.1:8080/
          popcode serve --runs-dir /data/runs --port 9000
          ssh -L 8080:127.0.0.1:8080 server              then popcode serve on the server
        """
}
