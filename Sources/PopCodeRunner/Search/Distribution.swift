import Foundation

/// A law a sampled search draws one key's values from.
///
/// Written in an experiment file as a one-key mapping (`int` also takes `log`):
///
///     lr: {loguniform: [0.01, 1]}
///     sigma: {uniform: [0.08, 0.4]}
///     n_hidden: {int: [64, 512], log: true}
///     batch_size: {choice: [32, 64, 128]}
///
/// Each draw maps one number `u ∈ [0, 1)` (a random double or a coordinate of a Sobol
/// point) to a value with `value(at:)`, so the same `u` always gives the same value.
public enum Distribution: Sendable, Hashable, Codable {
    /// `a + u (b − a)`: uniform on `[a, b)`, for real keys; `a < b`.
    case uniform(Double, Double)
    /// `exp(ln a + u (ln b − ln a))`: uniform in `ln x` on `[a, b)`, for real keys; `0 < a < b`.
    case logUniform(Double, Double)
    /// Integers `a…b` inclusive, each with probability `1 / (b − a + 1)`: `a + ⌊u (b − a + 1)⌋`;
    /// with `log`, `⌊exp(ln a + u (ln(b + 1) − ln a))⌋`, so `k` has probability
    /// `ln((k + 1) / k) / ln((b + 1) / a)` (`1 ≤ a < b`).
    case integer(Int, Int, log: Bool)
    /// One of the listed values, each with probability `1 / n`: `values[⌊u n⌋]`.
    case choice([SpecValue])

    /// The name written in the file.
    public var name: String {
        switch self {
        case .uniform: "uniform"
        case .logUniform: "loguniform"
        case .integer: "int"
        case .choice: "choice"
        }
    }

    /// The names a distribution mapping may use, in the order error notes list them.
    public static let names = ["uniform", "loguniform", "int", "choice"]

    /// Whether plots should use a logarithmic axis for this key.
    public var isLogarithmic: Bool {
        switch self {
        case .logUniform: true
        case .integer(_, _, let log): log
        default: false
        }
    }

    /// The value drawn for `u ∈ [0, 1)` (clamped to the support against rounding).
    public func value(at u: Double) -> SpecValue {
        switch self {
        case .uniform(let a, let b):
            return .double(Swift.min(Swift.max(a + u * (b - a), a), b.nextDown))
        case .logUniform(let a, let b):
            // u = 0 gives a itself (exp(ln a) may miss it by an ulp).
            guard u > 0 else { return .double(a) }
            return .double(Swift.min(Swift.max(exp(log(a) + u * (log(b) - log(a))), a), b.nextDown))
        case .integer(let a, let b, let isLog):
            let x: Double = isLog
                ? exp(log(Double(a)) + u * (log(Double(b) + 1) - log(Double(a))))
                : Double(a) + u * (Double(b) - Double(a) + 1)
            let k = x.isFinite ? Int(clamping: Int64(x.rounded(.down))) : b
            return .int(Swift.min(Swift.max(k, a), b))
        case .choice(let values):
            return values[Swift.min(Int(u * Double(values.count)), values.count - 1)]
        }
    }

    /// The values at the ends of the support (every value for `choice`): a key's valid
    /// range is an interval, so checking these checks every value the law can give.
    public var extremes: [SpecValue] {
        switch self {
        case .uniform(let a, let b), .logUniform(let a, let b): [.double(a), .double(b)]
        case .integer(let a, let b, _): [.int(a), .int(b)]
        case .choice(let values): values
        }
    }

    /// The number of distinct values, or nil for a continuous law.
    public var distinctCount: Int? {
        switch self {
        case .uniform, .logUniform: nil
        case .integer(let a, let b, _): b - a + 1
        case .choice(let values): values.count
        }
    }

    /// The cumulative distribution function `P(X ≤ x)`, for tests of the law (a `choice`
    /// of names counts none of them).
    public func cumulativeProbability(_ x: Double) -> Double {
        switch self {
        case .uniform(let a, let b):
            return Swift.min(Swift.max((x - a) / (b - a), 0), 1)
        case .logUniform(let a, let b):
            guard x > a else { return 0 }
            return Swift.min((log(x) - log(a)) / (log(b) - log(a)), 1)
        case .integer(let a, let b, let isLog):
            let k = x.rounded(.down)
            guard k >= Double(a) else { return 0 }
            guard k < Double(b) else { return 1 }
            return isLog
                ? (log(k + 1) - log(Double(a))) / (log(Double(b) + 1) - log(Double(a)))
                : (k - Double(a) + 1) / (Double(b) - Double(a) + 1)
        case .choice(let values):
            return Double(values.filter { ($0.doubleValue ?? .infinity) <= x }.count) / Double(values.count)
        }
    }

    // MARK: Codable, as in the file: {"loguniform": [0.01, 1.0]}, {"int": [1, 9], "log": true}

    private enum CodingKeys: String, CodingKey {
        case uniform, loguniform, int, log, choice
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let bounds = try container.decodeIfPresent([Double].self, forKey: .uniform), bounds.count == 2 {
            self = .uniform(bounds[0], bounds[1])
        } else if let bounds = try container.decodeIfPresent([Double].self, forKey: .loguniform), bounds.count == 2 {
            self = .logUniform(bounds[0], bounds[1])
        } else if let bounds = try container.decodeIfPresent([Int].self, forKey: .int), bounds.count == 2 {
            self = .integer(bounds[0], bounds[1], log: try container.decodeIfPresent(Bool.self, forKey: .log) ?? false)
        } else if let values = try container.decodeIfPresent([SpecValue].self, forKey: .choice) {
            self = .choice(values)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath,
                debugDescription: "expected one of uniform, loguniform, int (two bounds) or choice"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .uniform(let a, let b): try container.encode([a, b], forKey: .uniform)
        case .logUniform(let a, let b): try container.encode([a, b], forKey: .loguniform)
        case .integer(let a, let b, let isLog):
            try container.encode([a, b], forKey: .int)
            if isLog { try container.encode(true, forKey: .log) }
        case .choice(let values): try container.encode(values, forKey: .choice)
        }
    }

    /// The distribution as YAML flow text, as the file writes it: `{loguniform: [0.01, 1.0]}`.
    public var yamlText: String {
        switch self {
        case .uniform(let a, let b): "{uniform: [\(a), \(b)]}"
        case .logUniform(let a, let b): "{loguniform: [\(a), \(b)]}"
        case .integer(let a, let b, let isLog): "{int: [\(a), \(b)]" + (isLog ? ", log: true}" : "}")
        case .choice(let values): "{choice: [\(values.map(\.description).joined(separator: ", "))]}"
        }
    }
}
