/// The floating-point types a `BottleneckNetwork` computes in (`RunSpec.precision`): each
/// brings its GEMM (OpenBLAS DGEMM or SGEMM) and its vector `exp`/`tanh` (SLEEF, 1.0 ulp).
protocol NetworkScalar: BinaryFloatingPoint, SIMDScalar {
    /// `C ← alpha · op(A) · op(B) + beta · C`, as `Linear.gemm`.
    static func gemm(_ a: UnsafePointer<Self>, rows aRows: Int, columns aColumns: Int, transpose transposeA: Bool,
                     _ b: UnsafePointer<Self>, rows bRows: Int, columns bColumns: Int, transpose transposeB: Bool,
                     into c: UnsafeMutablePointer<Self>, alpha: Self, beta: Self)
    /// `x[i] ← exp(x[i])`.
    static func exp(_ x: UnsafeMutableBufferPointer<Self>)
    /// `x[i] ← tanh(x[i])`.
    static func tanh(_ x: UnsafeMutableBufferPointer<Self>)
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
}
