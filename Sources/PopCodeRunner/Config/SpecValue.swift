import PopCode

/// A typed parameter value: integer keys hold `.int`, real keys (`lr`, `sigma`) `.double`.
///
/// Encodes as a bare JSON number. `description` is Swift's shortest round-trip text
/// (`0.18`, `1e-05`, `200.0` for a double; `200` for an int).
public enum SpecValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case int(Int)
    case double(Double)

    public var description: String {
        switch self {
        case .int(let value): value.description
        case .double(let value): value.description
        }
    }

    /// The value as a double (exact for ints up to 2⁵³).
    public var doubleValue: Double {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        }
    }

    /// The value as an int, if it is one or a double with an integral value in range.
    public var intValue: Int? {
        switch self {
        case .int(let value): value
        case .double(let value): Int(exactly: value)
        }
    }

    /// This value typed for a key of `kind`, or `nil` when a double has no exact int value.
    func typed(as kind: ParameterKind) -> SpecValue? {
        switch kind {
        case .integer: intValue.map(SpecValue.int)
        case .real: .double(doubleValue)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else {
            self = .double(try container.decode(Double.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        }
    }
}

extension SpecValue {
    /// This value typed for `key` (JSON does not tell `1` from `1.0`), or a decoding error.
    func typed(for key: RunSpec.CodingKeys, codingPath: [any CodingKey]) throws -> SpecValue {
        guard let typed = typed(as: key.kind) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath,
                debugDescription: "\(key.rawValue) takes integers, got \(self)"))
        }
        return typed
    }
}
