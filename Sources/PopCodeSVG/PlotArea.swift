/// The rectangle a chart draws its data in, with the scales that map data into it.
public struct PlotArea: Sendable, Hashable {
    public let x: LinearScale
    public let y: LinearScale
    public let left: Double
    public let top: Double
    public let width: Double
    public let height: Double

    /// An area at (`left`, `top`) of `width × height` pixels showing `xDomain × yDomain`
    /// (y grows upwards, as on paper).
    public init(left: Double, top: Double, width: Double, height: Double,
                xDomain: ClosedRange<Double>, yDomain: ClosedRange<Double>) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        x = LinearScale(domain: xDomain, range: left, left + width)
        y = LinearScale(domain: yDomain, range: top + height, top)
    }

    public var right: Double { left + width }
    public var bottom: Double { top + height }

    /// The pixel of data point (`u`, `v`), or nil when either is not finite.
    public func pixel(_ u: Double, _ v: Double) -> (x: Double, y: Double)? {
        let px = x(u), py = y(v)
        return px.isFinite && py.isFinite ? (px, py) : nil
    }

    /// Whether pixel (`px`, `py`) lies inside the area (edges included, with `slack` pixels).
    public func contains(_ px: Double, _ py: Double, slack: Double = 0.5) -> Bool {
        px >= left - slack && px <= right + slack && py >= top - slack && py <= bottom + slack
    }

    /// The part of the segment from `a` to `b` (pixels) inside the area (Liang–Barsky),
    /// or nil when none of it is.
    public func clip(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double))
        -> (start: (x: Double, y: Double), end: (x: Double, y: Double))? {
        let dx = b.x - a.x, dy = b.y - a.y
        var t0 = 0.0, t1 = 1.0
        for (p, q) in [(-dx, a.x - left), (dx, right - a.x), (-dy, a.y - top), (dy, bottom - a.y)] {
            if p == 0 {
                if q < 0 { return nil }
                continue
            }
            let r = q / p
            if p < 0 {
                if r > t1 { return nil }
                t0 = max(t0, r)
            } else {
                if r < t0 { return nil }
                t1 = min(t1, r)
            }
        }
        return ((a.x + t0 * dx, a.y + t0 * dy), (a.x + t1 * dx, a.y + t1 * dy))
    }

    /// `px` and `py` moved into the area.
    public func clamp(_ px: Double, _ py: Double) -> (x: Double, y: Double) {
        (min(max(px, left), right), min(max(py, top), bottom))
    }
}
