import PopCode

/// An experiment as written in its YAML file, types checked and values validated: a name,
/// an optional description, and the `RunSpec` keys it sets, each fixed or swept, in file
/// order. Keys not given take `RunSpec`'s defaults. Expanding it (`expand()`) gives the runs.
///
/// It holds no source positions, so it can be written to JSON as the "resolved experiment":
///
///     {"name": "sigma-lr-grid", "description": "a small grid",
///      "parameters": [{"key": "epochs", "value": 200},
///                     {"key": "sigma", "sweep": [0.12, 0.18, 0.24]}]}
public struct ExperimentSpec: Sendable, Hashable, Codable {
    /// Names the folder `runs/<name>/`: `[A-Za-z0-9][A-Za-z0-9._-]*`, at most
    /// `maxNameLength` characters.
    public var name: String
    public var description: String?
    /// The keys the experiment sets, each at most once, in file order (an override of a
    /// key keeps its place; a new key comes last).
    public var parameters: [Parameter]
    /// The `search:` block; nil means a grid.
    public var search: SearchSettings?
    /// The `halving:` block, if the experiment is a successive-halving search.
    public var halving: HalvingSettings?

    public init(name: String, description: String? = nil, parameters: [Parameter] = [],
                search: SearchSettings? = nil, halving: HalvingSettings? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.search = search
        self.halving = halving
    }

    /// One `RunSpec` key and how the experiment sets it.
    public struct Parameter: Sendable, Hashable, Codable {
        public var key: RunSpec.CodingKeys
        public var assignment: Assignment

        public init(key: RunSpec.CodingKeys, assignment: Assignment) {
            self.key = key
            self.assignment = assignment
        }

        private enum CodingKeys: String, CodingKey {
            case key, value, sweep, distribution
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let key = try container.decodeRunSpecKey(forKey: .key)
            self.key = key
            if container.contains(.distribution) {
                assignment = .distribution(try container.decode(Distribution.self, forKey: .distribution))
            } else if container.contains(.sweep) {
                let path = container.codingPath + [CodingKeys.sweep]
                assignment = .sweep(try container.decode([SpecValue].self, forKey: .sweep).map {
                    try $0.typed(for: key, codingPath: path)
                })
            } else {
                let path = container.codingPath + [CodingKeys.value]
                assignment = .fixed(try container.decode(SpecValue.self, forKey: .value)
                    .typed(for: key, codingPath: path))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key.rawValue, forKey: .key)
            switch assignment {
            case .fixed(let value): try container.encode(value, forKey: .value)
            case .sweep(let values): try container.encode(values, forKey: .sweep)
            case .distribution(let law): try container.encode(law, forKey: .distribution)
            }
        }
    }

    public enum Assignment: Sendable, Hashable {
        /// The same value in every run.
        case fixed(SpecValue)
        /// One value per run along this axis of the grid, in this order.
        case sweep([SpecValue])
        /// Drawn from a distribution by a sampled search (`search: {method: random|sobol}`).
        case distribution(Distribution)
    }

    /// The keys set to one value, in file order.
    public var fixed: [ParameterValue] {
        parameters.compactMap { parameter in
            guard case .fixed(let value) = parameter.assignment else { return nil }
            return ParameterValue(key: parameter.key, value: value)
        }
    }

    /// The keys drawn from a distribution, in file order.
    public var sampled: [(key: RunSpec.CodingKeys, distribution: Distribution)] {
        parameters.compactMap { parameter in
            guard case .distribution(let law) = parameter.assignment else { return nil }
            return (parameter.key, law)
        }
    }

    /// The search method (`grid` without a `search:` block).
    public var method: SearchSettings.Method { search?.method ?? .grid }

    /// The swept keys, in file order: the first axis varies slowest in `expand()`.
    public var axes: [SweepAxis] {
        parameters.compactMap { parameter in
            guard case .sweep(let values) = parameter.assignment else { return nil }
            return SweepAxis(key: parameter.key, values: values)
        }
    }
}

extension ExperimentSpec {
    /// The longest accepted `name`.
    public static let maxNameLength = 100
    /// The most runs an experiment (and the most values a range) may have.
    public static let maxRuns = 100_000
}
