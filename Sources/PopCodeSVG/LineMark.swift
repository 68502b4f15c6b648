/// A polyline through (`x[i]`, `y[i]`). A non-finite value breaks the line (a gap, never
/// a jump to 0); the parts outside the plot area are clipped off.
public struct LineMark: ChartMark {
    public var x: [Double]
    public var y: [Double]
    public var color: RGB
    public var width: Double
    public var dash: String?
    public var opacity: Double
    public var definesDomain: Bool
    /// A tooltip (SVG `<title>`), e.g. the run's name.
    public var label: String?

    public init(x: [Double], y: [Double], color: RGB, width: Double = 1.5, dash: String? = nil,
                opacity: Double = 1, definesDomain: Bool = true, label: String? = nil) {
        precondition(x.count == y.count, "LineMark: \(x.count) x values, \(y.count) y values")
        self.x = x
        self.y = y
        self.color = color
        self.width = width
        self.dash = dash
        self.opacity = opacity
        self.definesDomain = definesDomain
        self.label = label
    }

    public var xExtent: ClosedRange<Double>? { LinearScale.extent(of: finitePairs.map(\.0)) }
    public var yExtent: ClosedRange<Double>? { LinearScale.extent(of: finitePairs.map(\.1)) }

    private var finitePairs: [(Double, Double)] {
        zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
    }

    /// The SVG path data: `M` at the start of every visible piece, `L` along it.
    public func pathData(in area: PlotArea) -> String {
        var data = ""
        var previous: (x: Double, y: Double)?
        var penAt: (x: Double, y: Double)?
        for (u, v) in zip(x, y) {
            guard let point = area.pixel(u, v) else {
                previous = nil
                continue
            }
            defer { previous = point }
            guard let from = previous else {
                // A lone point is drawn only if the line never continues from it.
                continue
            }
            guard let piece = area.clip(from, point) else { penAt = nil; continue }
            if let pen = penAt, pen.x == piece.start.x, pen.y == piece.start.y {
                data += "L" + Self.pair(piece.end)
            } else {
                data += "M" + Self.pair(piece.start) + "L" + Self.pair(piece.end)
            }
            penAt = piece.end
        }
        return data
    }

    public func markup(in area: PlotArea) -> Markup {
        let data = pathData(in: area)
        guard !data.isEmpty else { return .group(isolatedPoints(in: area)) }
        let path = Markup("path", [.init("d", data)] + MarkStyle.stroke(color, width: width, dash: dash, opacity: opacity),
                          children: label.map { [Markup("title", children: [.text($0)])] } ?? [])
        return .group([path] + isolatedPoints(in: area))
    }

    /// Finite points with no finite neighbour are drawn as dots, so a one-epoch history
    /// or a point between two gaps is not invisible.
    private func isolatedPoints(in area: PlotArea) -> [Markup] {
        var dots: [Markup] = []
        for i in x.indices {
            guard let point = area.pixel(x[i], y[i]), area.contains(point.x, point.y) else { continue }
            let before = i > 0 && area.pixel(x[i - 1], y[i - 1]) != nil
            let after = i + 1 < x.count && area.pixel(x[i + 1], y[i + 1]) != nil
            guard !before && !after else { continue }
            dots.append(Markup("circle", [.init("cx", point.x), .init("cy", point.y),
                                          .init("r", max(1.5, width)), .init("fill", color.css)]))
        }
        return dots
    }

    static func pair(_ p: (x: Double, y: Double)) -> String {
        SVGNumber.format(p.x) + " " + SVGNumber.format(p.y)
    }
}
