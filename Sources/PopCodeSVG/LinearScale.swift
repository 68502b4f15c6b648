import Foundation

/// A linear map from a data domain to pixels, `f(v) = r₀ + (v − d₀)·(r₁ − r₀)/(d₁ − d₀)`,
/// with "nice" ticks at 1, 2 or 5 × 10ᵏ.
///
/// The pixel range may run backwards (an SVG y axis grows downwards: `from: bottom, to: top`).
public struct LinearScale: Sendable, Hashable {
    public let domain: ClosedRange<Double>
    public let rangeStart: Double
    public let rangeEnd: Double

    /// A scale from `domain` to `rangeStart…rangeEnd`. A domain of zero width is widened
    /// (see `widened`), so every finite value maps to a finite pixel.
    public init(domain: ClosedRange<Double>, range rangeStart: Double, _ rangeEnd: Double) {
        precondition(domain.lowerBound.isFinite && domain.upperBound.isFinite, "non-finite scale domain")
        self.domain = Self.widened(domain)
        self.rangeStart = rangeStart
        self.rangeEnd = rangeEnd
    }

    /// The pixel of `value`; non-finite values stay non-finite (callers treat them as gaps).
    public func callAsFunction(_ value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        return rangeStart + (value - domain.lowerBound) * (rangeEnd - rangeStart) / span
    }

    /// About `count` tick values inside the domain, at multiples of `tickStep`.
    public func ticks(_ count: Int = 5) -> [Double] {
        Self.ticks(in: domain, count: count)
    }

    /// The same scale with its domain extended outwards to the nearest ticks.
    public func niced(_ count: Int = 5) -> LinearScale {
        LinearScale(domain: Self.nice(domain, count: count), range: rangeStart, rangeEnd)
    }

    // MARK: - Domain helpers

    /// The smallest and largest finite values, or nil when there are none.
    public static func extent(of values: some Sequence<Double>) -> ClosedRange<Double>? {
        var low = Double.infinity, high = -Double.infinity
        for value in values where value.isFinite {
            low = min(low, value)
            high = max(high, value)
        }
        return low <= high ? low...high : nil
    }

    /// `domain`, or around it when it has no width: `v ± 0.5` for `v = 0`, else `v ± |v|/10`.
    public static func widened(_ domain: ClosedRange<Double>) -> ClosedRange<Double> {
        guard domain.lowerBound == domain.upperBound else { return domain }
        let v = domain.lowerBound
        let half = v == 0 ? 0.5 : abs(v) / 10
        return (v - half)...(v + half)
    }

    /// The tick spacing for about `count` ticks over `span`: 1, 2 or 5 × 10ᵏ, choosing
    /// the factor whose tick count comes closest (thresholds √2, √10, √50, as in d3).
    public static func tickStep(span: Double, count: Int) -> Double {
        precondition(count > 0, "tick count must be positive")
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(count)
        let power = (log10(raw)).rounded(.down)
        let base = pow(10, power)
        let error = raw / base
        let factor: Double = error >= 50.squareRoot() ? 10 : error >= 10.squareRoot() ? 5
            : error >= 2.squareRoot() ? 2 : 1
        return factor * base
    }

    /// Multiples of `tickStep(span:count:)` inside `domain`, computed as `i·step` (or
    /// `i / (1/step)` for steps below 1, so that 0.3 is 0.3 and not 0.30000000000000004).
    public static func ticks(in domain: ClosedRange<Double>, count: Int) -> [Double] {
        let domain = widened(domain)
        let step = tickStep(span: domain.upperBound - domain.lowerBound, count: count)
        let inverse = step < 1 ? (1 / step).rounded() : 0
        let value: (Double) -> Double = { i in inverse > 0 ? i / inverse : i * step }
        let first = (domain.lowerBound / step - 1e-9).rounded(.up)
        let last = (domain.upperBound / step + 1e-9).rounded(.down)
        guard first <= last, last - first < 1000 else { return [] }
        return stride(from: first, through: last, by: 1).map { value($0) == 0 ? 0 : value($0) }
    }

    /// `domain` extended outwards to multiples of its tick step.
    public static func nice(_ domain: ClosedRange<Double>, count: Int) -> ClosedRange<Double> {
        var domain = widened(domain)
        for _ in 0..<3 {
            let step = tickStep(span: domain.upperBound - domain.lowerBound, count: count)
            let niced = ((domain.lowerBound / step).rounded(.down) * step)...((domain.upperBound / step).rounded(.up) * step)
            if niced == domain { break }
            domain = niced
        }
        return domain
    }
}
