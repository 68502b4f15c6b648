import Foundation
import PopCode

/// Whole-file writes that never leave a half-written file behind: the bytes go to a
/// temporary file in the same folder, are flushed to disk, and the temporary file is
/// renamed over the destination (an atomic step on POSIX file systems).
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `data` to `url` atomically, creating the parent folder when missing. With
    /// `durable` (the default) the bytes are flushed to disk before the rename; without it
    /// the file is still never seen half-written, but a power loss may lose it.
    public static func write(_ data: Data, to url: URL, durable: Bool = true) throws(WriteError) {
        try write(to: url, durable: durable) { (emit) throws(WriteError) in try emit(data) }
    }

    /// Writes the bytes `produce` hands to its `emit` closure, in order, to `url` atomically
    /// (as `write(_:to:durable:)`): for files too large to hold in memory at once. An error
    /// thrown by `produce` leaves the destination as it was.
    public static func write(to url: URL, durable: Bool = true,
                             _ produce: (_ emit: (Data) throws(WriteError) -> Void) throws(WriteError) -> Void) throws(WriteError) {
        let folder = url.deletingLastPathComponent()
        try makeFolder(folder)
        let temporary = folder.appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(hostTag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path: url.path, reason: String(cString: strerror(errno))) }
        func emit(_ data: Data) throws(WriteError) {
            var failure: String?
            data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                var offset = 0
                while offset < bytes.count {
                    let written = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        failure = String(cString: strerror(errno))
                        return
                    }
                    offset += written
                }
            }
            if let failure { throw WriteError(path: url.path, reason: failure) }
        }
        var failure: WriteError?
        do {
            try produce(emit)
            if durable && fsync(fd) != 0 { failure = WriteError(path: url.path, reason: String(cString: strerror(errno))) }
        } catch {
            failure = error
        }
        close(fd)
        if failure == nil, rename(temporary.path, url.path) != 0 {
            failure = WriteError(path: url.path, reason: String(cString: strerror(errno)))
        }
        if let failure {
            unlink(temporary.path)
            throw failure
        }
    }

    /// Encodes `value` as JSON (pretty and key-sorted by default) and writes it atomically.
    public static func writeJSON<T: Encodable>(_ value: T, to url: URL, encoder: JSONEncoder = JSONCoding.encoder,
                                               durable: Bool = true) throws(WriteError) {
        let data: Data
        do { data = try encoder.encode(value) } catch {
            throw WriteError(path: url.path, reason: "cannot encode: \(error)")
        }
        try write(data + Data("\n".utf8), to: url, durable: durable)
    }

    /// Flushes what was written without `durable` to disk: one `sync(2)` (every file
    /// system's dirty data; there is no `syncfs` in Swift's Glibc module) in place of one
    /// flush per file, for a schedule of many small runs (`ResultDurability.deferred`).
    public static func flushAll() {
        sync()
    }

    /// This machine's name as it appears in temporary file names (letters, digits, `.`).
    static let hostTag: String = {
        let name = ProcessInfo.processInfo.hostName.filter { $0.isLetter || $0.isNumber || $0 == "." }
        return name.isEmpty ? "host" : String(name.prefix(64))
    }()

    /// Removes the temporary files that interrupted writes left in `folder`
    /// (`.NAME.tmp-HOST-PID-RANDOM`): on this host, those whose writer's pid is gone; from
    /// other hosts sharing the folder (a cluster file system), where the pid says nothing,
    /// only those untouched for an hour. A live write in progress is never removed.
    public static func removeLeftovers(in folder: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(".") {
            guard let marker = name.range(of: ".tmp-", options: .backwards) else { continue }
            let fields = name[marker.upperBound...].split(separator: "-")
            guard fields.count == 3, let pid = Int32(fields[1]), pid > 0 else { continue }
            let file = folder.appendingPathComponent(name)
            if fields[0] == hostTag {
                if pid == getpid() || kill(pid, 0) == 0 || errno == EPERM { continue }
            } else {
                let modified = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
                guard let modified, modified < Date(timeIntervalSinceNow: -3600) else { continue }
            }
            try? FileManager.default.removeItem(at: file)
        }
    }

    /// `mkdir -p`: creates `folder` and its missing parents; the error names the first
    /// component that could not be made, with the system's reason.
    public static func makeFolder(_ folder: URL) throws(WriteError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return
        }
        var path = folder.path.hasPrefix("/") ? "" : "."
        for component in folder.path.split(separator: "/") {
            path += "/" + component
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw WriteError(path: path, reason: String(cString: strerror(errno)))
            }
        }
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw WriteError(path: folder.path, reason: String(cString: strerror(ENOTDIR)))
        }
    }
}

/// The JSON settings every popcode file uses.
public enum JSONCoding {
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// Sorted keys, no whitespace: for large files that people do not read (artifacts).
    public static var compactEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// Compact, with matrices stored as exact little-endian bytes (base64): checkpoints.
    public static var binaryEncoder: JSONEncoder {
        let encoder = compactEncoder
        encoder.userInfo[Matrix.binaryStorage] = true
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
