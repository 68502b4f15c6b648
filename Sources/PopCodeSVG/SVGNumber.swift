/// Numbers in SVG coordinates and attributes: at most two decimals, no trailing zeros, never
/// `-0`, and never `NaN` or `inf` (the marks drop non-finite values before they get here).
public enum SVGNumber {
    /// Magnitudes beyond this are clamped (far outside any drawing).
    public static let limit = 1e9

    /// `value` rounded to 0.01 and written shortest: `12`, `3.5`, `-0.25`.
    /// A non-finite value is a bug upstream; it asserts in debug builds and writes `0`.
    public static func format(_ value: Double) -> String {
        assert(value.isFinite, "non-finite SVG coordinate")
        guard value.isFinite else { return "0" }
        let scaled = Int64((min(max(value, -limit), limit) * 100).rounded())
        if scaled == 0 { return "0" }
        let sign = scaled < 0 ? "-" : ""
        let magnitude = scaled.magnitude
        let whole = magnitude / 100
        let fraction = magnitude % 100
        if fraction == 0 { return sign + String(whole) }
        if fraction % 10 == 0 { return sign + String(whole) + "." + String(fraction / 10) }
        return sign + String(whole) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }
}
