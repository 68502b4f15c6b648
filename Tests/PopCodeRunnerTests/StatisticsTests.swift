import Testing
@testable import PopCodeRunner

/// The statistics against values computed with scipy.stats.
struct StatisticsTests {
    @Test func meanAndSampleStandardDeviation() {
        #expect(Statistics.mean([1, 2, 3, 6]) == 3)
        #expect(abs(Statistics.standardDeviation([1, 2, 3, 6]) - 14.0.squareRoot() / 3.0.squareRoot()) < 1e-15)
        #expect(Statistics.standardDeviation([4]).isNaN)
        #expect(Statistics.mean([]).isNaN)
    }

    @Test func welchTTestMatchesScipy() throws {
        // scipy.stats.ttest_ind(b, a, equal_var=False)
        let a = [0.0113, 0.0121, 0.0109], b = [0.0099, 0.0102, 0.0097, 0.0105]
        let test = try #require(Statistics.welchTTest(a, b))
        #expect(abs(test.t - -3.449397488877447) < 1e-12)
        #expect(abs(test.df - 2.984981373383005) < 1e-12)
        #expect(abs(test.p - 0.04127280489884164) < 1e-12)
        let second = try #require(Statistics.welchTTest([2, 4, 6, 8, 10], [1, 2, 3, 4]))
        #expect(abs(second.t - -2.2514363231593695) < 1e-12)
        #expect(abs(second.p - 0.06913359319239237) < 1e-12)
    }

    @Test func studentTailMatchesScipy() {
        // 2 * scipy.stats.t.sf(2.5, 3.7)
        #expect(abs(Statistics.studentTwoSidedP(t: 2.5, df: 3.7) - 0.07182202291182678) < 1e-12)
        #expect(Statistics.studentTwoSidedP(t: 0, df: 5) == 1)
    }

    @Test func welchNeedsTwoValuesPerSide() {
        #expect(Statistics.welchTTest([1], [2, 3]) == nil)
        #expect(Statistics.welchTTest([1, .nan], [2, 3]) == nil)
        let flat = Statistics.welchTTest([1, 1], [1, 1])
        #expect(flat?.p == 1)
    }
}
