#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// What `stat(2)` says of a path: enough to tell that a file changed without reading it.
/// The only file of the dashboard that makes system calls on paths.
struct FileStamp: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case file, folder, other }

    let kind: Kind
    let size: Int64
    /// Modification time in nanoseconds since 1970.
    let modified: Int64
    let inode: UInt64

    /// The stamp of `path` (symbolic links followed), nil when it does not exist.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .folder
        default: kind = .other
        }
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        inode = UInt64(info.st_ino)
    }

    /// The canonical absolute path of `path` (`realpath(3)`: symbolic links, `.` and `..`
    /// resolved), nil when it does not exist.
    static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
