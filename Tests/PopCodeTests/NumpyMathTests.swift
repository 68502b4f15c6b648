import Foundation
import Testing
import PopCode

/// `NumpyMath.exp` against fixtures produced by numpy 2.4.6 on an AVX-512 machine
/// (`Fixtures/npexp/make_fixtures.py`). Every comparison is on the IEEE-754 bit pattern.
@Suite("NumpyMath.exp is bit-exact with np.exp")
struct NumpyMathTests {

    // MARK: fixtures

    struct PairFixture: Decodable {
        let description: String
        let args: [String]
        let results: [String]
    }

    struct SplitMixFixture: Decodable {
        let seed: String
        let count: Int
        let ranges: [[Double]]
        let args_fnv1a64: String
        let results_fnv1a64: String
        let sample_indices: [Int]
        let sample_results: [String]
        let glibc_differences: Int
    }

    struct RealUseFixture: Decodable {
        struct Set: Decodable {
            let seed: Int
            let count: Int
            let glibc_differences: Int
            let indices: [Int]
            let args: [String]
            let results: [String]
        }
        let sets: [Set]
    }

    static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/npexp"),
            "missing fixture Fixtures/npexp/\(name).json")
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    static func bits(_ hex: String) throws -> UInt64 {
        try #require(UInt64(hex, radix: 16), "bad hex \(hex)")
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Checks each (argument, expected result) pair; reports at most 10 mismatches in full.
    static func expectPairs(_ args: [String], _ results: [String], _ label: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(args.count == results.count, sourceLocation: sourceLocation)
        var mismatches = 0
        for (a, r) in zip(args, results) {
            let x = Double(bitPattern: try bits(a))
            let expected = try bits(r)
            let got = NumpyMath.exp(x).bitPattern
            if got != expected {
                mismatches += 1
                if mismatches <= 10 {
                    Issue.record("\(label): exp(\(x)) [0x\(a)] = 0x\(hex(got)), numpy 0x\(r)",
                                 sourceLocation: sourceLocation)
                }
            }
        }
        #expect(mismatches == 0, "\(label): \(mismatches) of \(args.count) differ",
                sourceLocation: sourceLocation)
    }

    /// FNV-1a 64 over the little-endian bytes of each value's bit pattern.
    static func fnv1a64(_ values: [Double]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for v in values {
            var b = v.bitPattern
            for _ in 0..<8 {
                h ^= b & 0xFF
                h = h &* 0x0000_0100_0000_01B3
                b >>= 8
            }
        }
        return h
    }

    /// The arguments of `splitmix.json`, generated exactly as `splitmix_args` in the script.
    static func splitMixArguments(_ f: SplitMixFixture) throws -> [Double] {
        var state = try bits(f.seed)
        var out = [Double]()
        out.reserveCapacity(f.count)
        for i in 0..<f.count {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let u = Double(z >> 11) * 0x1p-53
            let range = f.ranges[i % f.ranges.count]
            let (low, high) = (range[0], range[1])
            out.append(low + (high - low) * u)
        }
        return out
    }

    // MARK: tests

    @Test func edgeCases() throws {
        let f: PairFixture = try Self.load("edge_cases")
        #expect(f.args.count > 500)
        try Self.expectPairs(f.args, f.results, "edge case")
    }

    @Test func specialValues() {
        #expect(NumpyMath.exp(0).bitPattern == 1.0.bitPattern)
        #expect(NumpyMath.exp(-0.0).bitPattern == 1.0.bitPattern)
        #expect(NumpyMath.exp(.infinity) == .infinity)
        #expect(NumpyMath.exp(-.infinity).bitPattern == 0.0.bitPattern)
        #expect(NumpyMath.exp(710).bitPattern == Double.infinity.bitPattern)
        #expect(NumpyMath.exp(-746).bitPattern == 0.0.bitPattern)
        #expect(NumpyMath.exp(-740).isSubnormal)
        #expect(NumpyMath.exp(.nan).isNaN)
        // A signalling NaN comes back quiet with its payload.
        let snan = Double(bitPattern: 0xFFF4_0000_0000_0001)
        #expect(NumpyMath.exp(snan).bitPattern == 0xFFFC_0000_0000_0001)
    }

    @Test func randomArguments() throws {
        let f: PairFixture = try Self.load("random")
        #expect(f.args.count == 12_000)
        try Self.expectPairs(f.args, f.results, "random")
    }

    @Test func splitMixArgumentsHash() throws {
        let f: SplitMixFixture = try Self.load("splitmix")
        let args = try Self.splitMixArguments(f)
        // The generator itself must agree with the script, or the result hash means nothing.
        #expect(Self.hex(Self.fnv1a64(args)) == f.args_fnv1a64)

        let results = NumpyMath.exp(args)
        for (i, r) in zip(f.sample_indices, f.sample_results) {
            let expected = try Self.bits(r)
            if results[i].bitPattern != expected {
                Issue.record("splitmix[\(i)]: exp(\(args[i])) = 0x\(Self.hex(results[i].bitPattern)), numpy 0x\(r)")
            }
        }
        #expect(Self.hex(Self.fnv1a64(results)) == f.results_fnv1a64,
                "FNV-1a of all \(f.count) results differs from numpy's")
    }

    @Test(arguments: [0, 1, 1000, 1001])
    func realUseSample(seed: Int) throws {
        let f: RealUseFixture = try Self.load("real_use")
        let set = try #require(f.sets.first { $0.seed == seed })
        #expect(set.args.count == 1000)
        try Self.expectPairs(set.args, set.results, "dipole seed \(seed)")
    }

    /// Why the reimplementation exists: glibc's correctly-rounded-ish `exp` disagrees with
    /// numpy's SVML kernel on a few percent of arguments.
    @Test func differsFromLibm() throws {
        let f: SplitMixFixture = try Self.load("splitmix")
        let args = try Self.splitMixArguments(f)
        let differing = args.indices.filter {
            NumpyMath.exp(args[$0]).bitPattern != Foundation.exp(args[$0]).bitPattern
        }.count
        print("NumpyMath.exp vs libm exp: \(differing) of \(args.count) differ (numpy vs math.exp: \(f.glibc_differences))")
        #expect(differing > 0)
    }

    @Test func arrayAndInPlaceHelpersMatchScalar() throws {
        let f: PairFixture = try Self.load("random")
        let xs = try f.args.map { Double(bitPattern: try Self.bits($0)) }
        let scalar = xs.map { NumpyMath.exp($0).bitPattern }
        #expect(NumpyMath.exp(xs).map(\.bitPattern) == scalar)
        var buffer = xs
        buffer.withUnsafeMutableBufferPointer { NumpyMath.expInPlace($0) }
        #expect(buffer.map(\.bitPattern) == scalar)
    }
}
