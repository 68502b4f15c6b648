/// The text of one configuration source (a file or one `--set` argument), kept to print
/// the offending line of an error.
struct SourceText: Sendable {
    /// The name errors show for this source: a path, or `--set key=value`.
    let displayName: String
    let text: String
    /// Rank of this source among those of one experiment (the file is 0, the overrides
    /// follow in command-line order); orders errors from different sources.
    let order: Int

    /// A leading byte order mark is dropped, as libyaml drops it.
    init(displayName: String, text: String, order: Int = 0) {
        self.displayName = displayName
        self.text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        self.order = order
    }

    /// An error at `mark` in this source.
    func error(at mark: SourceMark, _ message: String, note: String? = nil) -> ConfigError {
        ConfigError(file: displayName, line: mark.line, column: mark.column, message: message,
                    note: note, sourceLine: line(mark.line))
    }

    /// An error about this source as a whole.
    func error(_ message: String, note: String? = nil) -> ConfigError {
        ConfigError(file: displayName, message: message, note: note)
    }

    /// The text of the 1-based line `number`, without its break; `""` just past the last line.
    ///
    /// Lines are broken where libyaml breaks them: at LF, CRLF, CR, NEL, LS and PS.
    func line(_ number: Int) -> String? {
        guard number >= 1 else { return nil }
        var current = 1
        var line = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            let isBreak = ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar)
            defer { previousWasCR = scalar == "\r" }
            if scalar == "\n" && previousWasCR { continue }
            if isBreak {
                if current == number { return String(line) }
                current += 1
                continue
            }
            if current == number { line.append(scalar) }
        }
        return current == number ? String(line) : nil
    }

    /// The mark of the `offset`-th UTF-8 byte of `text` (libyaml's reader reports byte offsets).
    func mark(ofByteOffset offset: Int) -> SourceMark {
        var line = 1
        var column = 1
        var bytes = 0
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if bytes >= offset { break }
            bytes += UTF8.width(scalar)
            defer { previousWasCR = scalar == "\r" }
            if scalar == "\n" && previousWasCR { continue }
            if ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar) {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceMark(line: line, column: column)
    }
}
