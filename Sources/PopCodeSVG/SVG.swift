/// Roots and text of self-contained SVG figures: every figure carries its own fonts and
/// colours as presentation attributes, so it looks the same inline in the report, saved on
/// its own, or printed.
public enum SVG {
    public static let fontFamily = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif"
    public static let ink = RGB(hex: 0x222222)
    public static let muted = RGB(hex: 0x666666)
    public static let gridColor = RGB(hex: 0xe6e6e6)

    /// `<svg>` of `width × height` pixels with a `<title>` (read by screen readers and shown
    /// as a tooltip) and the children.
    public static func root(width: Double, height: Double, title: String, children: [Markup]) -> Markup {
        Markup("svg", [
            .init("xmlns", "http://www.w3.org/2000/svg"),
            .init("viewBox", "0 0 \(SVGNumber.format(width)) \(SVGNumber.format(height))"),
            .init("width", width), .init("height", height), .init("role", "img"),
            .init("aria-label", title), .init("font-family", fontFamily), .init("font-size", 11),
        ], children: [Markup("title", children: [.text(title)])] + children)
    }

    public enum Anchor: String, Sendable { case start, middle, end }

    /// A `<text>` at (`x`, `y`) (the baseline), optionally rotated by `rotation` degrees
    /// about its anchor.
    public static func text(_ string: String, x: Double, y: Double, anchor: Anchor = .start,
                            size: Double? = nil, color: RGB = ink, bold: Bool = false,
                            rotation: Double? = nil) -> Markup {
        var attributes: [Markup.Attribute] = [.init("x", x), .init("y", y)]
        if anchor != .start { attributes.append(.init("text-anchor", anchor.rawValue)) }
        if let size { attributes.append(.init("font-size", size)) }
        attributes.append(.init("fill", color.css))
        if bold { attributes.append(.init("font-weight", "600")) }
        if let rotation {
            attributes.append(.init("transform", "rotate(\(SVGNumber.format(rotation)) \(SVGNumber.format(x)) \(SVGNumber.format(y)))"))
        }
        return Markup("text", attributes, children: [.text(string)])
    }

    /// Lines of text stacked `lineHeight` apart, the first on the baseline at `y`.
    public static func lines(_ lines: [String], x: Double, y: Double, anchor: Anchor = .start, size: Double? = nil,
                             color: RGB = ink, lineHeight: Double = 12) -> Markup {
        guard lines.count > 1 else { return text(lines.first ?? "", x: x, y: y, anchor: anchor, size: size, color: color) }
        var attributes: [Markup.Attribute] = [.init("x", x), .init("y", y), .init("fill", color.css)]
        if anchor != .start { attributes.append(.init("text-anchor", anchor.rawValue)) }
        if let size { attributes.append(.init("font-size", size)) }
        let spans = lines.enumerated().map { index, line in
            Markup("tspan", [.init("x", x), .init("dy", index == 0 ? 0 : lineHeight)], children: [.text(line)])
        }
        return Markup("text", attributes, children: spans)
    }

    /// A `<g>` moved by (`x`, `y`).
    public static func translated(_ x: Double, _ y: Double, _ children: [Markup]) -> Markup {
        Markup("g", [.init("transform", "translate(\(SVGNumber.format(x)) \(SVGNumber.format(y)))")],
               children: children)
    }
}
