import Foundation

/// What an axis shows: its title, the unit in brackets after it, and where the ticks go.
public struct Axis: Sendable, Hashable {
    /// One labelled tick at a data value.
    public struct Tick: Sendable, Hashable {
        public let value: Double
        public let label: String

        public init(_ value: Double, _ label: String) {
            self.value = value
            self.label = label
        }
    }

    public enum Ticks: Sendable, Hashable {
        /// About this many nice ticks (1, 2, 5 × 10ᵏ apart), labelled by `TickFormat`.
        case automatic(Int)
        /// Exactly these (for categories).
        case fixed([Tick])
        /// A logarithmic axis: the chart's data are `log₁₀` of the values, and the ticks sit
        /// at `m × 10ᵏ` labelled with the value — `m` in 1, 2, 5 over at most two decades,
        /// 1 alone over more, 1…9 when a narrow domain would show fewer than two.
        case logarithmic
    }

    public var title: String
    public var unit: String?
    public var ticks: Ticks
    /// Light grid lines across the plot at the ticks.
    public var grid: Bool

    public init(_ title: String, unit: String? = nil, ticks: Ticks = .automatic(5), grid: Bool = true) {
        self.title = title
        self.unit = unit
        self.ticks = ticks
        self.grid = grid
    }

    /// "title (unit)", or the title alone.
    public var caption: String {
        guard let unit, !unit.isEmpty else { return title }
        return "\(title) (\(unit))"
    }

    /// The ticks inside `domain`.
    public func resolvedTicks(in domain: ClosedRange<Double>) -> [Tick] {
        switch ticks {
        case .fixed(let ticks):
            return ticks.filter { $0.value.isFinite && domain.contains($0.value) }
        case .automatic(let count):
            let values = LinearScale.ticks(in: domain, count: max(1, count))
            let step = values.count > 1 ? values[1] - values[0]
                : LinearScale.tickStep(span: domain.upperBound - domain.lowerBound, count: max(1, count))
            return values.map { Tick($0, TickFormat.label($0, step: step)) }
        case .logarithmic:
            return Self.logarithmicTicks(in: domain)
        }
    }

    /// Ticks at `log₁₀(m × 10ᵏ)` inside `domain` (given in `log₁₀` units), labelled
    /// `m × 10ᵏ` (see `Ticks.logarithmic`).
    static func logarithmicTicks(in domain: ClosedRange<Double>) -> [Tick] {
        guard domain.lowerBound.isFinite, domain.upperBound.isFinite else { return [] }
        let low = Int((domain.lowerBound - 1e-9).rounded(.down)), high = Int((domain.upperBound + 1e-9).rounded(.up))
        guard high - low < 400 else { return [] }
        func ticks(_ mantissas: [Int]) -> [Tick] {
            (low...high).flatMap { k in
                mantissas.compactMap { m -> Tick? in
                    let value = log10(Double(m)) + Double(k)
                    guard value >= domain.lowerBound - 1e-9, value <= domain.upperBound + 1e-9 else { return nil }
                    return Tick(value, TickFormat.power(mantissa: m, exponent: k))
                }
            }
        }
        let span = domain.upperBound - domain.lowerBound
        if span > 2 { return ticks([1]) }
        let ticks125 = ticks([1, 2, 5])
        return ticks125.count >= 2 ? ticks125 : ticks(Array(1...9))
    }
}
