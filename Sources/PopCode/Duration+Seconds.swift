extension Duration {
    /// The duration in seconds, `seconds + attoseconds · 10⁻¹⁸`: the one conversion every
    /// timing in popcode uses.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
