import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

@Suite("Distributions")
struct DistributionTests {
    static let laws: [Distribution] = [
        .uniform(0.08, 0.4), .logUniform(0.01, 1), .integer(3, 17, log: false),
        .integer(1, 1000, log: true), .choice([.int(32), .int(64), .int(128)]),
    ]

    /// The Kolmogorov–Smirnov statistic `D = sup |F_n(x) − F(x)|` of `values` against
    /// `law`, evaluated at every sample point from both sides (exact for discrete laws too).
    static func ksStatistic(_ values: [Double], _ law: Distribution) -> Double {
        let sorted = values.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count && sorted[j + 1] == sorted[i] { j += 1 }
            let f = law.cumulativeProbability(sorted[i])
            let before = law.cumulativeProbability(sorted[i].nextDown)
            d = max(d, abs(Double(j + 1) / n - f), abs(Double(i) / n - before))
            i = j + 1
        }
        return d
    }

    /// 20 000 draws per law at a fixed seed stay in the support and pass KS at α = 0.001
    /// (critical value 1.95/√n ≈ 0.0138); the same draws judged against a wrong law fail.
    @Test(arguments: laws) func drawsFollowTheirLaw(law: Distribution) {
        var random = RandomGenerator(seed: 11)
        let values = (0..<20_000).map { _ in law.value(at: random.nextDouble()) }
        let x = values.map(\.doubleValue!)
        switch law {
        case .uniform(let a, let b), .logUniform(let a, let b):
            #expect(x.allSatisfy { $0 >= a && $0 < b })
        case .integer(let a, let b, _):
            #expect(values.allSatisfy { if case .int(let k) = $0 { k >= a && k <= b } else { false } })
            #expect(Set(x).count == b - a + 1 || b - a > 100)
        case .choice(let options):
            #expect(Set(values) == Set(options))
        }
        let critical = 1.95 / Double(x.count).squareRoot()
        #expect(Self.ksStatistic(x, law) < critical)
        let wrong: Distribution = switch law {
        case .uniform(let a, let b): .logUniform(a, b)
        case .logUniform(let a, let b): .uniform(a, b)
        case .integer(let a, let b, let log): .integer(a, b, log: !log)
        case .choice: .choice([.int(32), .int(64), .int(64), .int(128)])
        }
        #expect(Self.ksStatistic(x, wrong) > critical)
    }

    /// Through the experiment file: 2 000 random configurations, each key with its law.
    @Test func aRandomSearchDrawsEachKeyFromItsLaw() throws {
        let spec = try ExperimentLoader.parse(text: """
            name: ks
            lr: {loguniform: [0.01, 1]}
            sigma: {uniform: [0.08, 0.4]}
            search: {method: random, samples: 2000, seed: 42}
            """, displayName: "x.yaml")
        let configurations = spec.configurations
        #expect(configurations.count == 2000)
        let critical = 1.95 / (2000.0).squareRoot()
        let lr = configurations.map { $0.values[0].value.doubleValue! }
        let sigma = configurations.map { $0.values[1].value.doubleValue! }
        #expect(Self.ksStatistic(lr, .logUniform(0.01, 1)) < critical)
        #expect(Self.ksStatistic(sigma, .uniform(0.08, 0.4)) < critical)
        #expect(Self.ksStatistic(lr, .uniform(0.01, 1)) > critical)
        // Sobol points are far more even than random ones: D is many times smaller.
        let sobol = try ExperimentLoader.parse(text: """
            name: ks
            lr: {loguniform: [0.01, 1]}
            search: {method: sobol, samples: 1024}
            """, displayName: "x.yaml").configurations.map { $0.values[0].value.doubleValue! }
        #expect(Self.ksStatistic(sobol, .logUniform(0.01, 1)) < 0.003)
    }

    @Test func theMappingHitsTheEndsOfTheSupport() {
        #expect(Distribution.uniform(1, 2).value(at: 0) == .double(1))
        #expect(Distribution.logUniform(0.01, 1).value(at: 0) == .double(0.01))
        #expect(Distribution.logUniform(0.01, 1).value(at: 1.0.nextDown).doubleValue! < 1)
        #expect(Distribution.integer(3, 5, log: false).value(at: 0.999_999) == .int(5))
        #expect(Distribution.integer(1, 8, log: true).value(at: 0) == .int(1))
        #expect(Distribution.integer(1, 8, log: true).value(at: 0.999_999) == .int(8))
        #expect(Distribution.choice([.int(1), .int(2)]).value(at: 0.5) == .int(2))
    }
}
