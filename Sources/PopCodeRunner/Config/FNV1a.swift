/// The 64-bit FNV-1a hash, used for run ids and file names (stable across processes,
/// machines and versions; not cryptographic).
///
/// `h₀ = 0xcbf29ce484222325`, then for each byte `b`: `h ← (h ⊕ b) · 0x100000001b3 (mod 2⁶⁴)`.
enum FNV1a {
    /// The hash of `text`'s UTF-8 bytes as 16 lowercase hex digits.
    static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
