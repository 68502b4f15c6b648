/// Rough text widths for layout (no font is at hand when the SVG is written): the average
/// advance of a sans-serif face, about 0.6 em per character (DejaVu Sans, the widest common default).
public enum TextMetrics {
    public static func width(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * 0.6 * fontSize
    }
}
