/// Means with whiskers: at each `x[i]` a marker at `center[i]` and, when `spread[i]` is
/// finite and positive, a bar from `center − spread` to `center + spread` with caps.
public struct ErrorBarMark: ChartMark {
    public var x: [Double]
    public var center: [Double]
    public var spread: [Double]
    /// One colour per bar, or one for all.
    public var colors: [RGB]
    public var capWidth: Double

    public init(x: [Double], center: [Double], spread: [Double], colors: [RGB], capWidth: Double = 10) {
        precondition(x.count == center.count && x.count == spread.count, "ErrorBarMark: unequal lengths")
        precondition(colors.count == x.count || colors.count == 1, "ErrorBarMark: colour count")
        self.x = x
        self.center = center
        self.spread = spread
        self.colors = colors
        self.capWidth = capWidth
    }

    private func halfWidth(_ i: Int) -> Double {
        spread[i].isFinite && spread[i] > 0 ? spread[i] : 0
    }

    private var drawn: [Int] { x.indices.filter { x[$0].isFinite && center[$0].isFinite } }

    public var xExtent: ClosedRange<Double>? { LinearScale.extent(of: drawn.map { x[$0] }) }
    public var yExtent: ClosedRange<Double>? {
        LinearScale.extent(of: drawn.flatMap { [center[$0] - halfWidth($0), center[$0] + halfWidth($0)] })
    }

    public func markup(in area: PlotArea) -> Markup {
        .group(drawn.compactMap { i -> Markup? in
            let color = (colors.count == 1 ? colors[0] : colors[i]).css
            let px = area.x(x[i])
            let mid = area.clamp(px, area.y(center[i]))
            guard area.contains(px, mid.y) else { return nil }
            var parts: [Markup] = []
            let half = halfWidth(i)
            if half > 0 {
                let low = area.clamp(px, area.y(center[i] - half)).y
                let high = area.clamp(px, area.y(center[i] + half)).y
                var d = "M\(SVGNumber.format(px)) \(SVGNumber.format(low))V\(SVGNumber.format(high))"
                for capY in [low, high] {
                    d += "M\(SVGNumber.format(px - capWidth / 2)) \(SVGNumber.format(capY))h\(SVGNumber.format(capWidth))"
                }
                parts.append(Markup("path", [.init("d", d), .init("stroke", color), .init("stroke-width", 1.6),
                                             .init("fill", "none")]))
            }
            let r = 4.0
            parts.append(Markup("rect", [.init("x", px - r), .init("y", mid.y - r), .init("width", 2 * r),
                                         .init("height", 2 * r), .init("fill", color),
                                         .init("stroke", "#ffffff"), .init("stroke-width", 1)]))
            return .group(parts)
        })
    }
}
