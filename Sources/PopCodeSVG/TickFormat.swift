import Foundation

/// Tick and value labels: as many decimals as the tick step needs, a true minus sign (−),
/// and powers of ten written `2×10⁻⁵` when plain decimals would be unreadable.
public enum TickFormat {
    /// The label of tick `value` on an axis whose ticks are `step` apart.
    public static func label(_ value: Double, step: Double) -> String {
        guard value.isFinite else { return "" }
        if value == 0 { return "0" }
        let magnitude = max(abs(value), step)
        if magnitude >= 1e6 || step < 1e-4 {
            return scientific(value, significant: significantDigits(value, step: step))
        }
        let decimals = step > 0 ? max(0, Int((-log10(step) - 1e-9).rounded(.up))) : 0
        return minus(String(format: "%.\(decimals)f", value))
    }

    /// `value` with `digits` significant digits, plain or as `m×10ᵏ` for very large or
    /// very small values; `—` when not finite.
    public static func number(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return "—" }
        if value == 0 { return "0" }
        let exponent = Int(log10(abs(value)).rounded(.down))
        if exponent >= 6 || exponent < -4 { return scientific(value, significant: digits) }
        let decimals = max(0, digits - 1 - exponent)
        return minus(String(format: "%.\(decimals)f", value))
    }

    /// `m × 10ᵏ` written plainly (`0.02`, `5`, `200`), or as `2×10⁻⁵` when `k` < −4 or ≥ 6.
    public static func power(mantissa m: Int, exponent k: Int) -> String {
        if k < -4 || k >= 6 { return minus((m == 1 ? "" : "\(m)×") + "10" + superscript(k)) }
        if k >= 0 { return String(m) + String(repeating: "0", count: k) }
        return minus(String(format: "%.\(-k)f", Double(m) * pow(10, Double(k))))
    }

    private static func significantDigits(_ value: Double, step: Double) -> Int {
        guard step > 0 else { return 3 }
        let spread = log10(abs(value)) - log10(step)
        return min(6, max(1, Int(spread.rounded(.down)) + 1))
    }

    private static func scientific(_ value: Double, significant: Int) -> String {
        let exponent = Int(log10(abs(value)).rounded(.down))
        var mantissa = value / pow(10, Double(exponent))
        var shown = exponent
        if abs(mantissa) >= 9.9999995 { mantissa /= 10; shown += 1 }
        let text = String(format: "%.\(max(0, significant - 1))f", mantissa)
        let trimmed = text.contains(".") ? String(text.reversed().drop(while: { $0 == "0" }).reversed())
            .trimmingCharacters(in: CharacterSet(charactersIn: ".")) : text
        let head = trimmed == "1" ? "" : trimmed == "-1" ? "-" : trimmed + "×"
        return minus(head + "10" + superscript(shown))
    }

    private static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let body = String(n.magnitude).map { digits[Int(String($0))!] }
        return (n < 0 ? "⁻" : "") + String(body)
    }

    /// Replaces ASCII hyphen-minus with U+2212 MINUS SIGN.
    public static func minus(_ text: String) -> String {
        text.replacingOccurrences(of: "-", with: "\u{2212}")
    }
}
