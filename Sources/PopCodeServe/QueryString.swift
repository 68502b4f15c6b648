import Foundation

/// A request's query string, checked: at most 256 characters, well-formed percent
/// escapes, each key allowed by the route at most once, and each value passing its check.
/// Anything else is a `QueryString.Invalid`, which the routes answer with 400.
enum QueryString {
    struct Invalid: Error, Sendable {
        let reason: String
    }

    typealias Check = @Sendable (String) -> Bool

    /// 1 to 18 decimal digits.
    static let digits: Check = { value in
        (1...18).contains(value.count) && value.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    static func parse(_ raw: String?, allowed: [String: Check]) throws(Invalid) -> [String: String] {
        guard let raw, !raw.isEmpty else { return [:] }
        guard raw.count <= 256 else { throw Invalid(reason: "query string longer than 256 characters") }
        var values: [String: String] = [:]
        for piece in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let pair = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = String(pair[0]).removingPercentEncoding,
                  let value = (pair.count > 1 ? String(pair[1]) : "").removingPercentEncoding else {
                throw Invalid(reason: "malformed percent escape in the query string")
            }
            guard let check = allowed[key] else {
                let known = allowed.keys.sorted()
                // The key is echoed only when it is a plain word.
                let plain = key.count <= 40 && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
                throw Invalid(reason: "unknown query parameter" + (plain ? " '\(key)'" : "")
                              + (known.isEmpty ? " (this page takes none)" : " (this page takes \(known.joined(separator: ", ")))"))
            }
            guard values[key] == nil else { throw Invalid(reason: "query parameter '\(key)' given twice") }
            guard check(value) else { throw Invalid(reason: "bad value for query parameter '\(key)'") }
            values[key] = value
        }
        return values
    }
}
