/// A continuous colour map: a table of colours at equal steps over [0, 1], interpolated
/// linearly between neighbours. A cyclic map wraps: `t` and `t + 1` give the same colour.
public struct ColorMap: Sendable, Hashable {
    public let name: String
    public let stops: [RGB]
    public let isCyclic: Bool

    public init(name: String, stops: [RGB], isCyclic: Bool = false) {
        precondition(stops.count >= 2, "a colour map needs at least two stops")
        self.name = name
        self.stops = stops
        self.isCyclic = isCyclic
    }

    /// The colour at `t`: clamped to [0, 1] (or taken modulo 1 when cyclic). Non-finite
    /// `t` has no colour; callers draw it as missing.
    public func color(at t: Double) -> RGB? {
        guard t.isFinite else { return nil }
        if isCyclic {
            var u = t.truncatingRemainder(dividingBy: 1)
            if u < 0 { u += 1 }
            let position = u * Double(stops.count)
            let index = min(Int(position), stops.count - 1)
            return stops[index].mixed(with: stops[(index + 1) % stops.count], position - Double(index))
        }
        let u = min(max(t, 0), 1)
        let position = u * Double(stops.count - 1)
        let index = min(Int(position), stops.count - 2)
        return stops[index].mixed(with: stops[index + 1], position - Double(index))
    }

    /// The colour of `value` on a scale from `domain.lowerBound` (t = 0) to `upperBound` (t = 1).
    public func color(of value: Double, in domain: ClosedRange<Double>) -> RGB? {
        let span = domain.upperBound - domain.lowerBound
        return color(at: span > 0 ? (value - domain.lowerBound) / span : 0.5)
    }

    /// matplotlib's `viridis` (perceptually uniform, sequential, colour-blind safe),
    /// sampled at 33 equal steps.
    public static let viridis = ColorMap(name: "viridis", stops: [
        0x440154, 0x470d60, 0x48186a, 0x482374, 0x472d7b, 0x453781, 0x424086, 0x3e4989,
        0x3b528b, 0x375b8d, 0x33638d, 0x2f6b8e, 0x2c728e, 0x297a8e, 0x26828e, 0x23898e,
        0x21918c, 0x1f988b, 0x1fa088, 0x22a785, 0x28ae80, 0x32b67a, 0x3fbc73, 0x4ec36b,
        0x5ec962, 0x70cf57, 0x84d44b, 0x98d83e, 0xaddc30, 0xc2df23, 0xd8e219, 0xece51b,
        0xfde725,
    ].map(RGB.init(hex:)))

    /// matplotlib's `twilight` (cyclic, perceptually uniform: equal lightness at both ends),
    /// sampled at 64 equal steps over one period; for angles such as θ.
    public static let twilight = ColorMap(name: "twilight", stops: [
        0xe2d9e2, 0xded9e1, 0xd7d7dd, 0xced3d9, 0xc4ced4, 0xb8c9d0, 0xacc2cc, 0xa0bcc9,
        0x95b5c7, 0x8aaec5, 0x81a6c3, 0x799fc2, 0x7297c1, 0x6c8fbf, 0x6887be, 0x647ebc,
        0x6276ba, 0x606db8, 0x5f64b5, 0x5f5ab1, 0x5e51ad, 0x5e47a7, 0x5d3da1, 0x5c3499,
        0x592a8f, 0x562284, 0x511b77, 0x4c1669, 0x45135c, 0x3e1150, 0x381145, 0x33113d,
        0x2f1436, 0x341238, 0x3a113a, 0x41123d, 0x4a1342, 0x541546, 0x5f174a, 0x691a4d,
        0x741e4f, 0x7e2250, 0x872750, 0x902e50, 0x983550, 0xa03d50, 0xa64550, 0xac4d51,
        0xb25652, 0xb75f55, 0xbb6958, 0xbf725d, 0xc27c63, 0xc5866a, 0xc89073, 0xca9a7d,
        0xcca389, 0xcfad96, 0xd1b6a3, 0xd5bfb1, 0xd8c7be, 0xdccecb, 0xdfd4d6, 0xe1d8dd,
    ].map(RGB.init(hex:)), isCyclic: true)

    /// ColorBrewer's `RdBu` reversed (blue for negative, near-white at the middle, red for
    /// positive; diverging and colour-blind safe), 11 classes.
    public static let blueRed = ColorMap(name: "RdBu (reversed)", stops: [
        0x053061, 0x2065ab, 0x4393c3, 0x90c4dd, 0xd1e5f0, 0xf7f6f6, 0xfddbc7, 0xf3a481,
        0xd6604d, 0xb1182b, 0x67001f,
    ].map(RGB.init(hex:)))
}
