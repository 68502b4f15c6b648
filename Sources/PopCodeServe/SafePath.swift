import Foundation

/// Turns the names in a URL into a path inside the runs folder, or nothing.
///
/// Every name is percent-decoded once and must be a plain file or folder name: not empty,
/// not `.` or `..`, not hidden (`.tmp` files), without `/`, `\` or control characters.
/// The joined path is then resolved (`realpath`: symbolic links included) and must still lie
/// inside the runs folder. Anything else is nil, which the routes answer with 404 before
/// reading a byte.
struct SafePath: Sendable {
    /// The runs folder, canonical.
    let root: String

    /// Nil when `root` does not exist.
    init?(root: String) {
        guard let canonical = FileStamp.canonicalPath(root) else { return nil }
        self.root = canonical
    }

    /// A URL path segment decoded into a name, nil when it is not a plain name.
    static func name(_ segment: some StringProtocol) -> String? {
        guard segment.count <= 255, let decoded = String(segment).removingPercentEncoding else { return nil }
        guard !decoded.isEmpty, !decoded.hasPrefix("."), decoded.count <= 255 else { return nil }
        guard !decoded.unicodeScalars.contains(where: { $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7f })
        else { return nil }
        return decoded
    }

    /// True when `path` exists and, symbolic links resolved, lies inside the root.
    func contains(_ path: String) -> Bool {
        FileStamp.canonicalPath(path)?.hasPrefix(root + "/") ?? false
    }

    /// The canonical path of `names` joined under the root when it exists inside the root.
    func resolve(_ names: [String]) -> String? {
        guard !names.isEmpty, names.allSatisfy({ Self.name($0) == $0 }) else { return nil }
        let joined = root + "/" + names.joined(separator: "/")
        guard let canonical = FileStamp.canonicalPath(joined), canonical.hasPrefix(root + "/") else { return nil }
        return canonical
    }
}
