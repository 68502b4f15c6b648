/// A small image (e.g. an 8×8 input) drawn as `rows × columns` coloured squares, row-major
/// with row 0 at the top. Values map through `map` over `domain`; non-finite pixels are
/// grey.
public struct Heatmap: Sendable, Hashable {
    public var values: [Double]
    public var rows: Int
    public var columns: Int
    public var map: ColorMap
    public var domain: ClosedRange<Double>
    public var cellSize: Double

    public static let missing = RGB(hex: 0xbdbdbd)

    public init(values: [Double], rows: Int, columns: Int, map: ColorMap = .blueRed,
                domain: ClosedRange<Double>, cellSize: Double = 6) {
        precondition(values.count == rows * columns, "Heatmap: \(values.count) values for \(rows)x\(columns)")
        self.values = values
        self.rows = rows
        self.columns = columns
        self.map = map
        self.domain = LinearScale.widened(domain)
        self.cellSize = cellSize
    }

    /// The symmetric domain `−m…m` with `m` the largest finite |value| (1 when there is none),
    /// so that 0 sits at the middle of a diverging map.
    public static func symmetricDomain(_ values: some Sequence<Double>) -> ClosedRange<Double> {
        let m = values.filter(\.isFinite).map(abs).max() ?? 0
        return m > 0 ? -m...m : -1...1
    }

    public var size: (width: Double, height: Double) { (Double(columns) * cellSize, Double(rows) * cellSize) }

    /// The image with its top-left corner at (`x`, `y`), framed by a thin border.
    public func markup(x: Double, y: Double) -> Markup {
        var cells: [Markup] = []
        cells.reserveCapacity(values.count + 1)
        for row in 0..<rows {
            for column in 0..<columns {
                let value = values[row * columns + column]
                let color = map.color(of: value, in: domain) ?? Self.missing
                cells.append(Markup("rect", [.init("x", Double(column) * cellSize), .init("y", Double(row) * cellSize),
                                             .init("width", cellSize + 0.05), .init("height", cellSize + 0.05),
                                             .init("fill", color.css)]))
            }
        }
        cells.append(Markup("rect", [.init("width", size.width), .init("height", size.height), .init("fill", "none"),
                                     .init("stroke", "#999999"), .init("stroke-width", 0.5)]))
        return SVG.translated(x, y, cells)
    }
}
