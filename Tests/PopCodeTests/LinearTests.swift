import Testing
@testable import PopCode

/// The BLAS/LAPACK wrappers against naive loops and hand-computable cases.
struct LinearTests {
    /// A deterministic matrix with entries in [-1, 1).
    static func matrix(_ rows: Int, _ columns: Int, salt: Int) -> Matrix {
        var m = Matrix(rows: rows, columns: columns)
        for i in m.storage.indices {
            let v = (i * 7919 + salt * 104729) % 1000
            m.storage[i] = Double(v) / 500 - 1
        }
        return m
    }

    static func naiveProduct(_ a: Matrix, _ ta: Bool, _ b: Matrix, _ tb: Bool) -> Matrix {
        let m = ta ? a.columns : a.rows, k = ta ? a.rows : a.columns
        let n = tb ? b.rows : b.columns
        var c = Matrix(rows: m, columns: n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for l in 0..<k { s += (ta ? a[l, i] : a[i, l]) * (tb ? b[j, l] : b[l, j]) }
                c[i, j] = s
            }
        }
        return c
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func gemmMatchesNaiveLoops(transposeA: Bool, transposeB: Bool) {
        let (m, k, n) = (7, 5, 9)
        let a = transposeA ? Self.matrix(k, m, salt: 1) : Self.matrix(m, k, salt: 1)
        let b = transposeB ? Self.matrix(n, k, salt: 2) : Self.matrix(k, n, salt: 2)
        let fast = Linear.multiply(a, transposed: transposeA, b, transposed: transposeB)
        let slow = Self.naiveProduct(a, transposeA, b, transposeB)
        #expect(fast.rows == m && fast.columns == n)
        for i in fast.storage.indices { #expect(abs(fast.storage[i] - slow.storage[i]) < 1e-13) }
    }

    @Test func gemmAccumulatesWithAlphaAndBeta() {
        let a = Self.matrix(3, 4, salt: 3), b = Self.matrix(4, 2, salt: 4)
        var c = Self.matrix(3, 2, salt: 5)
        let before = c
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    Linear.gemm(pa.baseAddress!, rows: 3, columns: 4, transpose: false,
                                pb.baseAddress!, rows: 4, columns: 2, transpose: false,
                                into: pc.baseAddress!, alpha: -0.5, beta: 2)
                }
            }
        }
        let product = Self.naiveProduct(a, false, b, false)
        for i in c.storage.indices {
            #expect(abs(c.storage[i] - (2 * before.storage[i] - 0.5 * product.storage[i])) < 1e-13)
        }
    }

    @Test func leastSquaresRecoversAnExactFit() {
        // y = 2 − 3 a + 0.5 b exactly; the fit must find the coefficients.
        let a = Self.matrix(30, 2, salt: 6)
        var design = Matrix(rows: 30, columns: 3)
        var y = Matrix(rows: 30, columns: 2)
        for i in 0..<30 {
            design[i, 0] = 1
            design[i, 1] = a[i, 0]
            design[i, 2] = a[i, 1]
            y[i, 0] = 2 - 3 * a[i, 0] + 0.5 * a[i, 1]
            y[i, 1] = -a[i, 1]
        }
        let x = Linear.leastSquares(design, y)
        let expected: [[Double]] = [[2, 0], [-3, 0], [0.5, -1]]
        for i in 0..<3 { for j in 0..<2 { #expect(abs(x[i, j] - expected[i][j]) < 1e-12) } }
    }

    @Test func leastSquaresMatchesNormalEquationsWhenOverdetermined() {
        let a = Self.matrix(12, 3, salt: 7), b = Self.matrix(12, 1, salt: 8)
        let x = Linear.leastSquares(a, b)
        // The residual is orthogonal to the columns: Aᵀ(Ax − b) = 0.
        let residual = Linear.multiply(a, x)
        var r = Matrix(rows: 12, columns: 1)
        for i in 0..<12 { r[i, 0] = residual[i, 0] - b[i, 0] }
        let normal = Self.naiveProduct(a, true, r, false)
        for v in normal.storage { #expect(abs(v) < 1e-12) }
    }

    @Test func leastSquaresGivesTheMinimumNormSolutionWhenRankDeficient() {
        // Two identical columns: the minimum-norm solution splits the weight equally.
        var design = Matrix(rows: 4, columns: 2)
        var y = Matrix(rows: 4, columns: 1)
        for i in 0..<4 {
            design[i, 0] = Double(i + 1)
            design[i, 1] = Double(i + 1)
            y[i, 0] = 4 * Double(i + 1)
        }
        let x = Linear.leastSquares(design, y)
        #expect(abs(x[0, 0] - 2) < 1e-12 && abs(x[1, 0] - 2) < 1e-12)
    }

    @Test func singularValuesOfKnownMatrices() {
        // diag(3, −4, 0.5) padded with zero rows: singular values 4, 3, 0.5.
        var d = Matrix(rows: 5, columns: 3)
        d[0, 0] = 3
        d[1, 1] = -4
        d[2, 2] = 0.5
        let s = Linear.singularValues(d)
        #expect(s.count == 3)
        #expect(abs(s[0] - 4) < 1e-14 && abs(s[1] - 3) < 1e-14 && abs(s[2] - 0.5) < 1e-14)
        // A rank-one matrix u vᵀ has one singular value ‖u‖ ‖v‖.
        let u = [1.0, 2, 2], v = [3.0, 4]
        let rankOne = Matrix(rows: 3, columns: 2, storage: u.flatMap { ui in v.map { ui * $0 } })
        let t = Linear.singularValues(rankOne)
        #expect(abs(t[0] - 15) < 1e-13 && abs(t[1]) < 1e-13)
    }

    @Test func singularValuesOfANonFiniteMatrixAreNaN() {
        let m = Matrix(rows: 2, columns: 2, storage: [1, .nan, 0, 1])
        #expect(Linear.singularValues(m).allSatisfy { $0.isNaN })
    }
}
