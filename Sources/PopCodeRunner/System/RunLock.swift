import Foundation

/// The advisory lock of one run folder (`<run>/.lock`): whoever trains a run holds it, so
/// two processes (`popcode run`, `queue run`, Slurm tasks, in any mix) never train the same
/// run at once.
///
/// It is a `flock(2)` lock on an open file, so the kernel releases it when its holder dies,
/// however it dies (kill -9 included): no stale lock to clean up by hand. On NFS, Linux
/// emulates `flock` with byte-range locks, which the server arbitrates between nodes.
/// The holder writes `pid <pid> on <host>` into the file, for the messages of those who
/// find it taken, and empties it when it lets go: a non-empty `.lock` nobody holds is the
/// note of a holder killed before it let go (`clearStaleNote` empties it).
///
/// The file stays: a run creates it once and never removes it, because every removal costs
/// later file creations (on ext4 without a journal the allocator rereads recently freed
/// inodes for minutes after mass deletions; see popcode-bench `store`). Older popcode
/// binaries did remove it at release, and anyone may remove a run folder, so an acquirer
/// still checks that the file it locked is the one at the path (same inode), else tries
/// again: a lock taken on a removed file would exclude nobody.
public final class RunLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    public static let fileName = ".lock"

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        // Emptied before it is unlocked (closing the file unlocks it): the next holder, and
        // whoever reads the file, never finds this holder's note once it has let go.
        _ = SystemCall.retryingInterrupts { ftruncate(descriptor, 0) }
        close(descriptor)
    }

    /// What `acquire` found.
    public enum Attempt: Sendable {
        case acquired(RunLock)
        /// Another open file holds it: a live process (possibly this one) trains the run.
        case busy(holder: String)
    }

    /// Takes the lock of `folder` (created when missing) if nobody holds it; never waits.
    public static func acquire(_ folder: URL) throws(AtomicFile.WriteError) -> Attempt {
        try AtomicFile.makeFolder(folder)
        let path = folder.appendingPathComponent(fileName).path
        while true {
            let fd = SystemCall.retryingInterrupts { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
            guard fd >= 0 else { throw AtomicFile.WriteError(path: path, reason: SystemCall.reason()) }
            if SystemCall.retryingInterrupts({ flock(fd, LOCK_EX | LOCK_NB) }) != 0 {
                let error = errno
                let holder = error == EWOULDBLOCK ? Self.holder(fd) : nil
                close(fd)
                guard error == EWOULDBLOCK else {
                    throw AtomicFile.WriteError(path: path, reason: SystemCall.reason(error))
                }
                return .busy(holder: holder ?? "another process")
            }
            // Locked, but the holder before us may have removed the file since we opened it
            // (an older popcode did so at release), and whoever opened the path after that
            // locks another file: try again on the file now at the path.
            var opened = stat(), current = stat()
            guard fstat(fd, &opened) == 0, stat(path, &current) == 0,
                  opened.st_ino == current.st_ino, opened.st_dev == current.st_dev else {
                close(fd)
                continue
            }
            let note = "pid \(getpid()) on \(AtomicFile.hostTag)\n"
            if opened.st_size > 0 { _ = SystemCall.retryingInterrupts { ftruncate(fd, 0) } }  // a killed holder's note
            _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
            return .acquired(RunLock(path: path, descriptor: fd))
        }
    }

    /// Empties the note a holder killed before it let go left in `folder`'s lock file (the
    /// kernel released its lock; the note stays): taken and let go at once, so a live
    /// holder's note is never touched. Called for runs found completed after a kill, whose
    /// lock nobody takes again; an empty or missing file is left as it is.
    public static func clearStaleNote(in folder: URL) {
        var info = stat()
        guard stat(folder.appendingPathComponent(fileName).path, &info) == 0, info.st_size > 0 else { return }
        if case .acquired(let lock)? = try? acquire(folder) { withExtendedLifetime(lock) {} }
    }

    /// Takes the lock of `folder`, waiting (polling every `interval`) while another process
    /// holds it; `waiting` is called once, with the holder, if it has to wait. Returns nil
    /// when `shouldStop` becomes true first.
    public static func acquire(_ folder: URL, interval: Duration = .milliseconds(100),
                               waiting: (String) -> Void,
                               shouldStop: () -> Bool) throws(AtomicFile.WriteError) -> RunLock? {
        var announced = false
        while true {
            switch try acquire(folder) {
            case .acquired(let lock):
                return lock
            case .busy(let holder):
                if !announced {
                    waiting(holder)
                    announced = true
                }
                if shouldStop() { return nil }
                Thread.sleep(forTimeInterval: interval.seconds)
            }
        }
    }

    /// What the holder wrote into the file.
    private static func holder(_ fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = pread(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
