import Foundation
import PopCode
import Testing

// Bit-for-bit comparisons of SeedSequence / PCG64 / RandomGenerator against numpy
// 2.4.6 streams. The fixtures in Fixtures/rng were written once by make_fixtures.py
// (see its docstring for the exact numpy calls and the hex encoding).

// MARK: - Fixture model

/// numpy's `bit_generator.state` for PCG64, hex-encoded.
private struct NumpyPCGState: Decodable {
    let state: String
    let inc: String
    let has_uint32: Int
    let uinteger: UInt32
}

private struct SeedSequenceFixture: Decodable {
    struct Case: Decodable {
        let seed: UInt64
        let pool: [UInt32]
        let state32: [UInt32]
        let state64: [String]
        let pcg64: NumpyPCGState
    }
    let cases: [Case]
}

private struct RawFixture: Decodable {
    struct Case: Decodable {
        let seed: UInt64
        let raw: [String]
    }
    let cases: [Case]
}

private struct MixedStreamFixture: Decodable {
    struct Case: Decodable {
        let seed: UInt64
        let uniform_1_5_5_5_300: [String]
        let normal_0_0_01_500: [String]
        let normal_0_0_17_2000: [String]
        let permutation_2000: [Int]
        let random_10: [String]
        let permutation_5: [Int]
        let normal_0_1_3: [String]
        let final_state: NumpyPCGState
    }
    let cases: [Case]
}

private struct LongPermutationFixture: Decodable {
    let seed: UInt64
    let count: Int
    let fnv1a64: String
    let head: [Int]
    let tail: [Int]
    let final_state: NumpyPCGState
}

private struct NormalBulkFixture: Decodable {
    struct TailValue: Decodable {
        let index: Int
        let value: String
    }
    let seed: UInt64
    let count: Int
    let fnv1a64: String
    let head: [String]
    let tail_values: [TailValue]
    let final_state: NumpyPCGState
}

private struct IntervalFixture: Decodable {
    let seed: UInt64
    let maxes: [String]
    let values: [String]
    let final_state: NumpyPCGState
}

private struct ZigguratProbeFixture: Decodable {
    struct Case: Decodable {
        let kind: String
        let layer: Int
        let state: String
        let inc: String
        let value: String
        let final: String
    }
    let cases: [Case]
}

// MARK: - Helpers

private let seeds: [UInt64] = [0, 1, 7, 1000, 1001, 4_294_967_301, 123_456_789_012]

private enum FixtureError: Error {
    case missing(String)
    case noCase(UInt64)
}

private func loadFixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json",
                                      subdirectory: "Fixtures/rng") else {
        throw FixtureError.missing(name)
    }
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}

private func fixtureCase<C>(_ cases: [C], seed: UInt64, _ key: (C) -> UInt64) throws -> C {
    guard let found = cases.first(where: { key($0) == seed }) else {
        throw FixtureError.noCase(seed)
    }
    return found
}

/// Parses a 16-digit hex string (a UInt64 or a double's bit pattern).
private func hex64(_ text: String) -> UInt64 {
    UInt64(text, radix: 16)!
}

private func bitPatterns(_ values: [Double]) -> [UInt64] {
    values.map(\.bitPattern)
}

/// FNV-1a (64-bit) over each word's 8 little-endian bytes, as in make_fixtures.py.
private func fnv1a64<S: Sequence<UInt64>>(_ words: S) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for word in words {
        var rest = word
        for _ in 0..<8 {
            hash = (hash ^ (rest & 0xff)) &* 0x0000_0100_0000_01b3
            rest >>= 8
        }
    }
    return hash
}

/// Splits a "0x" + 32-hex-digit fixture value into its 64-bit halves.
private func hex128(_ text: String) -> (high: UInt64, low: UInt64) {
    let digits = text.dropFirst(2)
    return (UInt64(digits.prefix(16), radix: 16)!, UInt64(digits.suffix(16), radix: 16)!)
}

/// Expects two sequences to be identical and reports the first difference readably.
private func expectIdentical<T: Equatable>(
    _ actual: [T], _ expected: [T], _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(label): count", sourceLocation: sourceLocation)
    let mismatches = zip(actual, expected).enumerated().filter { $0.element.0 != $0.element.1 }
    if let first = mismatches.first {
        Issue.record("""
            \(label): \(mismatches.count) mismatches, first at \(first.offset): \
            got \(first.element.0), numpy \(first.element.1)
            """, sourceLocation: sourceLocation)
    }
}

/// Expects the bit generator's complete state to equal numpy's `bit_generator.state`.
private func expectState(
    _ generator: PCG64, _ numpy: NumpyPCGState, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let state = hex128(numpy.state)
    let increment = hex128(numpy.inc)
    #expect(generator.stateHigh == state.high, "\(label): state high",
            sourceLocation: sourceLocation)
    #expect(generator.stateLow == state.low, "\(label): state low",
            sourceLocation: sourceLocation)
    #expect(generator.incrementHigh == increment.high, "\(label): increment high",
            sourceLocation: sourceLocation)
    #expect(generator.incrementLow == increment.low, "\(label): increment low",
            sourceLocation: sourceLocation)
    #expect(generator.hasBufferedUInt32 == (numpy.has_uint32 != 0), "\(label): has_uint32",
            sourceLocation: sourceLocation)
    #expect(generator.bufferedUInt32 == numpy.uinteger, "\(label): uinteger",
            sourceLocation: sourceLocation)
}

// MARK: - Tests

@Suite("numpy default_rng / PCG64 / SeedSequence, bit for bit")
struct RandomGeneratorTests {
    @Test("SeedSequence pool and generate_state, PCG64 seeding", arguments: seeds)
    func seedSequence(seed: UInt64) throws {
        let fixture = try fixtureCase(
            loadFixture("seed_sequence", as: SeedSequenceFixture.self).cases, seed: seed, \.seed)
        let sequence = SeedSequence(entropy: seed)
        #expect(sequence.pool == fixture.pool)
        #expect(sequence.generateState32(wordCount: 8) == fixture.state32)
        #expect(sequence.generateState64(wordCount: 4) == fixture.state64.map(hex64))
        expectState(PCG64(seed: seed), fixture.pcg64, "PCG64(\(seed))")
        expectState(RandomGenerator(seed: seed).bitGenerator, fixture.pcg64, "default_rng(\(seed))")
    }

    @Test("PCG64.random_raw: first 1000 outputs", arguments: seeds)
    func rawStream(seed: UInt64) throws {
        let fixture = try fixtureCase(
            loadFixture("pcg64_raw", as: RawFixture.self).cases, seed: seed, \.seed)
        var generator = PCG64(seed: seed)
        let raw = (0..<fixture.raw.count).map { _ in generator.nextUInt64() }
        #expect(raw.count == 1000)
        expectIdentical(raw, fixture.raw.map(hex64), "random_raw(\(seed))")
    }

    @Test("default_rng mixed stream: uniform, normal, permutation, random", arguments: seeds)
    func mixedStream(seed: UInt64) throws {
        let fixture = try fixtureCase(
            loadFixture("mixed_stream", as: MixedStreamFixture.self).cases, seed: seed, \.seed)
        var rng = RandomGenerator(seed: seed)
        expectIdentical(bitPatterns(rng.uniform(low: 1.5, high: 5.5, count: 300)),
                        fixture.uniform_1_5_5_5_300.map(hex64), "uniform(1.5, 5.5, 300)")
        expectIdentical(bitPatterns(rng.normal(mean: 0, standardDeviation: 0.01, count: 500)),
                        fixture.normal_0_0_01_500.map(hex64), "normal(0, 0.01, 500)")
        expectIdentical(bitPatterns(rng.normal(mean: 0, standardDeviation: 0.17, count: 2000)),
                        fixture.normal_0_0_17_2000.map(hex64), "normal(0, 0.17, 2000)")
        expectIdentical(rng.permutation(2000), fixture.permutation_2000, "permutation(2000)")
        expectIdentical(bitPatterns(rng.random(count: 10)), fixture.random_10.map(hex64),
                        "random(10)")
        expectIdentical(rng.permutation(5), fixture.permutation_5, "permutation(5)")
        let scalars = (0..<3).map { _ in rng.normal(mean: 0, standardDeviation: 1) }
        expectIdentical(bitPatterns(scalars), fixture.normal_0_1_3.map(hex64), "normal(0, 1, 3)")
        expectState(rng.bitGenerator, fixture.final_state, "final state (\(seed))")
    }

    @Test("Scalar draws equal array draws")
    func scalarMatchesArray() {
        var arrays = RandomGenerator(seed: 99)
        var scalars = arrays
        let uniform = arrays.uniform(low: -2, high: 3, count: 50)
        let normal = arrays.normal(mean: 1, standardDeviation: 0.5, count: 50)
        let standard = arrays.standardNormal(count: 50)
        let random = arrays.random(count: 50)
        #expect(bitPatterns(uniform) == bitPatterns((0..<50).map { _ in
            scalars.uniform(low: -2, high: 3) }))
        #expect(bitPatterns(normal) == bitPatterns((0..<50).map { _ in
            scalars.normal(mean: 1, standardDeviation: 0.5) }))
        #expect(bitPatterns(standard) == bitPatterns((0..<50).map { _ in
            scalars.standardNormal() }))
        #expect(bitPatterns(random) == bitPatterns((0..<50).map { _ in scalars.nextDouble() }))
        #expect(arrays == scalars)
    }

    @Test("permutation(100000): hash, head, tail, final state")
    func longPermutation() throws {
        let fixture = try loadFixture("permutation_100000", as: LongPermutationFixture.self)
        var rng = RandomGenerator(seed: fixture.seed)
        let permutation = rng.permutation(fixture.count)
        #expect(permutation.count == fixture.count)
        expectIdentical(Array(permutation.prefix(1000)), fixture.head, "head")
        expectIdentical(Array(permutation.suffix(1000)), fixture.tail, "tail")
        #expect(fnv1a64(permutation.map { UInt64(bitPattern: Int64($0)) }) == hex64(fixture.fnv1a64))
        #expect(Set(permutation).count == fixture.count)
        expectState(rng.bitGenerator, fixture.final_state, "final state")
    }

    @Test("Small permutations, including the no-draw sizes 0 and 1")
    func smallPermutations() {
        var rng = RandomGenerator(seed: 3)
        let before = rng
        #expect(rng.permutation(0) == [])
        #expect(rng.permutation(1) == [0])
        #expect(rng == before)
        for count in 2...9 {
            #expect(rng.permutation(count).sorted() == Array(0..<count))
        }
    }

    @Test("standard_normal(200000): every layer, wedge and tail path")
    func standardNormalBulk() throws {
        let fixture = try loadFixture("standard_normal_bulk", as: NormalBulkFixture.self)
        var rng = RandomGenerator(seed: fixture.seed)
        let values = rng.standardNormal(count: fixture.count)
        expectIdentical(bitPatterns(Array(values.prefix(100))), fixture.head.map(hex64), "head")
        #expect(!fixture.tail_values.isEmpty)
        for tail in fixture.tail_values {
            #expect(values[tail.index].bitPattern == hex64(tail.value), "tail value at \(tail.index)")
        }
        #expect(fnv1a64(values.lazy.map(\.bitPattern)) == hex64(fixture.fnv1a64))
        expectState(rng.bitGenerator, fixture.final_state, "final state")
    }

    @Test("Ziggurat decision boundaries of every layer (ki, wedge/fi, log1p tail)")
    func zigguratProbes() throws {
        let fixture = try loadFixture("ziggurat_probes", as: ZigguratProbeFixture.self)
        var failures: [String] = []
        for probe in fixture.cases {
            let state = hex128(probe.state)
            let increment = hex128(probe.inc)
            var rng = RandomGenerator(bitGenerator: PCG64(
                stateHigh: state.high, stateLow: state.low,
                incrementHigh: increment.high, incrementLow: increment.low))
            let value = rng.standardNormal()
            let final = hex128(probe.final)
            if value.bitPattern != hex64(probe.value)
                || rng.bitGenerator.stateHigh != final.high
                || rng.bitGenerator.stateLow != final.low {
                failures.append("\(probe.kind) layer \(probe.layer): got \(value), "
                                + "numpy \(Double(bitPattern: hex64(probe.value)))")
            }
        }
        let layers = { (kind: String) in
            Set(fixture.cases.filter { $0.kind == kind }.map(\.layer)) }
        #expect(layers("ki") == Set(0..<256))
        #expect(layers("wedge") == Set(1..<256))
        #expect(!layers("tail").isEmpty)
        let failureCount = failures.count
        #expect(failureCount == 0, "probes differ, e.g. \(failures.prefix(5))")
    }

    @Test("random_interval: 32-bit buffered and 64-bit branches")
    func randomInterval() throws {
        let fixture = try loadFixture("random_interval", as: IntervalFixture.self)
        var rng = RandomGenerator(seed: fixture.seed)
        let values = fixture.maxes.map { rng.randomInterval(max: hex64($0)) }
        expectIdentical(values, fixture.values.map(hex64), "random_interval")
        expectState(rng.bitGenerator, fixture.final_state, "final state")
    }

    @Test("Codable checkpoint mid-stream resumes exactly like numpy")
    func checkpointMatchesNumpy() throws {
        let seed: UInt64 = 0
        let fixture = try fixtureCase(
            loadFixture("mixed_stream", as: MixedStreamFixture.self).cases, seed: seed, \.seed)
        var rng = RandomGenerator(seed: seed)
        _ = rng.uniform(low: 1.5, high: 5.5, count: 300)
        _ = rng.normal(mean: 0, standardDeviation: 0.01, count: 500)
        _ = rng.normal(mean: 0, standardDeviation: 0.17, count: 2000)
        _ = rng.permutation(2000)

        let data = try JSONEncoder().encode(rng)
        var restored = try JSONDecoder().decode(RandomGenerator.self, from: data)
        #expect(restored == rng)

        expectIdentical(bitPatterns(restored.random(count: 10)), fixture.random_10.map(hex64),
                        "random(10) after restore")
        expectIdentical(restored.permutation(5), fixture.permutation_5, "permutation(5) after restore")
        let scalars = (0..<3).map { _ in restored.standardNormal() }
        expectIdentical(bitPatterns(scalars), fixture.normal_0_1_3.map(hex64),
                        "normal(0, 1, 3) after restore")
        expectState(restored.bitGenerator, fixture.final_state, "final state after restore")

        // The encoded form carries numpy's own state fields.
        let finalData = try JSONEncoder().encode(restored.bitGenerator)
        let object = try #require(try JSONSerialization.jsonObject(with: finalData) as? [String: Any])
        #expect(object["state"] as? String == fixture.final_state.state)
        #expect(object["increment"] as? String == fixture.final_state.inc)
        #expect(object["hasUInt32"] as? Bool == (fixture.final_state.has_uint32 != 0))
        #expect((object["uinteger"] as? NSNumber)?.uint32Value == fixture.final_state.uinteger)
    }

    @Test("Codable round trip with a half-used 32-bit buffer continues identically")
    func checkpointWithBufferedHalf() throws {
        var rng = RandomGenerator(seed: 123_456_789_012)
        _ = rng.normal(mean: 0, standardDeviation: 1, count: 777)
        _ = rng.randomInterval(max: 10)  // uses the low half of a 64-bit draw
        #expect(rng.bitGenerator.hasBufferedUInt32)

        let data = try JSONEncoder().encode(rng)
        var restored = try JSONDecoder().decode(RandomGenerator.self, from: data)
        #expect(restored == rng)
        #expect(restored.bitGenerator.hasBufferedUInt32)

        #expect(restored.nextUInt32() == rng.nextUInt32())
        #expect(restored.permutation(1000) == rng.permutation(1000))
        #expect(bitPatterns(restored.normal(mean: 2, standardDeviation: 3, count: 1000))
                == bitPatterns(rng.normal(mean: 2, standardDeviation: 3, count: 1000)))
        #expect(restored.randomInterval(max: 1 << 40) == rng.randomInterval(max: 1 << 40))
        #expect(restored.nextUInt64() == rng.nextUInt64())
        #expect(restored == rng)
    }

    @Test("Restoring numpy's bit_generator.state reproduces the stream")
    func restoreFromNumpyState() throws {
        let fixture = try fixtureCase(
            loadFixture("mixed_stream", as: MixedStreamFixture.self).cases, seed: 7, \.seed)
        let raw = try fixtureCase(
            loadFixture("seed_sequence", as: SeedSequenceFixture.self).cases, seed: 7, \.seed)
        let state = hex128(raw.pcg64.state)
        let increment = hex128(raw.pcg64.inc)
        let bitGenerator = PCG64(stateHigh: state.high, stateLow: state.low,
                                 incrementHigh: increment.high, incrementLow: increment.low)
        #expect(bitGenerator == PCG64(seed: 7))
        var rng = RandomGenerator(bitGenerator: bitGenerator)
        expectIdentical(bitPatterns(rng.uniform(low: 1.5, high: 5.5, count: 300)),
                        fixture.uniform_1_5_5_5_300.map(hex64), "uniform after restore")
    }

    @Test("Corrupt checkpoints are rejected")
    func corruptCheckpoint() {
        let json = #"{"state":"0xnothex","increment":"0x1","hasUInt32":false,"uinteger":0}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(PCG64.self, from: Data(json.utf8))
        }
    }
}
