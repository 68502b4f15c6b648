/// The floating-point types a `BottleneckNetwork` computes in (`RunSpec.precision`): each
/// brings its GEMM (OpenBLAS DGEMM or SGEMM) and its vector `exp`/`tanh` (SLEEF: exp 1.0 ulp, tanh 3.5 ulp).
protocol NetworkScalar: BinaryFloatingPoint, SIMDScalar {
    /// `C ← alpha · op(A) · op(B) + beta · C`, as `Linear.gemm`.
    static func gemm(_ a: UnsafePointer<Self>, rows aRows: Int, columns aColumns: Int, transpose transposeA: Bool,
                     _ b: UnsafePointer<Self>, rows bRows: Int, columns bColumns: Int, transpose transposeB: Bool,
                     into c: UnsafeMutablePointer<Self>, alpha: Self, beta: Self)
    /// `x[i] ← exp(x[i])`.
    static func exp(_ x: UnsafeMutableBufferPointer<Self>)
    /// `x[i] ← tanh(x[i])`.
    static func tanh(_ x: UnsafeMutableBufferPointer<Self>)
    /// `out[r, i] = exp(−Σ_j (μᵀ[j, i] − m[r, j])² / 2σ²)`, as `VectorMath.bumps`.
    static func bumps(_ m: UnsafePointer<Self>, rows: Int, dimensions k: Int, centres muT: UnsafePointer<Self>,
                      count h: Int, twoSigma2: Self, into out: UnsafeMutablePointer<Self>)
    /// The bumps' share of the backward pass, as `VectorMath.bumpsBackward`.
    static func bumpsBackward(_ m: UnsafePointer<Self>, rows: Int, dimensions k: Int, centres muT: UnsafePointer<Self>,
                              count h: Int, bumps: UnsafePointer<Self>, gradBumps: UnsafePointer<Self>,
                              twoSigma2: Self, gradCentres: UnsafeMutablePointer<Self>,
                              gradM: UnsafeMutablePointer<Self>)
}

extension NetworkScalar {
    @inline(__always)
    static func gemm(_ a: UnsafePointer<Self>, rows aRows: Int, columns aColumns: Int, transpose transposeA: Bool,
                     _ b: UnsafePointer<Self>, rows bRows: Int, columns bColumns: Int, transpose transposeB: Bool,
                     into c: UnsafeMutablePointer<Self>, beta: Self = 0) {
        gemm(a, rows: aRows, columns: aColumns, transpose: transposeA, b, rows: bRows, columns: bColumns,
             transpose: transposeB, into: c, alpha: 1, beta: beta)
    }
}

extension Double: NetworkScalar {
    @inline(__always)
    static func gemm(_ a: UnsafePointer<Double>, rows aRows: Int, columns aColumns: Int, transpose transposeA: Bool,
                     _ b: UnsafePointer<Double>, rows bRows: Int, columns bColumns: Int, transpose transposeB: Bool,
                     into c: UnsafeMutablePointer<Double>, alpha: Double, beta: Double) {
        Linear.gemm(a, rows: aRows, columns: aColumns, transpose: transposeA, b, rows: bRows, columns: bColumns,
                    transpose: transposeB, into: c, alpha: alpha, beta: beta)
    }

    @inline(__always) static func exp(_ x: UnsafeMutableBufferPointer<Double>) { VectorMath.exp(x) }
    @inline(__always) static func tanh(_ x: UnsafeMutableBufferPointer<Double>) { VectorMath.tanh(x) }

    @inline(__always)
    static func bumps(_ m: UnsafePointer<Double>, rows: Int, dimensions k: Int, centres muT: UnsafePointer<Double>,
                      count h: Int, twoSigma2: Double, into out: UnsafeMutablePointer<Double>) {
        VectorMath.bumps(m, rows: rows, dimensions: k, centres: muT, count: h, twoSigma2: twoSigma2, into: out)
    }

    @inline(__always)
    static func bumpsBackward(_ m: UnsafePointer<Double>, rows: Int, dimensions k: Int, centres muT: UnsafePointer<Double>,
                              count h: Int, bumps: UnsafePointer<Double>, gradBumps: UnsafePointer<Double>,
                              twoSigma2: Double, gradCentres: UnsafeMutablePointer<Double>, gradM: UnsafeMutablePointer<Double>) {
        VectorMath.bumpsBackward(m, rows: rows, dimensions: k, centres: muT, count: h, bumps: bumps,
                                 gradBumps: gradBumps, twoSigma2: twoSigma2, gradCentres: gradCentres, gradM: gradM)
    }
}

extension Float: NetworkScalar {
    @inline(__always)
    static func gemm(_ a: UnsafePointer<Float>, rows aRows: Int, columns aColumns: Int, transpose transposeA: Bool,
                     _ b: UnsafePointer<Float>, rows bRows: Int, columns bColumns: Int, transpose transposeB: Bool,
                     into c: UnsafeMutablePointer<Float>, alpha: Float, beta: Float) {
        Linear.gemm(a, rows: aRows, columns: aColumns, transpose: transposeA, b, rows: bRows, columns: bColumns,
                    transpose: transposeB, into: c, alpha: alpha, beta: beta)
    }

    @inline(__always) static func exp(_ x: UnsafeMutableBufferPointer<Float>) { VectorMath.exp(x) }
    @inline(__always) static func tanh(_ x: UnsafeMutableBufferPointer<Float>) { VectorMath.tanh(x) }

    @inline(__always)
    static func bumps(_ m: UnsafePointer<Float>, rows: Int, dimensions k: Int, centres muT: UnsafePointer<Float>,
                      count h: Int, twoSigma2: Float, into out: UnsafeMutablePointer<Float>) {
        VectorMath.bumps(m, rows: rows, dimensions: k, centres: muT, count: h, twoSigma2: twoSigma2, into: out)
    }

    @inline(__always)
    static func bumpsBackward(_ m: UnsafePointer<Float>, rows: Int, dimensions k: Int, centres muT: UnsafePointer<Float>,
                              count h: Int, bumps: UnsafePointer<Float>, gradBumps: UnsafePointer<Float>,
                              twoSigma2: Float, gradCentres: UnsafeMutablePointer<Float>, gradM: UnsafeMutablePointer<Float>) {
        VectorMath.bumpsBackward(m, rows: rows, dimensions: k, centres: muT, count: h, bumps: bumps,
                                 gradBumps: gradBumps, twoSigma2: twoSigma2, gradCentres: gradCentres, gradM: gradM)
    }
}
