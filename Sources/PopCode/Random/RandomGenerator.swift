#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// numpy's `np.random.default_rng(seed)` — a `Generator` over ``PCG64`` — reproducing
/// its streams bit for bit for the methods implemented here.
///
/// Every method consumes the underlying bit stream exactly as numpy's
/// `numpy/random/_generator.pyx` and `src/distributions/distributions.c` do, so a
/// sequence of calls here yields the same values as the same sequence of numpy calls on
/// `default_rng(seed)`. Array methods draw their elements in order, so
/// `normal(mean:standardDeviation:count:)` equals `count` scalar calls.
///
/// The generator is a value type: copying it forks the stream. It is `Codable` (the
/// complete ``PCG64`` state, including the 32-bit buffer), so a run can checkpoint and
/// resume bit-identically.
public struct RandomGenerator: Sendable, Hashable, Codable {
    /// The underlying bit generator, whose state fully determines all future draws.
    public private(set) var bitGenerator: PCG64

    /// Creates the generator `np.random.default_rng(seed)` returns.
    public init(seed: UInt64) {
        self.init(bitGenerator: PCG64(seed: seed))
    }

    /// Wraps an existing bit generator, like `np.random.Generator(bit_generator)`.
    public init(bitGenerator: PCG64) {
        self.bitGenerator = bitGenerator
    }

    // MARK: Raw draws

    /// Returns the next raw 64-bit output (numpy's `next_uint64`).
    public mutating func nextUInt64() -> UInt64 {
        bitGenerator.nextUInt64()
    }

    /// Returns the next 32-bit output through the bit generator's buffer (numpy's
    /// `next_uint32`): two 32-bit values per 64-bit draw, low half first.
    public mutating func nextUInt32() -> UInt32 {
        bitGenerator.nextUInt32()
    }

    /// Returns a uniform double in `[0, 1)` with 53 random bits:
    /// `(next_uint64 >> 11) * 2⁻⁵³` (numpy's `next_double`, `Generator.random()`).
    public mutating func nextDouble() -> Double {
        Double(nextUInt64() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Returns `count` values of ``nextDouble()``, like `Generator.random(count)`.
    public mutating func random(count: Int) -> [Double] {
        draw(count) { $0.nextDouble() }
    }

    // MARK: Uniform

    /// Returns `low + (high - low) * nextDouble()`, numpy's `Generator.uniform(low, high)`
    /// (`random_uniform`). The result lies in `[low, high)` up to rounding.
    public mutating func uniform(low: Double, high: Double) -> Double {
        let range = high - low
        precondition(range.isFinite, "uniform: high - low must be finite")
        return low + range * nextDouble()
    }

    /// Returns `count` draws of ``uniform(low:high:)``, like
    /// `Generator.uniform(low, high, count)`.
    public mutating func uniform(low: Double, high: Double, count: Int) -> [Double] {
        let range = high - low
        precondition(range.isFinite, "uniform: high - low must be finite")
        return draw(count) { low + range * $0.nextDouble() }
    }

    // MARK: Normal

    /// Returns a standard normal draw with numpy's 256-layer ziggurat
    /// (`random_standard_normal`, `Generator.standard_normal()`).
    ///
    /// One 64-bit draw `r` supplies the layer (`r & 0xff`), the sign (bit 8) and a
    /// 52-bit magnitude (bits 9–60). Draws inside the layer's rectangle return at once;
    /// the base layer falls back to Marsaglia's tail method (two `log1p` uniforms,
    /// sign from bit 8 of the magnitude), the others to a wedge test against
    /// `exp(-x²/2)`; rejected draws start over with a new 64-bit value.
    public mutating func standardNormal() -> Double {
        while true {
            var bits = nextUInt64()
            let layer = Int(bits & 0xff)
            bits >>= 8
            let isNegative = bits & 0x1 != 0
            let magnitude = (bits >> 1) & 0x000f_ffff_ffff_ffff
            var x = Double(magnitude) * Ziggurat.wi[layer]
            if isNegative {
                x = -x
            }
            if magnitude < Ziggurat.ki[layer] {
                return x
            }
            if layer == 0 {
                while true {
                    let xx = -Ziggurat.inverseTailStart * log1p(-nextDouble())
                    let yy = -log1p(-nextDouble())
                    if yy + yy > xx * xx {
                        return (magnitude >> 8) & 0x1 != 0
                            ? -(Ziggurat.tailStart + xx)
                            : Ziggurat.tailStart + xx
                    }
                }
            } else {
                let upper = Ziggurat.fi[layer - 1]
                let lower = Ziggurat.fi[layer]
                if (upper - lower) * nextDouble() + lower < exp(-0.5 * x * x) {
                    return x
                }
            }
        }
    }

    /// Returns `count` draws of ``standardNormal()``.
    public mutating func standardNormal(count: Int) -> [Double] {
        draw(count) { $0.standardNormal() }
    }

    /// Returns `mean + standardDeviation * standardNormal()`, numpy's
    /// `Generator.normal(loc, scale)` (`random_normal`).
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
        precondition(standardDeviation >= 0, "normal: standardDeviation must be >= 0")
        return mean + standardDeviation * standardNormal()
    }

    /// Returns `count` draws of ``normal(mean:standardDeviation:)``, like
    /// `Generator.normal(loc, scale, count)`.
    public mutating func normal(mean: Double, standardDeviation: Double, count: Int) -> [Double] {
        precondition(standardDeviation >= 0, "normal: standardDeviation must be >= 0")
        return draw(count) { mean + standardDeviation * $0.standardNormal() }
    }

    // MARK: Integers and permutations

    /// Returns a uniform integer in `0...max` by masked rejection sampling, numpy's
    /// `random_interval` (the bounded draw behind `Generator.shuffle`).
    ///
    /// The mask is the smallest `2ᵏ - 1 >= max`; candidates `draw & mask` above `max` are
    /// rejected. When `max` fits in 32 bits the candidates come from the *buffered*
    /// ``nextUInt32()``, otherwise from ``nextUInt64()``. `max == 0` draws nothing.
    public mutating func randomInterval(max: UInt64) -> UInt64 {
        if max == 0 {
            return 0
        }
        var mask = max
        mask |= mask >> 1
        mask |= mask >> 2
        mask |= mask >> 4
        mask |= mask >> 8
        mask |= mask >> 16
        mask |= mask >> 32
        if max <= 0xffff_ffff {
            while true {
                let value = UInt64(nextUInt32()) & mask
                if value <= max {
                    return value
                }
            }
        } else {
            while true {
                let value = nextUInt64() & mask
                if value <= max {
                    return value
                }
            }
        }
    }

    /// Shuffles `elements` in place as numpy's `Generator.shuffle` does for a 1-d array:
    /// Fisher–Yates from the end, swapping position `i` with `randomInterval(max: i)` for
    /// `i = count - 1, …, 1`.
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else {
            return
        }
        for index in stride(from: elements.count - 1, through: 1, by: -1) {
            let other = Int(randomInterval(max: UInt64(index)))
            elements.swapAt(index, other)
        }
    }

    /// Returns a random permutation of `0..<count`, numpy's `Generator.permutation(count)`
    /// (`arange(count)` passed through ``shuffle(_:)``).
    public mutating func permutation(_ count: Int) -> [Int] {
        precondition(count >= 0, "permutation: count must be non-negative")
        var elements = Array(0..<count)
        shuffle(&elements)
        return elements
    }

    // MARK: Helpers

    /// Collects `count` successive draws, in order.
    private mutating func draw(_ count: Int, _ next: (inout Self) -> Double) -> [Double] {
        precondition(count >= 0, "count must be non-negative")
        var values = [Double]()
        values.reserveCapacity(count)
        for _ in 0..<count {
            values.append(next(&self))
        }
        return values
    }
}
