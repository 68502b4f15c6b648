/// `{"x": …, "y": …, "mean": …}`: one key per target, in column order, then `mean`.
extension R2Scores: Codable {
    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in zip(names, values) { try container.encode(value, forKey: Key(stringValue: name)) }
        try container.encode(mean, forKey: Key(stringValue: "mean"))
    }

    /// Reads the targets in the order of the task whose target names they are (JSON objects
    /// have no order), or in name order for names no task has. `mean` is recomputed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let found = Set(container.allKeys.map(\.stringValue)).subtracting(["mean"])
        let names = TaskKind.allCases.map(\.targetNames).first { Set($0) == found } ?? found.sorted()
        self.init(names: names, values: try names.map { try container.decode(Double.self, forKey: Key(stringValue: $0)) })
    }
}
