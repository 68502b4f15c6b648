internal import CBLAS

/// Dense linear algebra through OpenBLAS (BLAS) and its LAPACK, on row-major `Matrix`es.
///
/// This is the only file that imports `CBLAS`. Shapes are checked with `precondition`
/// (a mismatch is a programmer error). All calls are single-threaded: parallelism in
/// popcode is across runs, never inside one.
/// Only `useSingleThread` and the `blas…` descriptions are public API; the products themselves are
/// `package`: for popcode's own targets (the core, its tests, the benchmarks), never callers.
public enum Linear {
    /// Makes OpenBLAS single-threaded for the whole process (idempotent). Every network
    /// calls it before its first product: parallelism is across runs, never inside one.
    public static func useSingleThread() {
        _ = singleThreaded
    }

    /// One thread, and the pthread build's idle workers stopped (see `pc_openblas_stop_workers`):
    /// without `OPENBLAS_NUM_THREADS=1` in the environment they spun for ≈ 90 ms of CPU at start,
    /// which was more than `popcode train --epochs 0` spends on everything else.
    private static let singleThreaded: Void = {
        openblas_set_num_threads(1)
        pc_openblas_stop_workers()
    }()

    /// `C ← alpha · op(A) · op(B) + beta · C`, where `op(X)` is `X` or `Xᵀ` (`transposeA`,
    /// `transposeB`), over raw row-major buffers: A is `rowsA × colsA` before transposition.
    ///
    /// The buffer form lets the trainer multiply slices of preallocated workspaces.
    package static func gemm(
        _ a: UnsafePointer<Double>, rows aRows: Int, columns aColumns: Int, transpose transposeA: Bool,
        _ b: UnsafePointer<Double>, rows bRows: Int, columns bColumns: Int, transpose transposeB: Bool,
        into c: UnsafeMutablePointer<Double>, alpha: Double = 1, beta: Double = 0
    ) {
        let m = transposeA ? aColumns : aRows
        let k = transposeA ? aRows : aColumns
        let kb = transposeB ? bColumns : bRows
        let n = transposeB ? bRows : bColumns
        precondition(k == kb, "gemm: inner dimensions differ (\(k) vs \(kb))")
        guard m > 0, n > 0 else { return }
        if k == 0 {
            for i in 0..<(m * n) { c[i] = beta == 0 ? 0 : beta * c[i] }
            return
        }
        cblas_dgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(max(aColumns, 1)),
                    b, blasint(max(bColumns, 1)),
                    beta, c, blasint(max(n, 1)))
    }

    /// The single-precision `C ← alpha · op(A) · op(B) + beta · C` (SGEMM), with the same
    /// layout and shape rules as the double-precision form.
    package static func gemm(
        _ a: UnsafePointer<Float>, rows aRows: Int, columns aColumns: Int, transpose transposeA: Bool,
        _ b: UnsafePointer<Float>, rows bRows: Int, columns bColumns: Int, transpose transposeB: Bool,
        into c: UnsafeMutablePointer<Float>, alpha: Float = 1, beta: Float = 0
    ) {
        let m = transposeA ? aColumns : aRows
        let k = transposeA ? aRows : aColumns
        let kb = transposeB ? bColumns : bRows
        let n = transposeB ? bRows : bColumns
        precondition(k == kb, "gemm: inner dimensions differ (\(k) vs \(kb))")
        guard m > 0, n > 0 else { return }
        if k == 0 {
            for i in 0..<(m * n) { c[i] = beta == 0 ? 0 : beta * c[i] }
            return
        }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(max(aColumns, 1)),
                    b, blasint(max(bColumns, 1)),
                    beta, c, blasint(max(n, 1)))
    }

    /// `op(A) · op(B)` as a new matrix.
    package static func multiply(_ a: Matrix, transposed transposeA: Bool = false,
                                _ b: Matrix, transposed transposeB: Bool = false) -> Matrix {
        let m = transposeA ? a.columns : a.rows
        let n = transposeB ? b.rows : b.columns
        var c = Matrix(rows: m, columns: n)
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    gemm(pa.baseAddress!, rows: a.rows, columns: a.columns, transpose: transposeA,
                         pb.baseAddress!, rows: b.rows, columns: b.columns, transpose: transposeB,
                         into: pc.baseAddress!)
                }
            }
        }
        return c
    }

    /// The least-squares solution `X = argmin ‖A·X − B‖_F` (minimum norm when A is rank
    /// deficient), by LAPACK's SVD-based `dgelsd` with numpy's default cutoff
    /// `rcond = ε · max(m, n)`: singular values below `rcond · s_max` count as zero.
    /// A is `m × n`, B is `m × k`; the result is `n × k`.
    package static func leastSquares(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.rows == b.rows, "leastSquares: A has \(a.rows) rows, B has \(b.rows)")
        let m = a.rows, n = a.columns, nrhs = b.columns
        guard m > 0, n > 0, nrhs > 0 else { return Matrix(rows: n, columns: nrhs) }
        // LAPACK is column-major: A's transpose in row-major is A in column-major.
        var colA = transposedStorage(a)
        let ldb = max(m, n)
        var colB = [Double](repeating: 0, count: ldb * nrhs)
        for j in 0..<nrhs {
            for i in 0..<m { colB[j * ldb + i] = b[i, j] }
        }
        var singular = [Double](repeating: 0, count: min(m, n))
        var rcond = Double.ulpOfOne * Double(max(m, n))
        var rank: Int32 = 0, info: Int32 = 0
        var mm = Int32(m), nn = Int32(n), kk = Int32(nrhs), lda = Int32(m), ldbb = Int32(ldb)
        // Workspace query, then the solve.
        var lwork: Int32 = -1
        var workSize = 0.0
        var iworkSize: Int32 = 0
        dgelsd_(&mm, &nn, &kk, &colA, &lda, &colB, &ldbb, &singular, &rcond, &rank,
                &workSize, &lwork, &iworkSize, &info)
        precondition(info == 0, "dgelsd workspace query failed (info \(info))")
        lwork = Int32(workSize)
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: max(Int(iworkSize), 1))
        dgelsd_(&mm, &nn, &kk, &colA, &lda, &colB, &ldbb, &singular, &rcond, &rank,
                &work, &lwork, &iwork, &info)
        var x = Matrix(rows: n, columns: nrhs)
        guard info == 0 else {
            // The SVD did not converge: no solution, which the caller sees as NaN.
            return Matrix(rows: n, columns: nrhs, repeating: .nan)
        }
        for j in 0..<nrhs {
            for i in 0..<n { x[i, j] = colB[j * ldb + i] }
        }
        return x
    }

    /// The singular values of A in decreasing order, by LAPACK's `dgesdd` (no vectors),
    /// as numpy's `svd(A, compute_uv=False)`. NaN values when A holds a non-finite entry
    /// or the SVD does not converge.
    package static func singularValues(_ a: Matrix) -> [Double] {
        let count = min(a.rows, a.columns)
        guard count > 0 else { return [] }
        return svd(a, vectors: false)?.singular ?? Array(repeating: .nan, count: count)
    }

    /// The right singular vectors of A as the rows of `Vᵀ` (`min(m, n) × n`), in order of
    /// decreasing singular value, by LAPACK's `dgesdd` (thin SVD), as numpy's
    /// `svd(A, full_matrices=False)[2]`; each row's sign is LAPACK's. NaN when A holds a
    /// non-finite entry or the SVD does not converge.
    package static func rightSingularVectors(_ a: Matrix) -> Matrix {
        let count = min(a.rows, a.columns)
        guard count > 0 else { return Matrix(rows: 0, columns: a.columns) }
        return svd(a, vectors: true)?.vt ?? Matrix(rows: count, columns: a.columns, repeating: .nan)
    }

    /// `dgesdd` with JOBZ = 'N' (`vectors` false: singular values only) or 'S' (thin U and
    /// Vᵀ); nil for a non-finite A or no convergence.
    private static func svd(_ a: Matrix, vectors: Bool) -> (singular: [Double], vt: Matrix)? {
        let m = a.rows, n = a.columns
        let count = min(m, n)
        guard a.storage.allSatisfy(\.isFinite) else { return nil }
        var colA = transposedStorage(a)
        var singular = [Double](repeating: 0, count: count)
        var jobz = Int8(UInt8(ascii: vectors ? "S" : "N"))
        var mm = Int32(m), nn = Int32(n), lda = Int32(m)
        var ldu = Int32(vectors ? m : 1), ldvt = Int32(vectors ? count : 1)
        var u = [Double](repeating: 0, count: vectors ? m * count : 1)
        var vt = [Double](repeating: 0, count: vectors ? count * n : 1)
        var iwork = [Int32](repeating: 0, count: 8 * count)
        var info: Int32 = 0
        var lwork: Int32 = -1
        var workSize = 0.0
        dgesdd_(&jobz, &mm, &nn, &colA, &lda, &singular, &u, &ldu, &vt, &ldvt,
                &workSize, &lwork, &iwork, &info)
        precondition(info == 0, "dgesdd workspace query failed (info \(info))")
        lwork = Int32(workSize)
        var work = [Double](repeating: 0, count: Int(lwork))
        dgesdd_(&jobz, &mm, &nn, &colA, &lda, &singular, &u, &ldu, &vt, &ldvt,
                &work, &lwork, &iwork, &info)
        guard info == 0 else { return nil }
        // VT is column-major count × n: element (i, k) at vt[k * count + i].
        var rows = Matrix(rows: vectors ? count : 0, columns: n)
        if vectors {
            for i in 0..<count {
                for k in 0..<n { rows[i, k] = vt[k * count + i] }
            }
        }
        return (singular, rows)
    }

    /// A's entries in column-major order.
    private static func transposedStorage(_ a: Matrix) -> [Double] {
        var out = [Double](repeating: 0, count: a.rows * a.columns)
        for i in 0..<a.rows {
            for j in 0..<a.columns { out[j * a.rows + i] = a[i, j] }
        }
        return out
    }
}

extension Linear {
    /// OpenBLAS's build description and the kernel it chose, e.g.
    /// `OpenBLAS 0.3.21 DYNAMIC_ARCH … (core Haswell)`.
    public static var blasDescription: String {
        "\(blasConfiguration) (core \(blasCore ?? "unknown"))"
    }

    /// OpenBLAS's build description (`openblas_get_config()`), e.g.
    /// `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64`.
    public static var blasConfiguration: String {
        openblas_get_config().map { String(cString: $0) } ?? "OpenBLAS"
    }

    /// The kernel OpenBLAS chose for this CPU (`openblas_get_corename()`), e.g. `Haswell` or
    /// `SkylakeX`: with a `DYNAMIC_ARCH` build it decides which GEMM code computes the
    /// products, so it is part of a result's provenance. Nil when OpenBLAS gives none.
    public static var blasCore: String? {
        openblas_get_corename().map { String(cString: $0) }
    }
}
