internal import CVectorMath

/// Elementwise transcendental functions over buffers, through SLEEF's AVX2 routines
/// (1.0-ulp accuracy). This is the only file that imports `CVectorMath`.
enum VectorMath {
    /// `x[i] ← exp(x[i])` for every element.
    static func exp(_ x: UnsafeMutableBufferPointer<Double>) {
        guard let base = x.baseAddress, !x.isEmpty else { return }
        pc_vexp(base, base, x.count)
    }

    /// `x[i] ← tanh(x[i])` for every element.
    static func tanh(_ x: UnsafeMutableBufferPointer<Double>) {
        guard let base = x.baseAddress, !x.isEmpty else { return }
        pc_vtanh(base, base, x.count)
    }
}
