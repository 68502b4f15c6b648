/// Something a `Chart` draws in its plot area: lines, bands, points, error bars, bars.
///
/// A mark reports the finite extent of its data (the chart's axes cover every mark's
/// extent unless given a domain) and draws itself, dropping non-finite values as gaps and
/// keeping inside the area.
public protocol ChartMark: Sendable {
    var xExtent: ClosedRange<Double>? { get }
    var yExtent: ClosedRange<Double>? { get }
    /// Whether the chart's domain should grow to show this mark (false for context lines
    /// such as failed runs, which may run far off).
    var definesDomain: Bool { get }
    func markup(in area: PlotArea) -> Markup
}

extension ChartMark {
    public var definesDomain: Bool { true }
}

/// Presentation attributes shared by the marks.
enum MarkStyle {
    static func stroke(_ color: RGB, width: Double, dash: String?, opacity: Double) -> [Markup.Attribute] {
        var attributes = [Markup.Attribute("fill", "none"), .init("stroke", color.css),
                          .init("stroke-width", width), .init("stroke-linejoin", "round"),
                          .init("stroke-linecap", "round")]
        if let dash { attributes.append(.init("stroke-dasharray", dash)) }
        if opacity < 1 { attributes.append(.init("stroke-opacity", opacity)) }
        return attributes
    }
}
