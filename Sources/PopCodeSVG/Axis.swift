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
        }
    }
}
