import Foundation
import Testing
@testable import PopCode

/// The metric functions on inputs whose answers are known by hand.
struct MetricsTests {
    @Test func meanSquaredErrorAveragesOverEveryEntry() {
        let a = Matrix(rows: 2, columns: 2, storage: [1, 2, 3, 4])
        let b = Matrix(rows: 2, columns: 2, storage: [1, 0, 3, 7])
        #expect(Metrics.meanSquaredError(a, b) == (0 + 4 + 0 + 9) / 4.0)
    }

    @Test func naiveErrorIsTheMeanPerPixelPopulationVariance() {
        // Pixel 0 takes 1 and 3 (variance 1), pixel 1 is constant (variance 0).
        let x = Matrix(rows: 2, columns: 2, storage: [1, 5, 3, 5])
        #expect(Metrics.naiveMeanSquaredError(x) == 0.5)
    }

    @Test func descriptionBitsOfAPerfectReconstructionIsTheConstantPlusTheCode() {
        let x = Matrix(rows: 3, columns: 64, repeating: 0.25)
        let bits = Metrics.descriptionBits(reconstruction: x, data: x, implicitDimensions: 3, sigma: 0.18)
        let expected = 0.5 * 64 * log2(2 * Double.pi * 0.15 * 0.15) + 3 * log2(1 / 0.18)
        #expect(abs(bits - expected) < 1e-12)
        // One unit of squared error per image costs 1 / (2 σ_r² ln 2) bits more.
        var off = x
        for i in 0..<3 { off[i, 5] += 1 }
        let more = Metrics.descriptionBits(reconstruction: off, data: x, implicitDimensions: 3, sigma: 0.18)
        #expect(abs((more - bits) - 1 / (2 * 0.0225 * log(2.0))) < 1e-9)
    }

    @Test func polynomialFeaturesListTheMonomialsInOrder() {
        let m = Matrix(rows: 1, columns: 3, storage: [2, 3, 5])
        #expect(Metrics.polynomialFeatures(m, degree: 1).storage == [1, 2, 3, 5])
        let cubic = Metrics.polynomialFeatures(m, degree: 3).storage
        #expect(cubic.count == 20)
        #expect(Array(cubic[4..<10]) == [4, 6, 10, 9, 15, 25])
        #expect(Array(cubic[10..<20]) == [8, 12, 20, 18, 30, 50, 27, 45, 75, 125])
    }

    @Test func targetsAreXYAndTheDoubledAngle() {
        let latents = Matrix(rows: 1, columns: 3, storage: [2.5, 4, Double.pi / 8])
        let t = Metrics.targets(latents: latents)
        #expect(t.storage[0] == 2.5 && t.storage[1] == 4)
        #expect(abs(t.storage[2] - 0.5.squareRoot()) < 1e-15 && abs(t.storage[3] - 0.5.squareRoot()) < 1e-15)
    }

    @Test func recoveryIsPerfectForTargetsLinearInTheCode() {
        // m̂ = (x/8, y/8, cos 2θ): x, y and cos 2θ are exact linear functions of m̂.
        let n = 50
        var m = Matrix(rows: n, columns: 3), latents = Matrix(rows: n, columns: 3)
        for i in 0..<n {
            let x = 1.5 + Double(i % 7) * 0.5, y = 1.5 + Double((i * 3) % 11) * 0.35
            let theta = Double(i) * 0.37
            latents[i, 0] = x
            latents[i, 1] = y
            latents[i, 2] = theta
            m[i, 0] = x / 8
            m[i, 1] = y / 8
            m[i, 2] = cos(2 * theta)
        }
        let linear = Metrics.recoveryR2(implicit: m, latents: latents, degree: 1)
        #expect(abs(linear.x - 1) < 1e-12 && abs(linear.y - 1) < 1e-12 && abs(linear.cos2theta - 1) < 1e-12)
        #expect(linear.sin2theta >= 0 && linear.sin2theta < 0.5)
        #expect(linear.mean == (linear.x + linear.y + linear.cos2theta + linear.sin2theta) / 4)
        // A cubic fit nests the linear one, so it explains at least as much.
        let cubic = Metrics.recoveryR2(implicit: m, latents: latents, degree: 3)
        #expect(cubic.sin2theta >= linear.sin2theta - 1e-12)
    }

    @Test func recoveryOfARandomCodeIsNearZero() {
        // m̂ unrelated to the latents: R² close to 0 (at most a few 1/n).
        let n = 400
        var m = Matrix(rows: n, columns: 3), latents = Matrix(rows: n, columns: 3)
        for i in 0..<n {
            latents[i, 0] = Double((i * 37) % 101)
            latents[i, 1] = Double((i * 53) % 97)
            latents[i, 2] = Double((i * 71) % 89) * 0.035
            for k in 0..<3 { m[i, k] = Double((i * (k + 13) * 7919) % 1009) / 1009 }
        }
        let r2 = Metrics.recoveryR2(implicit: m, latents: latents, degree: 1)
        #expect(r2.mean >= 0 && r2.mean < 0.05)
    }

    @Test func singularValuesAreTakenAfterCentring() {
        // Columns with means (10, −1) that vanish after centring: s = √8, √2.
        let m = Matrix(rows: 4, columns: 2, storage: [11, -1, 9, -1, 10, 1, 10, -3])
        let s = Metrics.centredSingularValues(m)
        #expect(abs(s[0] - 8.0.squareRoot()) < 1e-13 && abs(s[1] - 2.0.squareRoot()) < 1e-13)
    }
}
