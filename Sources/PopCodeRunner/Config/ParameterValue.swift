import PopCode

/// One key with one value (a fixed parameter, or a run's value on one axis).
public struct ParameterValue: Sendable, Hashable, Codable {
    public var key: RunSpec.CodingKeys
    public var value: SpecValue

    public init(key: RunSpec.CodingKeys, value: SpecValue) {
        self.key = key
        self.value = value
    }

    private enum CodingKeys: String, CodingKey {
        case key, value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decodeRunSpecKey(forKey: .key)
        value = try container.decode(SpecValue.self, forKey: .value)
            .typed(for: key, codingPath: container.codingPath + [CodingKeys.value])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key.rawValue, forKey: .key)
        try container.encode(value, forKey: .value)
    }
}
