import Testing
@testable import PopCode

/// The fast paths keep results exact: blocked forward passes, the vectorised bumps, SGEMM,
/// the FLOP count.
struct SpeedPathTests {
    /// Rows do not depend on which block of a long pass they fall in: a pass over 4 blocks
    /// and 45 rows equals, bit for bit, separate passes over rows 0..<64, 64..<192 and
    /// 192..<n. (OpenBLAS rounds a row alike wherever it sits in a product, as long as the
    /// product's row count keeps the row in a full tile of its kernel: block boundaries are
    /// multiples of 64, and a pass's last rows stay its last rows.)
    @Test func blockedForwardEqualsSeparatePasses() {
        let n = 4 * Network.forwardBlock + 45
        let data = DipoleData(count: n, seed: 2)
        let spec = RunSpec(seed: 2, nTrain: n)
        let p = Parameters(spec: spec)
        let (all, allImplicit) = Autoencoder.forward(p, sigma: spec.sigma, data.images)
        var pieces: [Double] = [], implicitPieces: [Double] = []
        for range in [0..<64, 64..<192, 192..<n] {
            let (part, partImplicit) = Autoencoder.forward(p, sigma: spec.sigma, data.images.rows(range))
            pieces += part.storage
            implicitPieces += partImplicit.storage
        }
        #expect(pieces.map(\.bitPattern) == all.storage.map(\.bitPattern))
        #expect(implicitPieces.map(\.bitPattern) == allImplicit.storage.map(\.bitPattern))
    }

    /// The bumps' backward pass (CVectorMath, 8 or 16 lanes on AVX-512) equals, bit for bit,
    /// the loop it replaced written out plainly: g = −g_b·b/2σ², d = 2(μ − m̂)·g accumulated into
    /// μ's gradient row after row, and m̂'s gradient from the sum of d in four lanes
    /// ((l₀ + l₁) + (l₂ + l₃), then the last h mod 4 terms). Widths that leave every kind of
    /// remainder (a partial vector, a group of four, single terms), and 1 to 6 dimensions
    /// (groups of four and the rest).
    @Test(arguments: [1, 2, 3, 5, 6])
    func bumpsBackwardEqualsFourLaneLoop(dimensions k: Int) {
        func check<S: NetworkScalar>(_: S.Type, count h: Int) {
            let rows = 3
            let m = (0..<(rows * k)).map { S(Double(($0 * 7919) % 1000) / 1000) }
            let muT = (0..<(k * h)).map { S(Double(($0 * 104_729) % 997) / 997) }
            let bump = (0..<(rows * h)).map { S(Double(($0 * 31) % 89) / 89) }
            let gradBump = (0..<(rows * h)).map { S(Double(($0 * 53) % 101) / 101 - 0.5) }
            let twoSigma2 = S(2) * (S(0.18) * S(0.18))
            var expectedMu = [S](repeating: 0, count: k * h), expectedM = [S](repeating: 0, count: rows * k)
            for r in 0..<rows {
                let g = (0..<h).map { -gradBump[r * h + $0] * bump[r * h + $0] / twoSigma2 }
                for j in 0..<k {
                    var lanes = [S](repeating: 0, count: 4)
                    let whole = h & ~3
                    var tail: [S] = []
                    for i in 0..<h {
                        let d = 2 * (muT[j * h + i] - m[r * k + j]) * g[i]
                        expectedMu[j * h + i] += d
                        if i < whole { lanes[i % 4] += d } else { tail.append(d) }
                    }
                    var sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
                    for d in tail { sum += d }
                    expectedM[r * k + j] = -sum * m[r * k + j] * (1 - m[r * k + j])
                }
            }
            var gradMu = [S](repeating: 0, count: k * h), gradM = [S](repeating: .nan, count: rows * k)
            S.bumpsBackward(m, rows: rows, dimensions: k, centres: muT, count: h, bumps: bump, gradBumps: gradBump,
                            twoSigma2: twoSigma2, gradCentres: &gradMu, gradM: &gradM)
            #expect(gradMu == expectedMu, "\(S.self), h = \(h): μ's gradient")
            #expect(gradM == expectedM, "\(S.self), h = \(h): m̂'s gradient")
        }
        for h in [1, 3, 4, 7, 13, 30, 37, 225] {
            check(Double.self, count: h)
            check(Float.self, count: h)
        }
    }

    /// The vectorised bumps equal, bit for bit, the distances computed one by one in numpy's
    /// order (d₀² + d₁² + …, then ÷ 2σ²) followed by `exp` over the buffer, for every lane
    /// position: 37 centres leave a partial vector on each row.
    @Test(arguments: [1, 3, 10])
    func bumpsEqualDistancesThenExp(dimensions k: Int) {
        let (rows, h) = (5, 37)
        let m = (0..<(rows * k)).map { Double(($0 * 7919) % 1000) / 1000 }
        let muT = (0..<(k * h)).map { Double(($0 * 104_729) % 997) / 997 }
        let twoSigma2 = 2 * (0.18 * 0.18)
        var expected = [Double](repeating: 0, count: rows * h)
        for r in 0..<rows {
            for i in 0..<h {
                var sum = 0.0
                for j in 0..<k {
                    let d = muT[j * h + i] - m[r * k + j]
                    sum = j == 0 ? d * d : sum + d * d
                }
                expected[r * h + i] = -sum / twoSigma2
            }
        }
        expected.withUnsafeMutableBufferPointer { VectorMath.exp($0) }
        var out = [Double](repeating: .nan, count: rows * h)
        VectorMath.bumps(m, rows: rows, dimensions: k, centres: muT, count: h, twoSigma2: twoSigma2, into: &out)
        #expect(out.map(\.bitPattern) == expected.map(\.bitPattern))

        let (mf, muTf) = (m.map(Float.init), muT.map(Float.init))
        let twoSigma2f = Float(2) * (Float(0.18) * Float(0.18))
        var expectedf = [Float](repeating: 0, count: rows * h)
        for r in 0..<rows {
            for i in 0..<h {
                var sum: Float = 0
                for j in 0..<k {
                    let d = muTf[j * h + i] - mf[r * k + j]
                    sum = j == 0 ? d * d : sum + d * d
                }
                expectedf[r * h + i] = -sum / twoSigma2f
            }
        }
        expectedf.withUnsafeMutableBufferPointer { VectorMath.exp($0) }
        var outf = [Float](repeating: .nan, count: rows * h)
        VectorMath.bumps(mf, rows: rows, dimensions: k, centres: muTf, count: h, twoSigma2: twoSigma2f, into: &outf)
        #expect(outf.map(\.bitPattern) == expectedf.map(\.bitPattern))
    }

    /// The training step with the SGD update fused into the weight products equals the
    /// gradients followed by `step`, to the rounding of one update (OpenBLAS's Haswell DGEMM
    /// even rounds it identically), in both precisions, for a batch that is not a power of two.
    @Test func fusedStepEqualsGradientsThenStep() {
        let spec = RunSpec(seed: 3, nTrain: 48, nHidden: 30, nImplicit: 2, nEncHidden: 16)
        let data = DipoleData(count: 48, seed: 3)
        func compare<S: NetworkScalar>(_: S.Type, tolerance: Double) {
            let separate = BottleneckNetwork<S>(parameters: Parameters(spec: spec), sigma: spec.sigma, capacity: 48)
            let fused = BottleneckNetwork<S>(parameters: Parameters(spec: spec), sigma: spec.sigma, capacity: 48)
            data.images.storage.withUnsafeBufferPointer { x in
                for rows in [48, 37] {
                    let loss = separate.lossAndGradients(x.baseAddress!, rows: rows)
                    separate.step(learningRate: 0.3)
                    let fusedLoss = fused.trainingStep(x.baseAddress!, rows: rows, learningRate: 0.3)
                    #expect(abs(fusedLoss - loss) <= tolerance * loss, "\(fusedLoss) vs \(loss)")
                }
            }
            for (a, b) in zip(separate.currentParameters.all, fused.currentParameters.all) {
                let scale = a.storage.map(abs).max()!
                let worst = zip(a.storage, b.storage).map { abs($0 - $1) }.max()!
                #expect(worst <= tolerance * scale, "\(worst) vs scale \(scale)")
            }
        }
        compare(Double.self, tolerance: 1e-15)
        compare(Float.self, tolerance: 1e-6)
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func sgemmMatchesNaiveLoops(transposeA: Bool, transposeB: Bool) {
        let (m, k, n) = (6, 11, 5)
        let a = transposeA ? LinearTests.matrix(k, m, salt: 7) : LinearTests.matrix(m, k, salt: 7)
        let b = transposeB ? LinearTests.matrix(n, k, salt: 8) : LinearTests.matrix(k, n, salt: 8)
        let expected = LinearTests.naiveProduct(a, transposeA, b, transposeB)
        let fa = a.storage.map(Float.init), fb = b.storage.map(Float.init)
        var c = [Float](repeating: 1, count: m * n)
        Linear.gemm(fa, rows: a.rows, columns: a.columns, transpose: transposeA,
                    fb, rows: b.rows, columns: b.columns, transpose: transposeB, into: &c, beta: 0.5)
        for i in c.indices {
            #expect(abs(Double(c[i]) - (expected.storage[i] + 0.5)) < 1e-5, "entry \(i)")
        }
    }

    /// 56.7 GFLOP for the reference run (the issue's ≈ 56), counted by hand per product.
    @Test func referenceRunFLOPs() {
        let reference = RunSpec()
        // Per row: forward 2(64·64 + 64·3 + 225·64) = 37,376; backward 2(64·225 + 3·64)
        // + 2(225·64 + 64·3 + 64·64) = 66,560.
        let training = 200.0 * 2000 * (37_376 + 66_560)
        let history = 200.0 * 2000 * 37_376
        let test = Double(Trainer.snapshotEpochs(200).count + 1) * 500 * 37_376
        #expect(reference.matrixProductFLOPs == training + history + test)
        var sparse = reference
        sparse.historyEvery = 30  // epochs 30, 60, …, 180 and the last: 7 passes
        #expect(reference.matrixProductFLOPs - sparse.matrixProductFLOPs == (200 - 7) * 2000 * 37_376)
    }
}
