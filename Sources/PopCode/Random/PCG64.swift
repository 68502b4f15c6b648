/// numpy's `PCG64` bit generator (PCG XSL RR 128/64), bit for bit.
///
/// The 128-bit LCG state advances as `state = state * multiplier + increment (mod 2¹²⁸)`
/// and each 64-bit output is `rotr(high ^ low, high >> 58)` of the *new* state
/// (step, then output), as in `numpy/random/src/pcg64/pcg64.h`. 128-bit values are kept
/// as two 64-bit halves so the type needs no platform-gated `UInt128`.
///
/// Like numpy's `pcg64_state`, the generator also carries the 32-bit buffer used by
/// ``nextUInt32()``: a 64-bit draw serves two 32-bit values, low half first. The whole
/// state (LCG state, increment, buffer) is `Codable`, so a stream can be checkpointed
/// and resumed bit-identically.
public struct PCG64: Sendable, Hashable, Codable {
    /// High 64 bits of the LCG multiplier `0x2360ED051FC65DA44385DF649FCCF645`.
    public static let multiplierHigh: UInt64 = 0x2360_ED05_1FC6_5DA4
    /// Low 64 bits of the LCG multiplier.
    public static let multiplierLow: UInt64 = 0x4385_DF64_9FCC_F645

    /// High 64 bits of the 128-bit LCG state.
    public private(set) var stateHigh: UInt64
    /// Low 64 bits of the 128-bit LCG state.
    public private(set) var stateLow: UInt64
    /// High 64 bits of the (odd) 128-bit LCG increment.
    public let incrementHigh: UInt64
    /// Low 64 bits of the (odd) 128-bit LCG increment.
    public let incrementLow: UInt64
    /// Whether ``bufferedUInt32`` holds the unused high half of the last 64-bit draw
    /// (numpy's `has_uint32`).
    public private(set) var hasBufferedUInt32: Bool
    /// The buffered 32-bit value (numpy's `uinteger`); meaningful only when
    /// ``hasBufferedUInt32`` is `true`.
    public private(set) var bufferedUInt32: UInt32

    /// Creates the generator numpy builds for `PCG64(seed)` (and `default_rng(seed)`).
    public init(seed: UInt64) {
        self.init(seedSequence: SeedSequence(entropy: seed))
    }

    /// Creates the generator numpy builds for `PCG64(seedSequence)`.
    ///
    /// numpy takes `generate_state(4, np.uint64)` = `[s0, s1, i0, i1]` and calls
    /// `pcg64_set_seed` with the 128-bit values `s0:s1` (initial state, high word first)
    /// and `i0:i1` (stream selector).
    public init(seedSequence: SeedSequence) {
        let words = seedSequence.generateState64(wordCount: 4)
        self.init(initialStateHigh: words[0], initialStateLow: words[1],
                  sequenceHigh: words[2], sequenceLow: words[3])
    }

    /// Seeds like PCG's `pcg_setseq_128_srandom_r`: `increment = sequence << 1 | 1`,
    /// `state = 0`, step, `state += initialState`, step.
    public init(initialStateHigh: UInt64, initialStateLow: UInt64,
                sequenceHigh: UInt64, sequenceLow: UInt64) {
        stateHigh = 0
        stateLow = 0
        incrementHigh = sequenceHigh << 1 | sequenceLow >> 63
        incrementLow = sequenceLow << 1 | 1
        hasBufferedUInt32 = false
        bufferedUInt32 = 0
        step()
        let (low, carry) = stateLow.addingReportingOverflow(initialStateLow)
        stateLow = low
        stateHigh = stateHigh &+ initialStateHigh &+ (carry ? 1 : 0)
        step()
    }

    /// Restores an exact state, e.g. one read from numpy's `bit_generator.state`
    /// (`state`, `inc`, `has_uint32`, `uinteger`).
    public init(stateHigh: UInt64, stateLow: UInt64,
                incrementHigh: UInt64, incrementLow: UInt64,
                hasBufferedUInt32: Bool = false, bufferedUInt32: UInt32 = 0) {
        self.stateHigh = stateHigh
        self.stateLow = stateLow
        self.incrementHigh = incrementHigh
        self.incrementLow = incrementLow
        self.hasBufferedUInt32 = hasBufferedUInt32
        self.bufferedUInt32 = bufferedUInt32
    }

    /// Returns the next 64-bit output (numpy's `next_uint64` / `random_raw`).
    public mutating func nextUInt64() -> UInt64 {
        step()
        let rotation = stateHigh >> 58
        let folded = stateHigh ^ stateLow
        return folded >> rotation | folded << ((64 &- rotation) & 63)
    }

    /// Returns the next 32-bit output (numpy's `pcg64_next32`): the low half of a fresh
    /// 64-bit draw, whose high half is buffered and returned by the following call.
    public mutating func nextUInt32() -> UInt32 {
        if hasBufferedUInt32 {
            hasBufferedUInt32 = false
            return bufferedUInt32
        }
        let next = nextUInt64()
        hasBufferedUInt32 = true
        bufferedUInt32 = UInt32(truncatingIfNeeded: next >> 32)
        return UInt32(truncatingIfNeeded: next)
    }

    /// Advances the LCG one step: `state = state * multiplier + increment (mod 2¹²⁸)`.
    mutating func step() {
        let product = stateLow.multipliedFullWidth(by: Self.multiplierLow)
        let high = product.high &+ stateHigh &* Self.multiplierLow &+ stateLow &* Self.multiplierHigh
        let (low, carry) = product.low.addingReportingOverflow(incrementLow)
        stateLow = low
        stateHigh = high &+ incrementHigh &+ (carry ? 1 : 0)
    }

    // MARK: Codable

    private enum CodingKeys: String, CodingKey {
        case state, increment, hasUInt32, uinteger
    }

    /// Decodes a state written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let state = try Self.decodeUInt128(container, .state)
        let increment = try Self.decodeUInt128(container, .increment)
        self.init(stateHigh: state.high, stateLow: state.low,
                  incrementHigh: increment.high, incrementLow: increment.low,
                  hasBufferedUInt32: try container.decode(Bool.self, forKey: .hasUInt32),
                  bufferedUInt32: try container.decode(UInt32.self, forKey: .uinteger))
    }

    /// Encodes the full state; the 128-bit values are 32-digit hex strings (`"0x…"`) so no
    /// encoder has to represent integers wider than a `Double` mantissa.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.hexString(stateHigh, stateLow), forKey: .state)
        try container.encode(Self.hexString(incrementHigh, incrementLow), forKey: .increment)
        try container.encode(hasBufferedUInt32, forKey: .hasUInt32)
        try container.encode(bufferedUInt32, forKey: .uinteger)
    }

    private static func hexString(_ high: UInt64, _ low: UInt64) -> String {
        func padded(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return "0x" + padded(high) + padded(low)
    }

    private static func decodeUInt128(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> (high: UInt64, low: UInt64) {
        let text = try container.decode(String.self, forKey: key)
        let digits = text.hasPrefix("0x") ? text.dropFirst(2) : Substring(text)
        guard (1...32).contains(digits.count),
              let low = UInt64(digits.suffix(16), radix: 16),
              let high = digits.count > 16 ? UInt64(digits.dropLast(16), radix: 16) : 0
        else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "expected a 128-bit hex string, got \(text)")
        }
        return (high, low)
    }
}
