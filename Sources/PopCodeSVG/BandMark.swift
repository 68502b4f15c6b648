/// A filled band between `lower[i]` and `upper[i]` along `x[i]` (e.g. mean ± sd). Where any
/// of the three is not finite the band breaks; each finite stretch is one polygon.
public struct BandMark: ChartMark {
    public var x: [Double]
    public var lower: [Double]
    public var upper: [Double]
    public var color: RGB
    public var opacity: Double

    public init(x: [Double], lower: [Double], upper: [Double], color: RGB, opacity: Double = 0.2) {
        precondition(x.count == lower.count && x.count == upper.count, "BandMark: unequal lengths")
        self.x = x
        self.lower = lower
        self.upper = upper
        self.color = color
        self.opacity = opacity
    }

    public var xExtent: ClosedRange<Double>? { LinearScale.extent(of: stretches.flatMap { $0.map { x[$0] } }) }
    public var yExtent: ClosedRange<Double>? {
        LinearScale.extent(of: stretches.flatMap { $0.flatMap { [lower[$0], upper[$0]] } })
    }

    /// Runs of consecutive indices where x, lower and upper are all finite.
    private var stretches: [[Int]] {
        var result: [[Int]] = []
        var current: [Int] = []
        for i in x.indices {
            if x[i].isFinite && lower[i].isFinite && upper[i].isFinite {
                current.append(i)
            } else if !current.isEmpty {
                result.append(current)
                current = []
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    public func markup(in area: PlotArea) -> Markup {
        let polygons = stretches.filter { $0.count >= 2 }.map { indices -> Markup in
            let top = indices.map { area.clamp(area.x(x[$0]), area.y(upper[$0])) }
            let bottom = indices.reversed().map { area.clamp(area.x(x[$0]), area.y(lower[$0])) }
            let points = (top + bottom).map { SVGNumber.format($0.x) + "," + SVGNumber.format($0.y) }
            return Markup("polygon", [.init("points", points.joined(separator: " ")),
                                      .init("fill", color.css), .init("fill-opacity", opacity),
                                      .init("stroke", "none")])
        }
        return .group(polygons)
    }
}
