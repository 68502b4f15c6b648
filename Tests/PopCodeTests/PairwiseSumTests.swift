import Testing
@testable import PopCode

/// `NumpyMath.pairwiseSum` against sums numpy 2.4.6 printed (`float(v.sum()).hex()`), chosen
/// where numpy's pairwise order and a running sum round differently.
struct PairwiseSumTests {
    /// `Σ 1/(i+1)` for i < 1000: numpy gives 0x1.df11f45f4e61ap+2, a running sum ...618p+2.
    @Test func harmonicSumEqualsNumpy() {
        let values = (0..<1000).map { 1.0 / Double($0 + 1) }
        let sum = values.withUnsafeBufferPointer { NumpyMath.pairwiseSum($0.baseAddress!, count: $0.count) }
        #expect(sum == 0x1.df11f45f4e61ap+2)
        var running = 0.0
        for v in values { running += v }
        #expect(running != sum, "the fixture must tell the two orders apart")
    }

    /// `((a - b) ** 2).sum()` for a = 0.1 i, b = 0.07 i² mod 1.3, i < 300: 0x1.47ffe5a1cab9dp+16
    /// (a running sum gives ...b9ep+16).
    @Test func squaredDifferencesEqualNumpy() {
        let a = (0..<300).map { 0.1 * Double($0) }
        let b = (0..<300).map { (0.07 * Double($0) * Double($0)).truncatingRemainder(dividingBy: 1.3) }
        var running = 0.0
        for (x, y) in zip(a, b) { running += (x - y) * (x - y) }
        #expect(running == 0x1.47ffe5a1cab9ep+16, "a running sum rounds differently")
        let sum = NumpyMath.pairwiseSumOfSquaredDifferences(a, b, count: 300)
        #expect(sum == 0x1.47ffe5a1cab9dp+16)
    }

    /// Short runs (fewer than 8 values) add in turn from zero; runs of 8 to 128 use the eight
    /// partial sums; both agree with the plain definition on exactly representable values.
    @Test(arguments: [0, 1, 7, 8, 9, 64, 127, 128, 129, 1000])
    func exactValuesSumExactly(count: Int) {
        let values = (0..<count).map { Double($0 % 17) }
        let expected = Double(values.map { Int($0) }.reduce(0, +))
        #expect(values.withUnsafeBufferPointer { NumpyMath.pairwiseSum($0.baseAddress!, count: count) } == expected)
        let floats = values.map(Float.init)
        #expect(floats.withUnsafeBufferPointer { NumpyMath.pairwiseSum($0.baseAddress!, count: count) } == Float(expected))
    }
}
