import PopCode

/// A typed parameter value: integer keys hold `.int`, real keys (`lr`, `sigma`) `.double`,
/// choice keys (`task`, `model`) `.string`.
///
/// Encodes as a bare JSON number or string. `description` is Swift's shortest round-trip
/// text (`0.18`, `1e-05`, `200.0` for a double; `200` for an int) or the name itself.
public enum SpecValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)

    public var description: String {
        switch self {
        case .int(let value): value.description
        case .double(let value): value.description
        case .string(let value): value
        }
    }

    /// The value as a double (exact for ints up to 2⁵³), `nil` for a string.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        case .string: nil
        }
    }

    /// The value as an int, if it is one or a double with an integral value in range.
    public var intValue: Int? {
        switch self {
        case .int(let value): value
        case .double(let value): Int(exactly: value)
        case .string: nil
        }
    }

    /// This value typed for a key of `kind`, or `nil` when it does not fit (a double with
    /// no exact int value, a string for a number, a name that is not a choice).
    func typed(as kind: ParameterKind) -> SpecValue? {
        switch kind {
        case .integer: intValue.map(SpecValue.int)
        case .real: doubleValue.map(SpecValue.double)
        case .choice(let names):
            if case .string(let name) = self, names.contains(name) { self } else { nil }
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }
}

extension SpecValue {
    /// This value typed for `key` (JSON does not tell `1` from `1.0`), or a decoding error.
    func typed(for key: RunSpec.CodingKeys, codingPath: [any CodingKey]) throws -> SpecValue {
        guard let typed = typed(as: key.kind) else {
            let takes = switch key.kind {
            case .integer: "integers"
            case .real: "numbers"
            case .choice(let names): "one of " + names.joined(separator: ", ")
            }
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath,
                debugDescription: "\(key.rawValue) takes \(takes), got \(self)"))
        }
        return typed
    }
}
