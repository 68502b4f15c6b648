/// A key to a chart's colours: entries laid out left to right, wrapping at `maxWidth`
/// (a `maxWidth` of 0 puts one entry per row).
public struct Legend: Sendable, Hashable {
    public enum Symbol: Sendable, Hashable {
        /// A short line, dashed when `dash` is set; `thick` for a mean line.
        case line(dash: String?, thick: Bool)
        /// A line over a light band (mean ± sd).
        case lineWithBand
        case dot
        case square
    }

    public struct Entry: Sendable, Hashable {
        public let label: String
        public let color: RGB
        public let symbol: Symbol

        public init(_ label: String, color: RGB, symbol: Symbol = .line(dash: nil, thick: false)) {
            self.label = label
            self.color = color
            self.symbol = symbol
        }
    }

    public var entries: [Entry]
    public var title: String?
    public var maxWidth: Double
    public var fontSize = 11.0

    public init(_ entries: [Entry], title: String? = nil, maxWidth: Double = 0) {
        self.entries = entries
        self.title = title
        self.maxWidth = maxWidth
    }

    private static let symbolWidth = 22.0, gap = 6.0, spacing = 16.0, rowHeight = 17.0, padding = 5.0

    private func entryWidth(_ entry: Entry) -> Double {
        Self.symbolWidth + Self.gap + TextMetrics.width(entry.label, fontSize: fontSize)
    }

    /// Each entry's offset inside the legend, and the legend's size.
    private func layout() -> (positions: [(x: Double, y: Double)], width: Double, height: Double) {
        var positions: [(x: Double, y: Double)] = []
        var x = Self.padding, y = Self.padding + (title == nil ? 0 : Self.rowHeight)
        var width = title.map { TextMetrics.width($0, fontSize: fontSize) + 2 * Self.padding } ?? 0
        for entry in entries {
            let w = entryWidth(entry)
            if x > Self.padding && x + w > maxWidth - Self.padding {
                x = Self.padding
                y += Self.rowHeight
            }
            positions.append((x, y))
            x += w + Self.spacing
            width = max(width, x - Self.spacing + Self.padding)
        }
        return (positions, width, y + Self.rowHeight + Self.padding - 2)
    }

    public var size: (width: Double, height: Double) {
        let l = layout()
        return (l.width, l.height)
    }

    /// The legend with its top-left corner at (`x`, `y`), on a white, slightly transparent card.
    public func markup(x: Double, y: Double) -> Markup {
        let l = layout()
        var children = [Markup("rect", [.init("width", l.width), .init("height", l.height), .init("rx", 3),
                                        .init("fill", "#ffffff"), .init("fill-opacity", 0.85),
                                        .init("stroke", "#d0d0d0")])]
        if let title {
            children.append(SVG.text(title, x: Self.padding, y: Self.padding + 11, size: fontSize, bold: true))
        }
        for (entry, position) in zip(entries, l.positions) {
            let mid = position.y + Self.rowHeight / 2 - 1
            children.append(symbol(entry, x: position.x, y: mid))
            children.append(SVG.text(entry.label, x: position.x + Self.symbolWidth + Self.gap, y: mid + 4,
                                     size: fontSize))
        }
        return SVG.translated(x, y, children)
    }

    /// The legend as a figure of its own.
    public func svg(title figureTitle: String) -> Markup {
        let l = layout()
        return SVG.root(width: l.width + 2, height: l.height + 2, title: figureTitle,
                        children: [markup(x: 1, y: 1)])
    }

    private func symbol(_ entry: Entry, x: Double, y: Double) -> Markup {
        let w = Self.symbolWidth
        let color = entry.color.css
        func line(_ width: Double, dash: String?) -> Markup {
            var attributes: [Markup.Attribute] = [.init("d", "M\(SVGNumber.format(x)) \(SVGNumber.format(y))h\(SVGNumber.format(w))"),
                                                   .init("stroke", color), .init("stroke-width", width)]
            if let dash { attributes.append(.init("stroke-dasharray", dash)) }
            return Markup("path", attributes)
        }
        switch entry.symbol {
        case .line(let dash, let thick):
            return line(thick ? 2.5 : 1.5, dash: dash)
        case .lineWithBand:
            return .group([Markup("rect", [.init("x", x), .init("y", y - 5), .init("width", w), .init("height", 10),
                                           .init("fill", color), .init("fill-opacity", 0.2)]),
                           line(2.5, dash: nil)])
        case .dot:
            return Markup("circle", [.init("cx", x + w / 2), .init("cy", y), .init("r", 4), .init("fill", color)])
        case .square:
            return Markup("rect", [.init("x", x + w / 2 - 5), .init("y", y - 5), .init("width", 10),
                                   .init("height", 10), .init("fill", color)])
        }
    }
}
