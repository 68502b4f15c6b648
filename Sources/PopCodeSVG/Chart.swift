import Foundation

/// An x–y chart: axes with ticks, titles and units, light grid lines, the marks, and an
/// optional legend in the top-right corner of the plot area.
///
/// The axes cover every mark's finite data (extended to nice ticks) unless a domain is
/// given; marks with `definesDomain == false` are drawn but clipped to that range.
public struct Chart: Sendable {
    public var title: String
    public var width: Double
    public var height: Double
    public var x: Axis
    public var y: Axis
    public var xDomain: ClosedRange<Double>?
    public var yDomain: ClosedRange<Double>?
    /// Extend computed domains outwards to the nearest ticks.
    public var nice = true
    /// Keep 0 inside the computed y domain (bars, counts).
    public var yIncludesZero = false
    /// Widen computed y domains by this fraction of their span on each side before nicing,
    /// so that whiskers and dots do not sit on the frame.
    public var yPadding = 0.0
    public var marks: [any ChartMark]
    public var legend: Legend?
    /// Square plot area with equal units on both axes (for m̂ projections).
    public var equalAspect = false

    public init(title: String, width: Double = 440, height: Double = 280, x: Axis, y: Axis,
                marks: [any ChartMark] = [], legend: Legend? = nil) {
        self.title = title
        self.width = width
        self.height = height
        self.x = x
        self.y = y
        self.marks = marks
        self.legend = legend
    }

    /// The spacing of multi-line tick labels (a label's lines are separated by "\n").
    static let lineHeight = 12.0

    /// Margins around the plot area: room for the title, tick labels and axis titles.
    struct Margins {
        var top: Double, right: Double, bottom: Double, left: Double
    }

    /// The x and y data domains the chart shows.
    public func domains() -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let defining = marks.filter(\.definesDomain)
        let source = defining.isEmpty ? marks : defining
        func resolve(_ fixed: ClosedRange<Double>?, _ extents: [ClosedRange<Double>?], zero: Bool,
                     padding: Double, count: Int) -> ClosedRange<Double> {
            if let fixed { return LinearScale.widened(fixed) }
            var bounds: [Double] = extents.compactMap { $0 }.flatMap { [$0.lowerBound, $0.upperBound] }
            if let raw = LinearScale.extent(of: bounds), padding > 0 {
                let pad = (raw.upperBound - raw.lowerBound) * padding
                bounds += [raw.lowerBound - pad, raw.upperBound + pad]
            }
            if zero { bounds.append(0) }
            let extent = LinearScale.extent(of: bounds) ?? 0...1
            return nice ? LinearScale.nice(extent, count: count) : LinearScale.widened(extent)
        }
        return (resolve(xDomain, source.map(\.xExtent), zero: false, padding: 0, count: tickCount(x)),
                resolve(yDomain, source.map(\.yExtent), zero: yIncludesZero, padding: yPadding, count: tickCount(y)))
    }

    private func tickCount(_ axis: Axis) -> Int {
        if case .automatic(let n) = axis.ticks { return max(1, n) }
        return 5
    }

    /// Where the plot area sits, given the tick labels it must make room for.
    public func plotArea() -> PlotArea {
        layout().area
    }

    private func layout() -> (area: PlotArea, xTicks: [Axis.Tick], yTicks: [Axis.Tick], rotateX: Bool,
                              margins: Margins) {
        let (xd, yd) = domains()
        let xTicks = x.resolvedTicks(in: xd), yTicks = y.resolvedTicks(in: yd)
        let yLabelWidth = yTicks.map { TextMetrics.width($0.label, fontSize: 10) }.max() ?? 0
        var margins = Margins(top: 26, right: 14, bottom: 40, left: max(44, yLabelWidth + 30))
        var plotWidth = width - margins.left - margins.right
        let xLines = xTicks.map { $0.label.split(separator: "\n", omittingEmptySubsequences: false) }
        let xLabelWidth = xLines.flatMap { $0 }.map { TextMetrics.width(String($0), fontSize: 10) }.max() ?? 0
        let spacing = plotWidth / Double(max(1, xTicks.count))
        let rotateX = xLabelWidth > spacing - 4
        if rotateX {
            let flatWidth = xTicks.map { TextMetrics.width($0.label, fontSize: 10) }.max() ?? 0
            margins.bottom += flatWidth * 0.6
        } else {
            margins.bottom += Double((xLines.map(\.count).max() ?? 1) - 1) * Self.lineHeight
        }
        var plotHeight = height - margins.top - margins.bottom
        if equalAspect {
            let side = min(plotWidth, plotHeight)
            margins.left += (plotWidth - side) / 2
            plotWidth = side
            plotHeight = side
        }
        let area = PlotArea(left: margins.left, top: margins.top, width: max(10, plotWidth),
                            height: max(10, plotHeight), xDomain: xd, yDomain: yd)
        return (area, xTicks, yTicks, rotateX, margins)
    }

    /// The chart as an `<svg>` element.
    public func svg() -> Markup {
        let (area, xTicks, yTicks, rotateX, _) = layout()
        var children: [Markup] = []

        var grid = ""
        if y.grid {
            for tick in yTicks { grid += "M\(SVGNumber.format(area.left)) \(SVGNumber.format(area.y(tick.value)))H\(SVGNumber.format(area.right))" }
        }
        if x.grid {
            for tick in xTicks { grid += "M\(SVGNumber.format(area.x(tick.value))) \(SVGNumber.format(area.top))V\(SVGNumber.format(area.bottom))" }
        }
        if !grid.isEmpty {
            children.append(Markup("path", [.init("d", grid), .init("stroke", SVG.gridColor.css), .init("fill", "none")]))
        }

        children.append(Markup("g", [.init("class", "marks")], children: marks.map { $0.markup(in: area) }))

        // Axes, ticks and tick labels.
        var axes = "M\(SVGNumber.format(area.left)) \(SVGNumber.format(area.top))V\(SVGNumber.format(area.bottom))H\(SVGNumber.format(area.right))"
        for tick in xTicks {
            let px = area.x(tick.value)
            axes += "M\(SVGNumber.format(px)) \(SVGNumber.format(area.bottom))v4"
            let lines = tick.label.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if rotateX {
                children.append(SVG.text(lines.joined(separator: " "), x: px + 3, y: area.bottom + 12, anchor: .end,
                                         size: 10, color: SVG.muted, rotation: -35))
            } else {
                children.append(SVG.lines(lines, x: px, y: area.bottom + 15, anchor: .middle, size: 10,
                                          color: SVG.muted, lineHeight: Self.lineHeight))
            }
        }
        for tick in yTicks {
            let py = area.y(tick.value)
            axes += "M\(SVGNumber.format(area.left)) \(SVGNumber.format(py))h-4"
            children.append(SVG.text(tick.label, x: area.left - 6, y: py + 3.5, anchor: .end, size: 10,
                                     color: SVG.muted))
        }
        children.append(Markup("path", [.init("d", axes), .init("stroke", "#444444"), .init("fill", "none")]))

        // Titles.
        children.append(SVG.text(x.caption, x: area.left + area.width / 2, y: height - 6, anchor: .middle))
        children.append(SVG.text(y.caption, x: 12, y: area.top + area.height / 2, anchor: .middle, rotation: -90))
        children.append(SVG.text(title, x: area.left, y: 16, size: 12, bold: true))

        if let legend {
            let size = legend.size
            children.append(legend.markup(x: area.right - size.width - 4, y: area.top + 4))
        }
        return SVG.root(width: width, height: height, title: title, children: children)
    }
}
