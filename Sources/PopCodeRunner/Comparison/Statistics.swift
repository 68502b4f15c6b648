import Foundation

/// Small statistics for comparing groups of seeds.
public enum Statistics {
    public static func mean(_ x: [Double]) -> Double {
        x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count)
    }

    /// The sample standard deviation (n − 1 in the denominator); NaN for fewer than 2 values.
    public static func standardDeviation(_ x: [Double]) -> Double {
        guard x.count >= 2 else { return .nan }
        let m = mean(x)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
    }

    /// Welch's two-sample t-test of equal means without assuming equal variances:
    /// `t = (mean b − mean a) / √(s_a²/n_a + s_b²/n_b)` with Welch–Satterthwaite degrees of
    /// freedom. Returns the two-sided p-value, or nil when either sample has fewer than 2
    /// values. Two samples with no spread at all give p = 1 for equal means, 0 otherwise.
    public static func welchTTest(_ a: [Double], _ b: [Double]) -> (t: Double, df: Double, p: Double)? {
        guard a.count >= 2, b.count >= 2, (a + b).allSatisfy(\.isFinite) else { return nil }
        let va = pow(standardDeviation(a), 2) / Double(a.count)
        let vb = pow(standardDeviation(b), 2) / Double(b.count)
        let difference = mean(b) - mean(a)
        guard va + vb > 0 else { return (difference == 0 ? 0 : .infinity, .nan, difference == 0 ? 1 : 0) }
        let t = difference / (va + vb).squareRoot()
        let denominator: Double = va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1)
        let df = (va + vb) * (va + vb) / denominator
        return (t, df, studentTwoSidedP(t: t, df: df))
    }

    /// `P(|T| ≥ |t|)` for Student's t with `df` degrees of freedom:
    /// `I_{df/(df+t²)}(df/2, 1/2)`, the regularised incomplete beta function.
    public static func studentTwoSidedP(t: Double, df: Double) -> Double {
        guard t.isFinite else { return 0 }
        return regularizedIncompleteBeta(df / (df + t * t), a: df / 2, b: 0.5)
    }

    /// `I_x(a, b)`, by the continued fraction of Numerical Recipes (§6.4), using the
    /// symmetry `I_x(a, b) = 1 − I_{1−x}(b, a)` where it converges faster.
    public static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logFront: Double = logBeta + a * log(x) + b * log(1 - x)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * betaContinuedFraction(x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * betaContinuedFraction(1 - x, a: b, b: a) / b
    }

    private static func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + even * d
            if abs(d) < tiny { d = tiny }
            c = 1 + even / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + odd * d
            if abs(d) < tiny { d = tiny }
            c = 1 + odd / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return h
    }
}

extension Statistics {
    /// The one-sided Welch test of `mean b > mean a`: `P(T ≥ t)` for Welch's
    /// `t = (mean b − mean a) / √(s_a²/n_a + s_b²/n_b)` with Welch–Satterthwaite degrees of
    /// freedom, i.e. half the two-sided p when `t > 0` and one minus that half otherwise.
    /// Nil when either sample has fewer than 2 values or a value is not finite. Samples with
    /// no spread at all give 0 when `mean b > mean a` and 1 otherwise.
    public static func welchGreaterP(_ a: [Double], _ b: [Double]) -> Double? {
        guard a.count >= 2, b.count >= 2, (a + b).allSatisfy(\.isFinite) else { return nil }
        let va = pow(standardDeviation(a), 2) / Double(a.count)
        let vb = pow(standardDeviation(b), 2) / Double(b.count)
        let difference = mean(b) - mean(a)
        guard va + vb > 0 else { return difference > 0 ? 0 : 1 }
        let t = difference / (va + vb).squareRoot()
        let df = (va + vb) * (va + vb) / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        let half = studentTwoSidedP(t: t, df: df) / 2
        return t > 0 ? half : 1 - half
    }

    /// The quantile `t` with `P(T ≤ t) = probability` of Student's t with `df` degrees of
    /// freedom, for `probability` in (0.5, 1): the root of `I_{df/(df+t²)}(df/2, ½) = 2(1 − probability)`,
    /// found by bisection to 1e-12 (e.g. 4.3027 for 0.975 and 2 degrees of freedom).
    public static func studentQuantile(_ probability: Double, df: Double) -> Double {
        precondition(probability > 0.5 && probability < 1 && df > 0, "studentQuantile: out of range")
        let target = 2 * (1 - probability)
        var low = 0.0, high = 1.0
        while studentTwoSidedP(t: high, df: df) > target { high *= 2 }
        while high - low > 1e-12 * max(1, high) {
            let middle = (low + high) / 2
            if studentTwoSidedP(t: middle, df: df) > target { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// The 95 % confidence interval of the mean, `mean ± t_{0.975, n−1} · sd / √n`; nil for
    /// fewer than 2 values.
    public static func confidenceInterval95(_ x: [Double]) -> (low: Double, high: Double)? {
        guard x.count >= 2 else { return nil }
        let half = studentQuantile(0.975, df: Double(x.count - 1)) * standardDeviation(x) / Double(x.count).squareRoot()
        return (mean(x) - half, mean(x) + half)
    }
}
