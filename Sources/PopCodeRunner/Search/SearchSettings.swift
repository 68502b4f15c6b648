/// The `search:` block of an experiment file: how configurations are chosen.
///
///     search: {method: sobol, samples: 16, seed: 0}
///
/// `grid` (the default) takes every combination of the listed values, as without a
/// `search:` block. `random` and `sobol` draw `samples` configurations from the keys'
/// distributions (`Distribution`), a pure function of the file and `seed`.
public struct SearchSettings: Sendable, Hashable, Codable {
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
        case grid, random, sobol
    }

    public var method: Method
    /// Configurations to draw (random and sobol; nil for grid).
    public var samples: Int?
    /// The search's own seed: the random draws, or the Sobol scrambling.
    public var seed: Int

    public init(method: Method = .grid, samples: Int? = nil, seed: Int = 0) {
        self.method = method
        self.samples = samples
        self.seed = seed
    }

    /// The most configurations one search may draw.
    public static let maxSamples = 10_000

    /// The keys of the block, in the order the "valid keys" note lists them.
    static let keys = ["method", "samples", "seed"]

    /// The block as YAML flow text: `{method: sobol, samples: 16, seed: 0}`.
    var yamlText: String {
        var parts = ["method: \(method.rawValue)"]
        if let samples { parts.append("samples: \(samples)") }
        parts.append("seed: \(seed)")
        return "{" + parts.joined(separator: ", ") + "}"
    }
}
