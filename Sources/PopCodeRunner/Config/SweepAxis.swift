import PopCode

/// A swept key and its values, in order.
public struct SweepAxis: Sendable, Hashable, Codable {
    public var key: RunSpec.CodingKeys
    public var values: [SpecValue]

    public init(key: RunSpec.CodingKeys, values: [SpecValue]) {
        self.key = key
        self.values = values
    }

    private enum CodingKeys: String, CodingKey {
        case key, values
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let key = try container.decodeRunSpecKey(forKey: .key)
        let path = container.codingPath + [CodingKeys.values]
        self.key = key
        values = try container.decode([SpecValue].self, forKey: .values).map {
            try $0.typed(for: key, codingPath: path)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key.rawValue, forKey: .key)
        try container.encode(values, forKey: .values)
    }
}
