import PopCode

extension KeyedDecodingContainer {
    /// A `RunSpec` key stored as its snake_case name.
    func decodeRunSpecKey(forKey codingKey: Key) throws -> RunSpec.CodingKeys {
        let name = try decode(String.self, forKey: codingKey)
        guard let key = RunSpec.CodingKeys(rawValue: name) else {
            throw DecodingError.dataCorruptedError(forKey: codingKey, in: self,
                                                   debugDescription: "unknown RunSpec key '\(name)'")
        }
        return key
    }
}
