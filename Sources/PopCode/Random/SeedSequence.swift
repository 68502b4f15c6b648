/// numpy's `np.random.SeedSequence(entropy)` for a non-negative integer entropy (no
/// spawn key, the default pool of four 32-bit words).
///
/// It turns a user seed into a well-mixed entropy pool, and from that pool into as many
/// state words as a bit generator needs (`generate_state`). The algorithm and constants
/// are those of `numpy/random/bit_generator.pyx` (after Melissa O'Neill's `seed_seq`
/// replacement); all arithmetic is modulo 2³².
public struct SeedSequence: Sendable, Hashable, Codable {
    /// Number of 32-bit words in the entropy pool (numpy's `DEFAULT_POOL_SIZE`).
    public static let poolSize = 4

    private static let initA: UInt32 = 0x43b0_d7e5
    private static let multA: UInt32 = 0x931e_8875
    private static let initB: UInt32 = 0x8b51_f9dd
    private static let multB: UInt32 = 0x58f3_8ded
    private static let mixMultL: UInt32 = 0xca01_f9dd
    private static let mixMultR: UInt32 = 0x4973_f715
    private static let xShift: UInt32 = 16

    /// The entropy as 32-bit words, least significant word first.
    public let entropyWords: [UInt32]

    /// The mixed entropy pool (numpy's `SeedSequence.pool`).
    public let pool: [UInt32]

    /// Creates the sequence numpy builds for `SeedSequence(entropy)`.
    ///
    /// numpy splits the integer into 32-bit words, lowest word first, using a single
    /// zero word for `0` (so `0`, `1` and `2**32` all give distinct word arrays).
    public init(entropy: UInt64) {
        let low = UInt32(truncatingIfNeeded: entropy)
        let high = UInt32(truncatingIfNeeded: entropy >> 32)
        self.init(entropyWords: high == 0 ? [low] : [low, high])
    }

    /// Creates the sequence numpy builds from an already-split entropy word array, i.e.
    /// `SeedSequence(np.array(words, dtype=np.uint32))`.
    public init(entropyWords: [UInt32]) {
        self.entropyWords = entropyWords
        self.pool = Self.mixEntropy(entropyWords)
    }

    /// Returns `wordCount` 32-bit state words: `generate_state(wordCount, np.uint32)`.
    public func generateState32(wordCount: Int) -> [UInt32] {
        precondition(wordCount >= 0, "wordCount must be non-negative")
        var hashConst = Self.initB
        var state = [UInt32]()
        state.reserveCapacity(wordCount)
        for index in 0..<wordCount {
            var value = pool[index % pool.count]
            value ^= hashConst
            hashConst &*= Self.multB
            value &*= hashConst
            value ^= value >> Self.xShift
            state.append(value)
        }
        return state
    }

    /// Returns `wordCount` 64-bit state words: `generate_state(wordCount, np.uint64)`.
    ///
    /// numpy draws `2 * wordCount` 32-bit words and reinterprets them little-endian, so
    /// word `2k` is the low half and word `2k + 1` the high half of output `k`.
    public func generateState64(wordCount: Int) -> [UInt64] {
        let words = generateState32(wordCount: 2 * wordCount)
        return (0..<wordCount).map { index in
            UInt64(words[2 * index]) | UInt64(words[2 * index + 1]) << 32
        }
    }

    private enum CodingKeys: String, CodingKey {
        case entropyWords
    }

    /// Decodes the entropy words and recomputes the pool from them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(entropyWords: try container.decode([UInt32].self, forKey: .entropyWords))
    }

    /// Encodes only the entropy words; the pool is a pure function of them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entropyWords, forKey: .entropyWords)
    }

    /// numpy's `hashmix`: hashes `value` while advancing the running multiplier.
    private static func hashMix(_ value: UInt32, _ hashConst: inout UInt32) -> UInt32 {
        var value = value ^ hashConst
        hashConst &*= multA
        value &*= hashConst
        return value ^ (value >> xShift)
    }

    /// numpy's `mix`: combines two words into one.
    private static func mix(_ x: UInt32, _ y: UInt32) -> UInt32 {
        let result = mixMultL &* x &- mixMultR &* y
        return result ^ (result >> xShift)
    }

    /// numpy's `SeedSequence.mix_entropy` into a fresh pool of `poolSize` words.
    private static func mixEntropy(_ entropy: [UInt32]) -> [UInt32] {
        var hashConst = initA
        var mixer = (0..<poolSize).map { index in
            hashMix(index < entropy.count ? entropy[index] : 0, &hashConst)
        }
        for source in 0..<poolSize {
            for destination in 0..<poolSize where source != destination {
                mixer[destination] = mix(mixer[destination], hashMix(mixer[source], &hashConst))
            }
        }
        for source in poolSize..<max(poolSize, entropy.count) {
            for destination in 0..<poolSize {
                mixer[destination] = mix(mixer[destination], hashMix(entropy[source], &hashConst))
            }
        }
        return mixer
    }
}
