/// What a YAML scalar means, for the parameter types experiment files use.
///
/// Plain scalars are typed from their text, after the YAML 1.2 core schema with two
/// YAML 1.1 additions:
/// - null: empty, `~`, `null`, `Null`, `NULL`;
/// - bool: `true`/`false`, and 1.1's `yes`/`no`/`on`/`off` (each also Capitalized and
///   UPPERCASE), so that `lr: no` says "boolean" rather than "string";
/// - integer: `[-+]?[0-9]+`, where `_` may separate digits (`10_000`, 1.1 style); leading
///   zeros are decimal (`010` is 10), there are no hex or octal forms;
/// - float: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` with a `.` or an
///   exponent (`0.1`, `.5`, `1.`, `1e-3`, `1.5E+2`), `_` between digits as for integers,
///   and `.inf`, `+.inf`, `-.inf`, `.nan` (also `.Inf`/`.INF`, `.NaN`/`.NAN`);
/// - anything else is a string.
/// Quoted and block scalars are strings. The tags `!!str`, `!!int`, `!!float`, `!!bool`
/// and `!!null` are honoured (a tagged scalar whose text does not fit its tag is a string);
/// `!` makes a string; other tags are refused.
enum ScalarValue: Equatable {
    case null
    case bool(Bool)
    /// An integer literal: its value, or `nil` beyond `Int`'s range; and as a double.
    case integer(Int?, asDouble: Double)
    case float(Double)
    case string

    /// The meaning of `scalar`, or `nil` if it has a tag this format does not know.
    init?(_ scalar: YAMLNode.Scalar) {
        let core = "tag:yaml.org,2002:"
        switch scalar.tag {
        case nil:
            self = scalar.style.isPlain ? Self.inferred(from: scalar.value) : .string
        case "!", core + "str":
            self = .string
        case core + "int":
            let value = Self.inferred(from: scalar.value)
            self = if case .integer = value { value } else { .string }
        case core + "float":
            switch Self.inferred(from: scalar.value) {
            case .integer(_, let double): self = .float(double)
            case .float(let double): self = .float(double)
            default: self = .string
            }
        case core + "bool":
            let value = Self.inferred(from: scalar.value)
            self = if case .bool = value { value } else { .string }
        case core + "null":
            let value = Self.inferred(from: scalar.value)
            self = value == .null ? .null : .string
        default:
            return nil
        }
    }

    /// The type of a plain scalar with this text.
    static func inferred(from text: String) -> ScalarValue {
        switch text {
        case "", "~", "null", "Null", "NULL":
            return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON":
            return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF":
            return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
            return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF":
            return .float(-.infinity)
        case ".nan", ".NaN", ".NAN":
            return .float(.nan)
        default:
            break
        }
        var scanner = NumberScanner(text)
        guard let isFloat = scanner.scanNumber() else { return .string }
        let digits = String(text.filter { $0 != "_" })
        // Both conversions succeed on text the scanner accepted; Double saturates to ±inf.
        let double = Double(digits) ?? .nan
        return isFloat ? .float(double) : .integer(Int(digits), asDouble: double)
    }
}

/// Recognises the integer and float literals described on `ScalarValue`.
private struct NumberScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// `false` for an integer literal, `true` for a float literal, `nil` if the whole
    /// text is neither.
    mutating func scanNumber() -> Bool? {
        _ = accept { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
        let integerPart = scanDigits()
        var isFloat = false
        if accept({ $0 == UInt8(ascii: ".") }) {
            isFloat = true
            guard scanDigits() || integerPart else { return nil }
        } else if !integerPart {
            return nil
        }
        if accept({ $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            isFloat = true
            _ = accept { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
            var exponentDigits = 0
            while accept(isDigit) { exponentDigits += 1 }
            guard exponentDigits > 0 else { return nil }
        }
        return position == bytes.count ? isFloat : nil
    }

    /// Digits, `_` allowed only between two digits; `true` if there was at least one.
    private mutating func scanDigits() -> Bool {
        guard accept(isDigit) else { return false }
        while true {
            if accept(isDigit) { continue }
            if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "_"),
               isDigit(bytes[position + 1]) {
                position += 1
                continue
            }
            return true
        }
    }

    private mutating func accept(_ predicate: (UInt8) -> Bool) -> Bool {
        guard position < bytes.count, predicate(bytes[position]) else { return false }
        position += 1
        return true
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
