/// A horizontal key to a continuous colour map: the map drawn as `segments` adjacent
/// rectangles (no gradient ids, so any number of bars can share a page), ticks and a title.
public struct ColorBar: Sendable, Hashable {
    public var map: ColorMap
    public var domain: ClosedRange<Double>
    public var axis: Axis
    public var width: Double
    public var segments: Int

    public init(map: ColorMap, domain: ClosedRange<Double>, axis: Axis, width: Double = 180, segments: Int = 48) {
        self.map = map
        self.domain = LinearScale.widened(domain)
        self.axis = axis
        self.width = width
        self.segments = max(2, segments)
    }

    public static let height = 44.0
    private static let barHeight = 10.0

    /// The bar with its top-left corner at (`x`, `y`); the title above, ticks below.
    public func markup(x: Double, y: Double) -> Markup {
        let scale = LinearScale(domain: domain, range: 0, width)
        let top = 15.0
        var children: [Markup] = [SVG.text(axis.caption, x: 0, y: 10, size: 11)]
        let step = width / Double(segments)
        for i in 0..<segments {
            let t = (Double(i) + 0.5) / Double(segments)
            guard let color = map.color(at: t) else { continue }
            children.append(Markup("rect", [.init("x", Double(i) * step), .init("y", top),
                                            .init("width", step + 0.3), .init("height", Self.barHeight),
                                            .init("fill", color.css)]))
        }
        var ticks = ""
        for tick in axis.resolvedTicks(in: domain) {
            let px = scale(tick.value)
            ticks += "M\(SVGNumber.format(px)) \(SVGNumber.format(top + Self.barHeight))v3"
            children.append(SVG.text(tick.label, x: px, y: top + Self.barHeight + 13, anchor: .middle, size: 10,
                                     color: SVG.muted))
        }
        children.append(Markup("path", [.init("d", ticks), .init("stroke", SVG.muted.css)]))
        return SVG.translated(x, y, children)
    }

    /// The bar as a figure of its own.
    public func svg(title: String) -> Markup {
        SVG.root(width: width + 24, height: Self.height, title: title, children: [markup(x: 12, y: 0)])
    }
}
