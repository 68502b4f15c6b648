import Foundation

/// A 3-D scatter seen from a fixed oblique direction (orthographic): the points inside the
/// wire-frame box of their domains, drawn far to near so that near points cover far ones.
///
/// Each coordinate is first mapped to `[−½, ½]` over its domain, then turned by `azimuth`
/// about the vertical (third) axis and tilted by `elevation`:
/// `u = p₁ cos a − p₂ sin a`, `w = p₁ sin a + p₂ cos a`,
/// screen-up `v = p₃ cos e + w sin e`, depth `d = w cos e − p₃ sin e` (larger is farther).
public struct Projection3D: Sendable {
    public var title: String
    public var coordinates: [[Double]]
    public var colors: [RGB?]
    public var axisTitles: [String]
    /// One domain per axis; nil: each axis's finite extent, niced.
    public var domains: [ClosedRange<Double>]?
    public var size: Double
    public var azimuth: Double
    public var elevation: Double
    public var radius: Double

    /// `coordinates` holds the three axes' values (`coordinates[k][i]` is point i on axis k).
    public init(title: String, coordinates: [[Double]], colors: [RGB?], axisTitles: [String],
                domains: [ClosedRange<Double>]? = nil, size: Double = 300,
                azimuth: Double = 35 * .pi / 180, elevation: Double = 25 * .pi / 180, radius: Double = 2) {
        precondition(coordinates.count == 3 && axisTitles.count == 3, "Projection3D needs three axes")
        precondition(coordinates[1].count == coordinates[0].count && coordinates[2].count == coordinates[0].count,
                     "Projection3D: unequal axis lengths")
        precondition(colors.count == coordinates[0].count, "Projection3D: one colour per point")
        self.title = title
        self.coordinates = coordinates
        self.colors = colors
        self.axisTitles = axisTitles
        self.domains = domains
        self.size = size
        self.azimuth = azimuth
        self.elevation = elevation
        self.radius = radius
    }

    /// The screen position (right, up) and depth of a point already in `[−½, ½]³`.
    public func project(_ p: [Double]) -> (u: Double, v: Double, depth: Double) {
        let (ca, sa, ce, se) = (cos(azimuth), sin(azimuth), cos(elevation), sin(elevation))
        let u = p[0] * ca - p[1] * sa
        let w = p[0] * sa + p[1] * ca
        return (u, p[2] * ce + w * se, w * ce - p[2] * se)
    }

    public func resolvedDomains() -> [ClosedRange<Double>] {
        domains ?? coordinates.map { LinearScale.nice(LinearScale.extent(of: $0) ?? 0...1, count: 4) }
    }

    public func svg() -> Markup {
        let domains = resolvedDomains().map(LinearScale.widened)
        let corners = (0..<8).map { c in [c & 1, (c >> 1) & 1, (c >> 2) & 1].map { Double($0) - 0.5 } }
        let projected = corners.map(project)
        let minU = projected.map(\.u).min()!, maxU = projected.map(\.u).max()!
        let minV = projected.map(\.v).min()!, maxV = projected.map(\.v).max()!
        let top = 24.0, margin = 22.0
        let scale = min((size - 2 * margin) / (maxU - minU), (size - top - 2 * margin) / (maxV - minV))
        let centerX = size / 2, centerY = top + (size - top) / 2
        func screen(_ q: (u: Double, v: Double, depth: Double)) -> (x: Double, y: Double) {
            (centerX + (q.u - (minU + maxU) / 2) * scale, centerY - (q.v - (minV + maxV) / 2) * scale)
        }

        var children: [Markup] = []
        // The box: edges join corners that differ in one axis.
        var box = ""
        for a in 0..<8 {
            for bit in [1, 2, 4] where a & bit == 0 {
                let p = screen(projected[a]), q = screen(projected[a | bit])
                box += "M\(SVGNumber.format(p.x)) \(SVGNumber.format(p.y))L\(SVGNumber.format(q.x)) \(SVGNumber.format(q.y))"
            }
        }
        children.append(Markup("path", [.init("d", box), .init("stroke", "#c8c8c8"), .init("fill", "none")]))

        // Points, far first.
        var points: [(depth: Double, x: Double, y: Double, color: RGB)] = []
        for i in coordinates[0].indices {
            let raw = (0..<3).map { coordinates[$0][i] }
            guard raw.allSatisfy(\.isFinite), let color = colors[i] else { continue }
            let unit = (0..<3).map { k in
                min(max((raw[k] - domains[k].lowerBound) / (domains[k].upperBound - domains[k].lowerBound), 0), 1) - 0.5
            }
            let q = project(unit)
            let s = screen(q)
            points.append((q.depth, s.x, s.y, color))
        }
        points.sort { $0.depth > $1.depth }
        children.append(Markup("g", [.init("stroke", "#000000"), .init("stroke-opacity", 0.35),
                                     .init("stroke-width", 0.4)], children: points.map {
            Markup("circle", [.init("cx", $0.x), .init("cy", $0.y), .init("r", radius), .init("fill", $0.color.css)])
        }))

        // Each axis's title beside the one of its four parallel edges that lies on the outline
        // of the box: farthest from the centre, then lowest (horizontal axes) or leftmost
        // (the vertical axis).
        let center = screen(project([0, 0, 0]))
        for (k, bit) in [1, 2, 4].enumerated() {
            let edges = (0..<8).filter { $0 & bit == 0 }.map { start -> (x: Double, y: Double) in
                let a = screen(projected[start]), b = screen(projected[start | bit])
                return ((a.x + b.x) / 2, (a.y + b.y) / 2)
            }
            let distance = { (p: (x: Double, y: Double)) in ((p.x - center.x) * (p.x - center.x) + (p.y - center.y) * (p.y - center.y)).rounded() }
            let best = edges.max { p, q in
                let dp = distance(p), dq = distance(q)
                if dp != dq { return dp < dq }
                return k == 2 ? p.x > q.x : p.y < q.y
            }!
            var mx = best.x, my = best.y
            let dx = mx - center.x, dy = my - center.y
            let length = max(1, (dx * dx + dy * dy).squareRoot())
            mx += dx / length * 14
            my += dy / length * 14 + 4
            let span = domains[k].upperBound - domains[k].lowerBound
            let range = TickFormat.label(domains[k].lowerBound, step: span) + "–" + TickFormat.label(domains[k].upperBound, step: span)
            children.append(SVG.text("\(axisTitles[k]) \(range)", x: mx, y: my, anchor: .middle, size: 10,
                                     color: SVG.muted))
        }
        children.append(SVG.text(title, x: 8, y: 15, size: 12, bold: true))
        return SVG.root(width: size, height: size, title: title, children: children)
    }
}
