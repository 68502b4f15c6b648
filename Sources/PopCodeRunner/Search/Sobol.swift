import PopCode

/// The Sobol low-discrepancy sequence in up to `maxDimensions` dimensions, with 32-bit
/// points, optionally scrambled.
///
/// Written by hand: no library on this machine offers it for Swift. Direction numbers are
/// Joe & Kuo's (`SobolDirectionNumbers`); point `n` is built in Gray-code order,
/// `X_n = X_{n−1} ⊕ V_c` with `c` the position of the lowest zero bit of `n − 1`, and
/// is `X_n / 2³²` — the unscrambled points equal those of Joe & Kuo's reference code and of
/// `scipy.stats.qmc.Sobol(scramble=False)`.
///
/// Scrambling (Matoušek's linear matrix scramble with a digital shift, as SciPy and Owen
/// describe it) maps every coordinate's bits by a random lower-triangular binary matrix with
/// unit diagonal and XORs a random shift, both drawn from `RandomGenerator(seed:)`
/// (dimension by dimension: 32 matrix rows, then the shift, as 32-bit draws). The map is
/// linear and keeps every leading bit depending only on the bits above it, so each
/// `2^m`-point prefix stays a (t, m, s)-net: every coordinate of the first `2^m` points
/// falls once in each interval `[j/2^m, (j+1)/2^m)`.
public struct SobolSequence: Sendable {
    /// One more than the rows of `SobolDirectionNumbers`.
    public static let maxDimensions = SobolDirectionNumbers.rows.count + 1

    public let dimensions: Int
    /// `directions[d][i]`: direction integer `V_{i+1}` of dimension `d`.
    private let directions: [[UInt32]]
    private let shifts: [UInt32]

    /// The sequence in `dimensions` (1…`maxDimensions`) dimensions, unscrambled when
    /// `scrambleSeed` is nil.
    public init(dimensions: Int, scrambleSeed: UInt64? = nil) {
        precondition((1...Self.maxDimensions).contains(dimensions),
                     "SobolSequence: dimensions must be in 1...\(Self.maxDimensions)")
        self.dimensions = dimensions
        var directions: [[UInt32]] = [(0..<32).map { UInt32(1) << (31 - $0) }]
        for row in SobolDirectionNumbers.rows.prefix(dimensions - 1) {
            let s = row.degree
            var v = [UInt32](repeating: 0, count: 32)
            for i in 0..<32 {
                if i < s {
                    v[i] = row.initial[i] << (31 - i)
                } else {
                    var value = v[i - s] ^ (v[i - s] >> s)
                    for k in 1..<s where (row.coefficients >> (s - 1 - k)) & 1 == 1 {
                        value ^= v[i - k]
                    }
                    v[i] = value
                }
            }
            directions.append(v)
        }
        var shifts = [UInt32](repeating: 0, count: dimensions)
        if let scrambleSeed {
            var random = RandomGenerator(seed: scrambleSeed)
            for d in 0..<dimensions {
                // Row k (from the most significant bit) of a lower-triangular matrix with
                // unit diagonal: bit k set, random bits above it, none below.
                let rows: [UInt32] = (0..<32).map { k in
                    let above: UInt32 = k == 0 ? 0 : ~UInt32(0) << (32 - k)
                    return (random.nextUInt32() & above) | (UInt32(1) << (31 - k))
                }
                directions[d] = directions[d].map { v in
                    var scrambled: UInt32 = 0
                    for (k, row) in rows.enumerated() where (row & v).nonzeroBitCount & 1 == 1 {
                        scrambled |= UInt32(1) << (31 - k)
                    }
                    return scrambled
                }
                shifts[d] = random.nextUInt32()
            }
        }
        self.directions = directions
        self.shifts = shifts
    }

    /// Point `n` (from 0), with `dimensions` coordinates in `[0, 1)`: the XOR of the
    /// direction integers `V_i` for the set bits `i` of the Gray code `n ⊕ ⌊n/2⌋` (equal
    /// to the recurrence above), XOR the shift.
    public func point(_ n: Int) -> [Double] {
        precondition(n >= 0 && n <= Int(UInt32.max), "SobolSequence: point index out of range")
        let gray = UInt32(n) ^ (UInt32(n) >> 1)
        return (0..<dimensions).map { d in
            var x = shifts[d]
            var bits = gray
            while bits != 0 {
                x ^= directions[d][bits.trailingZeroBitCount]
                bits &= bits - 1
            }
            return Double(x) * 0x1p-32
        }
    }

    /// Points `0..<count`.
    public func points(_ count: Int) -> [[Double]] {
        (0..<count).map(point)
    }
}
