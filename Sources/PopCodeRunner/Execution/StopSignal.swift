import Dispatch
import Foundation
import Synchronization

/// The installed signal sources, kept alive for the life of the process; written only by
/// `StopSignal.install`, which the CLI calls once from its main thread.
nonisolated(unsafe) private var keepAlive: [DispatchSourceSignal] = []

/// Turns SIGINT and SIGTERM into a polite stop request: the first signal sets
/// `requested` (runs checkpoint and stop at their next epoch), a second one exits at once
/// with status 130. Files are only ever replaced atomically, so even that loses nothing
/// already written.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    private let onFirst: Mutex<(@Sendable () -> Void)?> = Mutex(nil)

    /// A stop flag not tied to any signal (tests, embedding programs): call `request()`.
    public init() {}

    /// True once a stop was requested.
    public var requested: Bool { flag.load(ordering: .acquiring) }

    /// Requests a stop, as a first signal would.
    public func request() { flag.store(true, ordering: .releasing) }

    /// Calls `action` (once, on a background queue) when the first signal arrives.
    public func onRequest(_ action: @escaping @Sendable () -> Void) {
        onFirst.withLock { $0 = action }
    }

    /// What a first signal prints while training runs are stopping politely.
    public static let trainingNotice =
        "\nstopping: finishing the current epoch and saving checkpoints (press Ctrl-C again to quit at once)\n"

    /// Installs the handlers for this process and returns the shared stop flag; a first signal
    /// prints `notice` (nothing when nil).
    public static func install(signals: [Int32] = [SIGINT, SIGTERM],
                               notice: String? = StopSignal.trainingNotice) -> StopSignal {
        let stop = StopSignal()
        let queue = DispatchQueue(label: "popcode.signals")
        var installed: [DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [stop] in
                if stop.flag.exchange(true, ordering: .acquiringAndReleasing) {
                    FileHandle.standardError.write(Data("\nstopping now\n".utf8))
                    exit(130)
                }
                if let notice { FileHandle.standardError.write(Data(notice.utf8)) }
                stop.onFirst.withLock { $0 }?()
            }
            source.resume()
            installed.append(source)
        }
        keepAlive.append(contentsOf: installed)
        return stop
    }
}
