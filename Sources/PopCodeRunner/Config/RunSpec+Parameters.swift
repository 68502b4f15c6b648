import PopCode

/// How the values of a `RunSpec` key are typed in experiment files.
enum ParameterKind: Sendable, Equatable {
    /// Plain YAML integers only.
    case integer
    /// Integers or floats, stored as `Double`.
    case real
    /// One of a few names (`task: bars`), stored as a `String`-backed enum.
    case choice([String])
}

extension RunSpec.CodingKeys {
    /// The stored property a key names.
    enum Field {
        case integer(WritableKeyPath<RunSpec, Int>)
        case real(WritableKeyPath<RunSpec, Double>)
        case choice(Choice)
    }

    /// A key whose values are the raw values of an enum: read and written as strings.
    struct Choice {
        let names: [String]
        let get: (RunSpec) -> String
        let set: (inout RunSpec, String) -> Bool

        init<Value: RawRepresentable & CaseIterable>(_ path: WritableKeyPath<RunSpec, Value>)
        where Value.RawValue == String {
            names = Value.allCases.map(\.rawValue)
            get = { $0[keyPath: path].rawValue }
            set = { spec, name in
                guard let value = Value(rawValue: name) else { return false }
                spec[keyPath: path] = value
                return true
            }
        }
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
        case .task: .choice(Choice(\.task))
        case .model: .choice(Choice(\.model))
        case .codeWeight: .real(\.codeWeight)
        case .codeWarmup: .integer(\.codeWarmup)
        case .activityNoise: .real(\.activityNoise)
        case .precision: .choice(Choice(\.precision))
        }
    }

    /// The type of this key's values.
    var kind: ParameterKind {
        switch field {
        case .integer: .integer
        case .real: .real
        case .choice(let choice): .choice(choice.names)
        }
    }
}

extension RunSpec {
    /// The value of the field named `key`, typed by the key's kind (as `key.field` names it).
    /// A direct switch rather than `field`'s key paths: run ids and queue rows read every key
    /// of every run, 100,000 runs at a time (a test checks that both agree).
    public func value(for key: CodingKeys) -> SpecValue {
        switch key {
        case .seed: .int(seed)
        case .epochs: .int(epochs)
        case .nTrain: .int(nTrain)
        case .nTest: .int(nTest)
        case .nHidden: .int(nHidden)
        case .nImplicit: .int(nImplicit)
        case .nEncHidden: .int(nEncHidden)
        case .batchSize: .int(batchSize)
        case .lr: .double(lr)
        case .sigma: .double(sigma)
        case .historyEvery: .int(historyEvery)
        case .task: .string(task.rawValue)
        case .model: .string(model.rawValue)
        case .codeWeight: .double(codeWeight)
        case .codeWarmup: .int(codeWarmup)
        case .activityNoise: .double(activityNoise)
        case .precision: .string(precision.rawValue)
        }
    }

    /// Sets the field named `key`. An `.int` is accepted for a real key; a `.double` for an
    /// integer key must have an exact integer value, and a choice key takes one of its names
    /// (a programmer error otherwise: the experiment loader and `Codable` only produce values
    /// of the key's kind).
    public mutating func set(_ key: CodingKeys, to value: SpecValue) {
        switch key.field {
        case .integer(let path):
            guard let int = value.intValue else {
                preconditionFailure("\(key.rawValue) takes integers, got \(value)")
            }
            self[keyPath: path] = int
        case .real(let path):
            guard let double = value.doubleValue else {
                preconditionFailure("\(key.rawValue) takes numbers, got \(value)")
            }
            self[keyPath: path] = double
        case .choice(let choice):
            guard case .string(let name) = value, choice.set(&self, name) else {
                preconditionFailure("\(key.rawValue) takes one of \(choice.names), got \(value)")
            }
        }
    }

    /// This spec with every key that does not apply to it (`RunSpec.applies`) at its default:
    /// what a run of a sweep over `model` trains when the sweep also sets the mdl model's keys.
    var normalized: RunSpec {
        var spec = self
        let defaults = RunSpec()
        for key in CodingKeys.allCases where !applies(key) {
            spec.set(key, to: defaults.value(for: key))
        }
        return spec
    }

    /// This spec with the field named `key` set to `value`.
    func setting(_ key: CodingKeys, to value: SpecValue) -> RunSpec {
        var spec = self
        spec.set(key, to: value)
        return spec
    }
}
