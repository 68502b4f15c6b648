import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// Runs the dashboard's HTTP server until SIGINT or SIGTERM, then stops gracefully.
public enum DashboardServer {
    /// Why the server did not run.
    public enum Failure: Error, CustomStringConvertible {
        /// The runs folder does not exist.
        case noRunsFolder(String)
        /// The address could not be bound (in use, not this machine's, no permission).
        case cannotListen(host: String, port: Int, reason: String)
        /// The server failed while running.
        case failed(String)

        public var description: String {
            switch self {
            case .noRunsFolder(let path):
                "no runs folder \(path) (popcode run or popcode queue add creates it; or give --runs-dir)"
            case .cannotListen(let host, let port, let reason):
                reason.contains("Address already in use")
                    ? "port \(port) on \(host) is in use by another program: choose another with --port (0 picks a free one)"
                    : "cannot listen on \(host):\(port): \(reason)"
            case .failed(let reason):
                "the dashboard server stopped: \(reason)"
            }
        }
    }

    /// Serves `runsFolder` on `host:port` and calls `started` with the address it listens
    /// on once it does; returns after a graceful stop.
    public static func run(runsFolder: String, database: String, host: String, port: Int,
                           started: @escaping @Sendable (String) -> Void) async throws(Failure) {
        guard let dashboard = Dashboard(runsFolder: runsFolder, database: database) else {
            throw .noRunsFolder(runsFolder)
        }
        let loopback = DashboardMiddleware<BasicRequestContext>.loopbackNames
        var logger = Logger(label: "popcode-serve")
        logger.logLevel = .error
        let running = Flag()
        let app = Application(
            router: dashboard.router(allowedHosts: loopback.contains(host) || host.hasPrefix("127.") ? loopback.union([host]) : nil),
            configuration: .init(address: .hostname(host, port: port), serverName: "popcode-serve"),
            onServerRunning: { channel in
                running.set()
                // Read every experiment and render its tables and plots once now, so that the
                // first pages come from the cache (the index does not wait for this).
                Task.detached(priority: .utility) { dashboard.warmUp() }
                let port = channel.localAddress?.port ?? port
                let shown = host.contains(":") ? "[\(host)]" : host
                started("http://\(shown):\(port)/")
            },
            logger: logger)
        do {
            try await app.runService()
        } catch {
            let reason = String(describing: error)
            throw running.value ? .failed(reason) : .cannotListen(host: host, port: port, reason: reason)
        }
    }
}

/// A flag set once from the server's callback and read after it stopped.
private final class Flag: Sendable {
    private let state = Atomic(false)
    func set() { state.store(true, ordering: .releasing) }
    var value: Bool { state.load(ordering: .acquiring) }
}
