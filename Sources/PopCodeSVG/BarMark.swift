/// Vertical bars from 0 to `height[i]` at `x[i]`, `barWidth` data units wide, optionally
/// labelled with their values above.
public struct BarMark: ChartMark {
    public var x: [Double]
    public var height: [Double]
    public var color: RGB
    public var barWidth: Double
    public var showsValues: Bool

    public init(x: [Double], height: [Double], color: RGB, barWidth: Double = 0.6, showsValues: Bool = true) {
        precondition(x.count == height.count, "BarMark: unequal lengths")
        self.x = x
        self.height = height
        self.color = color
        self.barWidth = barWidth
        self.showsValues = showsValues
    }

    private var drawn: [Int] { x.indices.filter { x[$0].isFinite && height[$0].isFinite } }

    public var xExtent: ClosedRange<Double>? {
        LinearScale.extent(of: drawn.flatMap { [x[$0] - barWidth / 2, x[$0] + barWidth / 2] })
    }
    public var yExtent: ClosedRange<Double>? { LinearScale.extent(of: drawn.map { height[$0] } + [0]) }

    public func markup(in area: PlotArea) -> Markup {
        .group(drawn.flatMap { i -> [Markup] in
            let left = area.clamp(area.x(x[i] - barWidth / 2), area.y(0))
            let right = area.clamp(area.x(x[i] + barWidth / 2), area.y(height[i]))
            let top = min(left.y, right.y), bottom = max(left.y, right.y)
            var parts = [Markup("rect", [.init("x", left.x), .init("y", top), .init("width", right.x - left.x),
                                         .init("height", bottom - top), .init("fill", color.css)])]
            if showsValues {
                parts.append(Markup("text", [.init("x", (left.x + right.x) / 2), .init("y", top - 4),
                                             .init("text-anchor", "middle"), .init("class", "value")],
                                    children: [.text(TickFormat.number(height[i]))]))
            }
            return parts
        })
    }
}
