/// A problem in an experiment file or a `--set` override, located like a compiler diagnostic.
///
/// `description` prints the location, the message, the offending source line and a caret
/// under the column, then the note if there is one:
///
///     configs/x.yaml:7:5: error: unknown key 'lrate' (did you mean 'lr'?)
///         lrate: 0.1
///         ^
///     note: valid keys are name, description, seed, epochs, ...
///
/// The source line is printed as written (tabs kept) and the caret line copies its tabs, so
/// the caret lines up in a terminal. Errors about a whole file (missing, unreadable, empty)
/// have no line or column: `configs/nope.yaml: error: no such file`.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as shown to the user (the path as given, or `--set key=value` for an override).
    public let file: String
    /// 1-based line, or `nil` for an error about the whole file.
    public let line: Int?
    /// 1-based column in Unicode scalars, or `nil` for an error about the whole file.
    public let column: Int?
    public let message: String
    public let note: String?
    /// The text of `line`, without its line break.
    public let sourceLine: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String,
                note: String? = nil, sourceLine: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.note = note
        self.sourceLine = sourceLine
    }

    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        var lines = ["\(location): error: \(message)"]
        if let sourceLine, line != nil {
            lines.append(sourceLine)
            lines.append(caretLine(under: sourceLine))
        }
        if let note { lines.append("note: \(note)") }
        return lines.joined(separator: "\n")
    }

    /// Spaces (tabs where the source line has tabs) up to `column`, then `^`.
    private func caretLine(under sourceLine: String) -> String {
        let width = max((column ?? 1) - 1, 0)
        var caret = String.UnicodeScalarView()
        var scalars = sourceLine.unicodeScalars.makeIterator()
        for _ in 0..<width {
            caret.append(scalars.next() == "\t" ? "\t" : " ")
        }
        caret.append("^")
        return String(caret)
    }
}
