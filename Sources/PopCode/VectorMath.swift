internal import CVectorMath

/// Elementwise transcendental functions over buffers, through SLEEF's vector routines
/// (`exp` to 1.0 ulp, `tanh` to 3.5 ulp; AVX-512 where the CPU has it, else AVX2, chosen at run time in CVectorMath). This is the only file that imports `CVectorMath`.
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

    /// The Gaussian bumps `out[r, i] = exp(−Σ_j (μᵀ[j, i] − m[r, j])² / 2σ²)` of `rows`
    /// codes `m` (`rows × k`) around `h` centres given transposed (`muT`, `k × h`): the
    /// distances vectorised over i (8 lanes on AVX-512), then `exp` over the block.
    static func bumps(_ m: UnsafePointer<Double>, rows: Int, dimensions k: Int, centres muT: UnsafePointer<Double>,
                      count h: Int, twoSigma2: Double, into out: UnsafeMutablePointer<Double>) {
        guard rows > 0, h > 0 else { return }
        pc_bumps(m, rows, k, muT, h, twoSigma2, out)
    }

    /// The single-precision bumps (as the double form, with the float exponential).
    static func bumps(_ m: UnsafePointer<Float>, rows: Int, dimensions k: Int, centres muT: UnsafePointer<Float>,
                      count h: Int, twoSigma2: Float, into out: UnsafeMutablePointer<Float>) {
        guard rows > 0, h > 0 else { return }
        pc_bumpsf(m, rows, k, muT, h, twoSigma2, out)
    }

    /// The bumps' share of the backward pass over `rows` rows: from the gradient with respect
    /// to the bumps (`gradBump`, `rows × h`), μ's gradient (transposed, `k × h`, accumulated
    /// into) and m̂'s (`gradM`, `rows × k`, written), as `pc_bumps_backward` says.
    static func bumpsBackward(_ m: UnsafePointer<Double>, rows: Int, dimensions k: Int, centres muT: UnsafePointer<Double>,
                              count h: Int, bumps: UnsafePointer<Double>, gradBumps: UnsafePointer<Double>,
                              twoSigma2: Double, gradCentres: UnsafeMutablePointer<Double>,
                              gradM: UnsafeMutablePointer<Double>) {
        guard rows > 0, h > 0, k > 0 else { return }
        pc_bumps_backward(m, rows, k, muT, h, bumps, gradBumps, twoSigma2, gradCentres, gradM)
    }

    /// The single-precision form of `bumpsBackward`.
    static func bumpsBackward(_ m: UnsafePointer<Float>, rows: Int, dimensions k: Int, centres muT: UnsafePointer<Float>,
                              count h: Int, bumps: UnsafePointer<Float>, gradBumps: UnsafePointer<Float>,
                              twoSigma2: Float, gradCentres: UnsafeMutablePointer<Float>,
                              gradM: UnsafeMutablePointer<Float>) {
        guard rows > 0, h > 0, k > 0 else { return }
        pc_bumps_backwardf(m, rows, k, muT, h, bumps, gradBumps, twoSigma2, gradCentres, gradM)
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
