import PopCode

/// How the values of a `RunSpec` key are typed in experiment files.
enum ParameterKind: Sendable {
    /// Plain YAML integers only.
    case integer
    /// Integers or floats, stored as `Double`.
    case real
}

extension RunSpec.CodingKeys {
    /// The stored property a key names.
    enum Field {
        case integer(WritableKeyPath<RunSpec, Int>)
        case real(WritableKeyPath<RunSpec, Double>)
    }

    /// The property this key names. The switch is exhaustive on purpose: a new `RunSpec`
    /// field must be listed here to be settable from an experiment file.
    var field: Field {
        switch self {
        case .seed: .integer(\.seed)
        case .epochs: .integer(\.epochs)
        case .nTrain: .integer(\.nTrain)
        case .nTest: .integer(\.nTest)
        case .nHidden: .integer(\.nHidden)
        case .nImplicit: .integer(\.nImplicit)
        case .nEncHidden: .integer(\.nEncHidden)
        case .batchSize: .integer(\.batchSize)
        case .lr: .real(\.lr)
        case .sigma: .real(\.sigma)
        case .historyEvery: .integer(\.historyEvery)
        }
    }

    /// The type of this key's values.
    var kind: ParameterKind {
        switch field {
        case .integer: .integer
        case .real: .real
        }
    }
}

extension RunSpec {
    /// The value of the field named `key`, typed by the key's kind.
    public func value(for key: CodingKeys) -> SpecValue {
        switch key.field {
        case .integer(let path): .int(self[keyPath: path])
        case .real(let path): .double(self[keyPath: path])
        }
    }

    /// Sets the field named `key`. An `.int` is accepted for a real key; a `.double` for an
    /// integer key must have an exact integer value (a programmer error otherwise: the
    /// experiment loader and `Codable` only produce values of the key's kind).
    public mutating func set(_ key: CodingKeys, to value: SpecValue) {
        switch key.field {
        case .integer(let path):
            guard let int = value.intValue else {
                preconditionFailure("\(key.rawValue) takes integers, got \(value)")
            }
            self[keyPath: path] = int
        case .real(let path):
            self[keyPath: path] = value.doubleValue
        }
    }

    /// This spec with the field named `key` set to `value`.
    func setting(_ key: CodingKeys, to value: SpecValue) -> RunSpec {
        var spec = self
        spec.set(key, to: value)
        return spec
    }
}
