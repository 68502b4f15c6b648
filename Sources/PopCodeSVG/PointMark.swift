/// A scatter of dots at (`x[i]`, `y[i]`), each with its own colour (or one for all).
/// Points with a non-finite coordinate or colour value are left out; so are points outside
/// the plot area.
public struct PointMark: ChartMark {
    public var x: [Double]
    public var y: [Double]
    /// One colour per point, or a single colour for all; nil entries are not drawn.
    public var colors: [RGB?]
    public var radius: Double
    public var opacity: Double
    /// A thin translucent outline (keeps pale colours, e.g. twilight's ends or viridis'
    /// yellow, visible on white).
    public var outline: RGB?

    public init(x: [Double], y: [Double], colors: [RGB?], radius: Double = 2.2, opacity: Double = 0.9,
                outline: RGB? = nil) {
        precondition(x.count == y.count, "PointMark: \(x.count) x values, \(y.count) y values")
        precondition(colors.count == x.count || colors.count == 1, "PointMark: colour count")
        self.x = x
        self.y = y
        self.colors = colors
        self.radius = radius
        self.opacity = opacity
        self.outline = outline
    }

    public var xExtent: ClosedRange<Double>? { LinearScale.extent(of: drawn.map { x[$0] }) }
    public var yExtent: ClosedRange<Double>? { LinearScale.extent(of: drawn.map { y[$0] }) }

    private func color(_ i: Int) -> RGB? { colors.count == 1 ? colors[0] : colors[i] }

    private var drawn: [Int] {
        x.indices.filter { x[$0].isFinite && y[$0].isFinite && color($0) != nil }
    }

    public func markup(in area: PlotArea) -> Markup {
        var group: [Markup.Attribute] = []
        if opacity < 1 { group.append(.init("fill-opacity", opacity)) }
        if let outline {
            group += [.init("stroke", outline.css), .init("stroke-width", 0.5), .init("stroke-opacity", 0.35)]
        }
        let dots = drawn.compactMap { i -> Markup? in
            guard let point = area.pixel(x[i], y[i]), area.contains(point.x, point.y),
                  let fill = color(i) else { return nil }
            return Markup("circle", [.init("cx", point.x), .init("cy", point.y), .init("r", radius),
                                     .init("fill", fill.css)])
        }
        return Markup("g", group, children: dots)
    }
}
