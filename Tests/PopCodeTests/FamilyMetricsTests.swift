import Foundation
import Testing
@testable import PopCode

/// Metrics for any K and any task, on hand-made inputs.
struct FamilyMetricsTests {
    @Test func effectiveDimensionIsTheParticipationRatio() {
        #expect(Metrics.effectiveDimension(singularValues: [2, 2, 2]) == (3, 3))
        #expect(Metrics.effectiveDimension(singularValues: [5, 0, 0]) == (1, 1))
        let (ratio, used) = Metrics.effectiveDimension(singularValues: [3, 1, 0.2999, 0.31])
        // λ = 9, 1, 0.0899…, 0.09: (Σλ)² / Σλ²
        let lambda = [9.0, 1, 0.2999 * 0.2999, 0.31 * 0.31]
        let sum = lambda.reduce(0, +)
        #expect(abs(ratio - sum * sum / lambda.map { $0 * $0 }.reduce(0, +)) < 1e-12)
        #expect(used == 3)   // 0.2999 is below 10 % of 3, 0.31 is not
        #expect(Metrics.effectiveDimension(singularValues: [0, 0]).used == 0)
        #expect(Metrics.effectiveDimension(singularValues: []).used == 0)
    }

    /// A 3-D cloud turned into 6 dimensions: the top three principal components span the
    /// cloud, so R² from m̂ equals R² from the cloud itself, linear and cubic.
    @Test func rSquaredForKAboveThreeUsesTheTopThreeComponents() {
        var rng = RandomGenerator(seed: 11)
        let n = 200
        let cloud = Matrix(rows: n, columns: 3, storage: rng.uniform(low: -1, high: 1, count: 3 * n))
        // A fixed 3 × 6 embedding of full rank, plus tiny noise in every direction.
        let embed = Matrix(rows: 3, columns: 6, storage: [1, 0.5, 0, 0.2, 0, 0.1,
                                                          0, 1, 0.3, 0, 0.4, 0,
                                                          0.2, 0, 1, 0, 0.1, 0.6])
        var m = Linear.multiply(cloud, embed)
        let jitter = rng.normal(mean: 0, standardDeviation: 1e-9, count: 6 * n)
        for i in m.storage.indices { m.storage[i] += jitter[i] + 0.5 }
        var targets = Matrix(rows: n, columns: 2)
        for i in 0..<n {
            targets[i, 0] = cloud[i, 0] * cloud[i, 1] + cloud[i, 2]
            targets[i, 1] = sin(3 * cloud[i, 0])
        }
        let names = ["a", "b"]
        for degree in [1, 3] {
            let ours = Metrics.recoveryR2(implicit: m, targets: targets, names: names, degree: degree)
            let direct = Metrics.recoveryR2(implicit: cloud, targets: targets, names: names, degree: degree)
            for j in 0..<2 { #expect(abs(ours.values[j] - direct.values[j]) < 1e-6, "degree \(degree) target \(j)") }
        }
        #expect(Metrics.recoveryR2(implicit: m, targets: targets, names: names, degree: 3).values[0] > 0.999)
        let pcs = Metrics.principalComponents(m, count: 3)
        #expect(pcs.rows == n && pcs.columns == 3)
        let singular = Metrics.centredSingularValues(m)
        #expect(singular.count == 6 && singular[3] < 1e-6 && singular[2] > 1)
        // The components' spreads are the top singular values.
        for i in 0..<3 {
            let norm = pcs.column(i).map { $0 * $0 }.reduce(0, +).squareRoot()
            #expect(abs(norm - singular[i]) < 1e-9 * singular[i])
        }
    }

    @Test func barsAreVerticalOrHorizontalProfilesAtTheirPosition() {
        let data = TaskData(task: .bars, count: 50, seed: 3)
        #expect(data.latents.columns == 2 && data.targets == data.latents)
        let classes = Set(data.latents.column(0))
        #expect(classes == [0, 1])
        for i in 0..<data.count {
            let vertical = data.latents[i, 0] == 1, p = data.latents[i, 1]
            #expect(p >= 1.5 && p <= 5.5)
            for r in 0..<8 {
                for c in 0..<8 {
                    let d = Double(vertical ? c : r) - p
                    #expect(abs(data.images[i, r * 8 + c] - Foundation.exp(-d * d / (2 * 0.55 * 0.55))) < 1e-15)
                }
            }
        }
    }

    @Test func dipolePositionIsTheDipoleWithThetaZero() {
        let data = TaskData(task: .dipolePosition, count: 20, seed: 8)
        #expect(data.latents.columns == 2 && data.targets == data.latents)
        for i in 0..<data.count {
            let (x, y) = (data.latents[i, 0], data.latents[i, 1])
            for r in 0..<8 {
                for c in 0..<8 {
                    let dr = Double(r) - y, cp = Double(c) - (x + 1), cn = Double(c) - (x - 1)
                    let s2 = 2 * 0.55 * 0.55
                    let value = Foundation.exp(-(dr * dr + cp * cp) / s2) - Foundation.exp(-(dr * dr + cn * cn) / s2)
                    #expect(abs(data.images[i, r * 8 + c] - value) < 1e-15)
                }
            }
        }
        // The dipole-3d task is DipoleData with its four targets.
        let dipoles = TaskData(task: .dipole3D, count: 5, seed: 1)
        #expect(dipoles.images == DipoleData(count: 5, seed: 1).images && dipoles.targets.columns == 4)
    }

    @Test func theTenByTenGridIsThePublishedOne() {
        let mu = Parameters.gridMu(hidden: 100, implicit: 2)!
        #expect(mu.rows == 100 && mu.columns == 2)
        #expect(mu.row(0) == [0.05, 0.05] && mu.row(1) == [0.05, 0.15] && mu.row(10) == [0.15, 0.05])
        #expect(mu.row(99) == [0.95, 0.95])
        let (nine, five) = (Parameters.linspace(0.05, 0.95, count: 9), Parameters.linspace(0.05, 0.95, count: 5))
        #expect(Parameters.gridMu(hidden: 225, implicit: 3)!.row(26) == [nine[1], five[0], five[1]])
        #expect(Parameters.gridMu(hidden: 100, implicit: 3) == nil)
        // The mdl model's encoder maps to the units.
        let shapes = Parameters.shapes(for: RunSpec(nHidden: 100, nImplicit: 2, model: .mdl))
        #expect(shapes[2] == (64, 100) && shapes[3] == (1, 100))
    }

    @Test func rSquaredScoresStoreTheirTargetsByName() throws {
        let scores = R2Scores(names: ["vertical", "position"], values: [0.9, 0.5])
        #expect(scores.mean == 0.7 && scores["position"] == 0.5 && scores["x"] == nil && scores.x.isNaN)
        let json = try JSONEncoder().encode(scores)
        #expect(try JSONDecoder().decode(R2Scores.self, from: json) == scores)
        // JSON objects have no order: the task's order is restored.
        let shuffled = #"{"mean": 0.25, "sin2theta": 0.4, "x": 0.1, "cos2theta": 0.3, "y": 0.2}"#
        let dipole = try JSONDecoder().decode(R2Scores.self, from: Data(shuffled.utf8))
        #expect(dipole.names == ["x", "y", "cos2theta", "sin2theta"] && dipole.values == [0.1, 0.2, 0.3, 0.4])
        #expect(dipole == R2Scores(x: 0.1, y: 0.2, cos2theta: 0.3, sin2theta: 0.4))
    }
}
