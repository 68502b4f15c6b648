/// Escaping of user strings for XML and HTML text and attribute values.
///
/// Every string that reaches a page or an SVG file goes through one of these: run labels,
/// failure reasons, axis titles. Characters that XML 1.0 forbids (C0 controls other than
/// tab, line feed and carriage return, lone surrogates cannot occur in a Swift `String`)
/// become U+FFFD so that the output stays well-formed.
public enum XMLEscape {
    /// `text` with `&`, `<` and `>` replaced by entities.
    public static func text(_ text: String) -> String {
        escape(text, quotes: false)
    }

    /// `value` escaped for a double- or single-quoted attribute: `&`, `<`, `>`, `"` and `'`.
    public static func attribute(_ value: String) -> String {
        escape(value, quotes: true)
    }

    private static func escape(_ string: String, quotes: Bool) -> String {
        guard string.unicodeScalars.contains(where: { needsEscape($0, quotes: quotes) }) else {
            return string
        }
        var result = ""
        result.reserveCapacity(string.utf8.count + 16)
        for scalar in string.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where quotes: result += "&quot;"
            case "'" where quotes: result += "&#39;"
            case _ where isForbidden(scalar): result.unicodeScalars.append("\u{FFFD}")
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, quotes: Bool) -> Bool {
        switch scalar {
        case "&", "<", ">": true
        case "\"", "'": quotes
        default: isForbidden(scalar)
        }
    }

    /// C0 controls other than tab, LF and CR, and the non-characters U+FFFE and U+FFFF.
    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r")
            || scalar.value == 0xFFFE || scalar.value == 0xFFFF
    }
}
