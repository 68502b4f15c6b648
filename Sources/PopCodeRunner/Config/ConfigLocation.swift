/// A place in one of an experiment's sources (its file or one `--set` argument).
struct ConfigLocation: Sendable {
    let source: SourceText
    let mark: SourceMark

    func error(_ message: String, note: String? = nil) -> ConfigError {
        source.error(at: mark, message, note: note)
    }

    /// Orders errors: the file before the overrides (in command-line order), then by position.
    var rank: Rank { Rank(source: source.order, line: mark.line, column: mark.column) }

    struct Rank: Comparable {
        let source: Int
        let line: Int
        let column: Int

        static let unlocated = Rank(source: .max, line: .max, column: .max)

        static func < (lhs: Rank, rhs: Rank) -> Bool {
            (lhs.source, lhs.line, lhs.column) < (rhs.source, rhs.line, rhs.column)
        }
    }
}

/// A value with the place it was written, if it was written anywhere.
struct Located<Value> {
    let value: Value
    let location: ConfigLocation?
}
