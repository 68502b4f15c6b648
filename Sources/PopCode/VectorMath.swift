internal import CVectorMath

/// Elementwise transcendental functions over buffers, through SLEEF's vector routines
/// (1.0-ulp accuracy; AVX-512 where the CPU has it, else AVX2, chosen at run time in CVectorMath). This is the only file that imports `CVectorMath`.
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

    /// `x[i] ← exp(x[i])` in single precision (SLEEF's 1.0-ulp float kernels).
    @inlinable
    public static func exp(_ x: UnsafeMutableBufferPointer<Float>) {
        guard let base = x.baseAddress, !x.isEmpty else { return }
        pc_vexpf(base, base, x.count)
    }

    /// `x[i] ← tanh(x[i])` in single precision.
    @inlinable
    public static func tanh(_ x: UnsafeMutableBufferPointer<Float>) {
        guard let base = x.baseAddress, !x.isEmpty else { return }
        pc_vtanhf(base, base, x.count)
    }
}
