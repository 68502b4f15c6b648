/// Parallel coordinates: one vertical axis per dimension, side by side, and one polyline per
/// item through its value on each axis, coloured by a value through a colour map (grey where
/// the item has none), with a colour bar underneath.
///
/// Each axis maps its own domain bottom to top; a logarithmic dimension takes `log₁₀` of its
/// values and `Axis.Ticks.logarithmic`, a categorical one indices and `.fixed` ticks. An
/// item's line leaves out the dimensions where its value is not finite. Lines are drawn in
/// the order given (the last on top).
public struct ParallelCoordinates: Sendable {
    public struct Dimension: Sendable {
        /// Title and ticks of the axis.
        public var axis: Axis
        /// One value per item, in the axis' data units.
        public var values: [Double]
        /// The axis' range; nil: the values' extent, extended to nice ticks (not for
        /// logarithmic or fixed ticks).
        public var domain: ClosedRange<Double>?

        public init(axis: Axis, values: [Double], domain: ClosedRange<Double>? = nil) {
            self.axis = axis
            self.values = values
            self.domain = domain
        }

        /// The domain the axis shows.
        public var resolvedDomain: ClosedRange<Double> {
            if let domain { return LinearScale.widened(domain) }
            let extent = LinearScale.extent(of: values) ?? 0...1
            if case .automatic(let count) = axis.ticks { return LinearScale.nice(extent, count: count) }
            return LinearScale.widened(extent)
        }
    }

    public var title: String
    public var width: Double
    public var height: Double
    public var dimensions: [Dimension]
    /// The value each item's colour shows; nil: drawn grey.
    public var colorValues: [Double?]
    public var colorMap: ColorMap
    /// Title of the colour bar.
    public var colorAxis: Axis
    /// A tooltip per item (its name), or none.
    public var labels: [String]?

    public init(title: String, width: Double = 720, height: Double = 320, dimensions: [Dimension],
                colorValues: [Double?], colorMap: ColorMap = .viridis, colorAxis: Axis, labels: [String]? = nil) {
        precondition(!dimensions.isEmpty, "ParallelCoordinates needs a dimension")
        precondition(dimensions.allSatisfy { $0.values.count == colorValues.count },
                     "ParallelCoordinates: one value per item on every dimension")
        precondition(labels.map { $0.count == colorValues.count } ?? true, "ParallelCoordinates: one label per item")
        self.title = title
        self.width = width
        self.height = height
        self.dimensions = dimensions
        self.colorValues = colorValues
        self.colorMap = colorMap
        self.colorAxis = colorAxis
        self.labels = labels
    }

    public static let missingColor = RGB(hex: 0xbbbbbb)

    /// The horizontal position of dimension `i`'s axis.
    public func axisX(_ i: Int) -> Double {
        let left = 56.0, right = width - 56
        return dimensions.count == 1 ? (left + right) / 2 : left + Double(i) * (right - left) / Double(dimensions.count - 1)
    }

    /// The colour bar's domain: the extent of the colour values.
    public var colorDomain: ClosedRange<Double> {
        LinearScale.widened(LinearScale.extent(of: colorValues.compactMap { $0 }) ?? 0...1)
    }

    public func svg() -> Markup {
        let top = 44.0, bottom = height - 20 - ColorBar.height
        let scales = dimensions.map { LinearScale(domain: $0.resolvedDomain, range: bottom, top) }
        let colors = colorDomain
        var children: [Markup] = [SVG.text(title, x: 8, y: 16, size: 12, bold: true)]

        var lines: [Markup] = []
        for item in colorValues.indices {
            let points = dimensions.indices.compactMap { d -> String? in
                let v = dimensions[d].values[item]
                guard v.isFinite else { return nil }
                let y = min(max(scales[d](v), top), bottom)
                return SVGNumber.format(axisX(d)) + "," + SVGNumber.format(y)
            }
            guard !points.isEmpty else { continue }
            let color = colorValues[item].flatMap { colorMap.color(of: $0, in: colors) } ?? Self.missingColor
            lines.append(Markup("polyline", [
                .init("points", points.joined(separator: " ")), .init("fill", "none"), .init("stroke", color.css),
                .init("stroke-width", 1.6), .init("stroke-opacity", 0.85), .init("stroke-linejoin", "round"),
            ], children: labels.map { [Markup("title", children: [.text($0[item])])] } ?? []))
        }
        children.append(Markup("g", [.init("class", "lines")], children: lines))

        var axes = ""
        for (d, dimension) in dimensions.enumerated() {
            let x = axisX(d)
            axes += "M\(SVGNumber.format(x)) \(SVGNumber.format(top))V\(SVGNumber.format(bottom))"
            for tick in dimension.axis.resolvedTicks(in: scales[d].domain) {
                let y = scales[d](tick.value)
                axes += "M\(SVGNumber.format(x)) \(SVGNumber.format(y))h-4"
                children.append(SVG.text(tick.label, x: x - 6, y: y + 3.5, anchor: .end, size: 10, color: SVG.muted))
            }
            children.append(SVG.text(dimension.axis.caption, x: x, y: top - 12, anchor: .middle, bold: true))
        }
        children.append(Markup("path", [.init("d", axes), .init("stroke", "#444444"), .init("fill", "none")]))
        let bar = ColorBar(map: colorMap, domain: colors, axis: colorAxis, width: min(240, width - 40))
        children.append(bar.markup(x: axisX(0) - 20, y: height - ColorBar.height - 4))
        return SVG.root(width: width, height: height, title: title, children: children)
    }
}
