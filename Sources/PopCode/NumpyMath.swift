/// Bit-exact reimplementations of numpy's own float64 kernels: its `exp` and its pairwise
/// summation.
///
/// Pure Swift: no C, no Foundation, no libm calls. `exp` is the transcendental function
/// our numpy baseline needs whose numpy result is not the C library's (numpy's float64
/// `np.sin` / `np.cos` were checked to equal glibc's `sin` / `cos` bit for bit).
public enum NumpyMath {
    /// `Σ values[i]` in numpy's pairwise order (`np.add.reduce` over a contiguous axis,
    /// `pairwise_sum` in numpy's `loops_utils.h`): fewer than 8 values are added in turn from
    /// 0; up to 128 go into eight interleaved partial sums `r_j = v_j + v_{j+8} + …`, combined
    /// as `((r₀ + r₁) + (r₂ + r₃)) + ((r₄ + r₅) + (r₆ + r₇))`, then the last `n mod 8` added in
    /// turn; a longer run is split at `n/2` rounded down to a multiple of 8 and the two halves'
    /// sums added. Bit for bit numpy's `a.sum()` and, divided by `n`, `a.mean()`; and its
    /// independent partial sums vectorise where a running sum waits on every addition.
    @inlinable
    public static func pairwiseSum<T: BinaryFloatingPoint & SIMDScalar>(_ values: UnsafePointer<T>, count n: Int) -> T {
        pairwise(count: n) { start, count in
            block(values + start, count: count)
        }
    }

    /// `Σ (a[i] − b[i])²` in numpy's pairwise order: `((a - b) ** 2).sum()`, bit for bit.
    @inlinable
    public static func pairwiseSumOfSquaredDifferences<T: BinaryFloatingPoint & SIMDScalar>(
        _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, count n: Int
    ) -> T {
        pairwise(count: n) { start, count in
            squaredDifferenceBlock(a + start, b + start, count: count)
        }
    }

    /// numpy's recursion: `leaf(start, count)` sums a run of at most 128 values.
    @inlinable
    static func pairwise<T: BinaryFloatingPoint>(from start: Int = 0, count n: Int, leaf: (Int, Int) -> T) -> T {
        if n <= 128 { return leaf(start, n) }
        let half = n / 2 - (n / 2) % 8
        return pairwise(from: start, count: half, leaf: leaf) + pairwise(from: start + half, count: n - half, leaf: leaf)
    }

    /// One leaf of `pairwiseSum`: the `n ≤ 128` values at `base`.
    @inlinable @inline(__always)
    static func block<T: BinaryFloatingPoint & SIMDScalar>(_ base: UnsafePointer<T>, count n: Int) -> T {
        if n < 8 {
            var sum: T = 0
            for i in 0..<n { sum += base[i] }
            return sum
        }
        var r = UnsafeRawPointer(base).loadUnaligned(as: SIMD8<T>.self)
        var i = 8
        while i < n - n % 8 {
            r += UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<T>.self)
            i += 8
        }
        var sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n {
            sum += base[i]
            i += 1
        }
        return sum
    }

    /// One leaf of `pairwiseSumOfSquaredDifferences`: `n ≤ 128` squares `(a[i] − b[i])²`.
    @inlinable @inline(__always)
    static func squaredDifferenceBlock<T: BinaryFloatingPoint & SIMDScalar>(
        _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, count n: Int
    ) -> T {
        if n < 8 {
            var sum: T = 0
            for i in 0..<n {
                let d = a[i] - b[i]
                sum += d * d
            }
            return sum
        }
        func square(_ i: Int) -> SIMD8<T> {
            let d = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<T>.self)
                - UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<T>.self)
            return d * d
        }
        var r = square(0)
        var i = 8
        while i < n - n % 8 {
            r += square(i)
            i += 8
        }
        var sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n {
            let d = a[i] - b[i]
            sum += d * d
            i += 1
        }
        return sum
    }

    /// `np.exp` for one float64, bit for bit as numpy 2.x computes it on an x86-64 CPU with
    /// AVX-512 (numpy's `X86_V4` / `AVX512_SKX` dispatch target).
    ///
    /// **What it reproduces.** On such a CPU numpy's `DOUBLE_exp` ufunc loop
    /// (`numpy/_core/src/umath/loops_exponent_log.dispatch.c.src`, `simd_exp_f64`) does not
    /// call glibc's `exp` and does not use numpy's own `AVX512F_exp_DOUBLE` either (that
    /// kernel is compiled only when SVML cannot be linked): it calls Intel SVML's
    /// `__svml_exp8_ha` (numpy/SVML, `linux/avx512/svml_z0_exp_d_ha.s`), 8 lanes at a time,
    /// which rounds differently from glibc on about 4.6 % of arguments. This function is a
    /// scalar transcription of that routine, instruction by instruction, with its constants
    /// and tables copied bit for bit from the numpy 2.4.6 wheel's `_multiarray_umath` binary:
    ///
    /// * `|x| < 0x1.61da04cbafe44p+9` (≈ 707.70, = 1021·ln 2) — the vector path:
    ///   `t = RZ(x·log2(e) + (1.5·2^48 + 1023))` by one FMA rounded *toward zero*, so
    ///   `N = t − shifter` is x·log2(e) truncated to 1/16 and the low 4 bits of `t` pick
    ///   `j`; `r = (x − N·ln2_hi) − ln2_lo·N` (two FMAs); a degree-6 polynomial in the
    ///   Estrin-like order SVML uses (six FMAs and `r·r`); `Th·(1 + p)` with
    ///   `2^(j/16) = Th·(1 + Tlr)`; and finally `vscalefpd` by `floor(N)`, which here is an
    ///   exact multiplication by a normal power of two.
    /// * `|x| ≥ 707.70…`, ±∞ — SVML's scalar "rare" callout `__svml_dexp_ha_cout_rare_internal`
    ///   (plain SSE2 multiplies and adds, no FMA): overflow to +∞ above 709.78…, `+0` below
    ///   −745.13…, a 64-entry table otherwise, and a careful split for subnormal results.
    /// * NaN — the input NaN, quieted (sign and payload kept), as the vector path returns it.
    ///
    /// Which numpy paths it does **not** describe: numpy falls back to glibc's `exp` on CPUs
    /// without AVX-512 (its `X86_V3` and baseline loops call `exp`), when the input or output
    /// stride is negative (e.g. `np.exp(a[::-1])`: the loop's stride check rejects it), or
    /// when input and output partially overlap inside the inner loop. Positive strides,
    /// strided views and in-place calls do take the SVML path. The images we reproduce come
    /// from contiguous arrays on an AVX-512 machine, i.e. from the SVML path.
    ///
    /// Swift never contracts `a * b + c` into an FMA, so every fused operation below is an
    /// explicit `addingProduct` and every other operation rounds on its own, as in SVML.
    @inlinable
    public static func exp(_ x: Double) -> Double {
        if x.isNaN {
            // Quiet the NaN, keeping sign and payload (vfmadd/vsubpd/vscalefpd propagate it).
            return Double(bitPattern: x.bitPattern | 0x0008_0000_0000_0000)
        }
        if x.magnitude >= Double(bitPattern: 0x4086_1DA0_4CBA_FE44) {  // 707.703271351704
            return rareExp(x)
        }

        // t = x * log2(e) + shifter, one FMA rounded toward zero ({rz-sae}). The sum lies in
        // [2^48, 2^49), where the spacing is 2^-4 and the shifter is positive, so round toward
        // zero = round down: take the round-to-nearest FMA and step down one ulp if it rounded up.
        let shifter = Double(bitPattern: 0x42F8_0000_0000_3FF0)   // 1.5 * 2^48 + 1023
        let log2e = Double(bitPattern: 0x3FF7_1547_652B_82FE)
        var t = shifter.addingProduct(x, log2e)
        let above = t - shifter                                   // exact (same binade)
        if (-above).addingProduct(x, log2e) < 0 {                 // sign of x·log2e − (t − shifter), exact
            t = t.nextDown
        }
        let n = t - shifter                                       // x·log2e truncated to 1/16, exact
        let j = Int(truncatingIfNeeded: t.bitPattern & 15)

        // Cody–Waite reduction, two fused steps: r = (x − N·ln2_hi) − ln2_lo·N.
        var r = x.addingProduct(-n, Double(bitPattern: 0x3FE6_2E42_FEFA_39EF))
        r = r.addingProduct(-Double(bitPattern: 0x3C7A_BC9E_3B39_803F), n)
        // "ensure |R| < 2 even for special cases": clears exponent bit 62 (no-op here).
        r = Double(bitPattern: r.bitPattern & 0xBFFF_FFFF_FFFF_FFFF)

        let r2 = r * r
        let p56 = Double(bitPattern: 0x3F81_101C_BBC2_65C0)
            .addingProduct(r, Double(bitPattern: 0x3F57_4118_3694_0C04))   // c5 + r·c6
        let p34 = Double(bitPattern: 0x3FC5_5555_5393_9732)
            .addingProduct(r, Double(bitPattern: 0x3FA5_5557_242D_68FE))   // c3 + r·c4
        let p12 = Double(bitPattern: 0x3FEF_FFFF_FFFF_FF70)
            .addingProduct(r, Double(bitPattern: 0x3FE0_0000_0000_D008))   // c1 + r·c2
        var p = p34.addingProduct(r2, p56)        // p56·r² + p34
        p = p12.addingProduct(r2, p)              // p36·r² + p12
        let th = Double(bitPattern: expHATh[j])
        p = Double(bitPattern: expHATlr[j]).addingProduct(p, r)   // p16·r + Tlr
        let result = th.addingProduct(p, th)      // Th·p + Th

        // vscalefpd by floor(N): N ∈ (−1021.07, 1021), so 2^floor(N) is a normal double and
        // the multiplication is exact except for a possible single rounding, as in scalef.
        let k = Int(n.rounded(.down))
        return result * Double(bitPattern: UInt64(k + 1023) << 52)
    }

    /// `np.exp` applied elementwise (see `exp(_:)` for one `Double`).
    @inlinable
    public static func exp(_ xs: [Double]) -> [Double] {
        xs.map { Self.exp($0) }
    }

    /// `np.exp(buffer, out=buffer)` (see `exp(_:)` for one `Double`).
    @inlinable
    public static func expInPlace(_ xs: UnsafeMutableBufferPointer<Double>) {
        for i in xs.indices { xs[i] = Self.exp(xs[i]) }
    }

    /// SVML's `__svml_dexp_ha_cout_rare_internal`, taken for `|x| ≥ 707.70…` (finite or
    /// infinite, never NaN). Transcribed operation by operation; all arithmetic is separately
    /// rounded SSE2 `mulsd`/`addsd`/`subsd` in round-to-nearest.
    @usableFromInline
    static func rareExp(_ x: Double) -> Double {
        let bits = x.bitPattern
        if (bits >> 52) & 0x7FF == 0x7FF {
            // ±∞ (NaN never gets here): −∞ → +0, +∞ → x·x = +∞.
            if bits >> 63 == 1 && bits & 0x000F_FFFF_FFFF_FFFF == 0 { return 0 }
            return x * x
        }
        if x > Double(bitPattern: 0x4086_2E42_FEFA_39EF) {   // 709.782712893384: DBL_MAX² overflows
            return .infinity
        }
        if x < Double(bitPattern: 0xC087_4910_D52D_3051) {   // −745.133219101941: tiny² underflows
            return 0
        }

        let shifter = Double(bitPattern: 0x4338_0000_0000_0000)          // 1.5 * 2^52
        let y = x * Double(bitPattern: 0x4057_1547_652B_82FE)            // x * 64/ln2
        let t = y + shifter
        let low = UInt32(truncatingIfNeeded: t.bitPattern)               // round(y) mod 2^32
        let j = Int(low & 63)
        let n = t - shifter
        var r = x - n * Double(bitPattern: 0x3F86_2E42_FEFA_0000)        // ln2/64 high part
        r = r - n * Double(bitPattern: 0x3D1C_F79A_BC9E_3B3A)            // ln2/64 low part
        var p = Double(bitPattern: 0x3F56_C16A_1C2A_3FFD) * r
        p = p + Double(bitPattern: 0x3F81_1112_3AAF_20D3)
        p = p * r
        p = p + Double(bitPattern: 0x3FA5_5555_5555_8FCC)
        p = p * r
        p = p + Double(bitPattern: 0x3FC5_5555_5555_48F8)
        p = p * r
        p = p + Double(bitPattern: 0x3FE0_0000_0000_0000)
        p = p * r
        p = p * r
        p = p + r
        p = p + Double(bitPattern: expHATable64[2 * j + 1])              // table low part
        let tHigh = Double(bitPattern: expHATable64[2 * j])
        p = p * tHigh

        if x < Double(bitPattern: 0xC086_232B_DD7A_BCD2) {               // −708.396…: subnormal result
            let e = ((low >> 6) &+ 1083) & 0x7FF                         // biased exponent of 2^(M+60)
            let scale = Double(bitPattern: UInt64(e) << 52)
            let lowPart = p * scale
            let highPart = scale * tHigh
            let v = highPart + lowPart
            if e > 50 {
                // Split v so that the final 2^-60 scaling rounds only once.
                let tail0 = (highPart - v) + lowPart
                let a = v * Double(bitPattern: 0x41F8_0000_0000_0000)   // 1.5 * 2^32
                let h = v + a
                var hh = h - a
                var tail = v - hh
                tail = tail0 + tail
                hh = hh * Double(bitPattern: 0x3C30_0000_0000_0000)      // 2^-60
                tail = tail * Double(bitPattern: 0x3C30_0000_0000_0000)
                return hh + tail
            }
            return v * Double(bitPattern: 0x3C30_0000_0000_0000)
        }

        var e = ((low >> 6) &+ 1023) & 0x7FF                             // biased exponent of 2^M
        p = p + tHigh
        if e > 2046 {                                                    // M = 1024: 2^1023 · 2
            e = (e &- 1) & 0x7FF
            return p * Double(bitPattern: UInt64(e) << 52) * 2.0
        }
        return p * Double(bitPattern: UInt64(e) << 52)
    }
}

/// `Th[j]` = 2^(j/16) rounded (`__svml_dexp_ha_data_internal_avx512` + 0).
@usableFromInline
let expHATh: [UInt64] = [
    0x3FF0000000000000, 0x3FF0B5586CF9890F, 0x3FF172B83C7D517B, 0x3FF2387A6E756238,
    0x3FF306FE0A31B715, 0x3FF3DEA64C123422, 0x3FF4BFDAD5362A27, 0x3FF5AB07DD485429,
    0x3FF6A09E667F3BCD, 0x3FF7A11473EB0187, 0x3FF8ACE5422AA0DB, 0x3FF9C49182A3F090,
    0x3FFAE89F995AD3AD, 0x3FFC199BDD85529C, 0x3FFD5818DCFBA487, 0x3FFEA4AFA2A490DA,
]

/// `Tlr[j]` with `Th[j]·(1 + Tlr[j]) ≈ 2^(j/16)` (`__svml_dexp_ha_data_internal_avx512` + 128).
@usableFromInline
let expHATlr: [UInt64] = [
    0x0000000000000000, 0x3C979AA65D837B6D, 0xBC801B15EAA59348, 0x3C968EFDE3A8A894,
    0x3C834D754DB0ABB6, 0x3C859F48A72A4C6D, 0x3C7690CEBB7AAFB0, 0x3C9063E1E21C5409,
    0xBC93B3EFBF5E2228, 0xBC7B32DCB94DA51D, 0x3C8DB72FC1F0EAB4, 0x3C71AFFC2B91CE27,
    0x3C8C1A7792CB3387, 0x3C736EAE30AF0CB3, 0x3C74A385A63D07A7, 0xBC8FF7128FD391F0,
]

/// `_imldExpHATab`: 64 pairs (high, low) of 2^(j/64), used by the rare path.
@usableFromInline
let expHATable64: [UInt64] = [
        0x3FF0000000000000, 0x0000000000000000, 0x3FF02C9A3E778061, 0xBC7160139CD8DC5D,
        0x3FF059B0D3158574, 0x3C8CD2523567F613, 0x3FF0874518759BC8, 0x3C60F74E61E6C861,
        0x3FF0B5586CF9890F, 0x3C979AA65D837B6D, 0x3FF0E3EC32D3D1A2, 0x3C3EBE3D702F9CD1,
        0x3FF11301D0125B51, 0xBC9556522A2FBD0E, 0x3FF1429AAEA92DE0, 0xBC91C923B9D5F416,
        0x3FF172B83C7D517B, 0xBC801B15EAA59348, 0x3FF1A35BEB6FCB75, 0x3C8B898C3F1353BF,
        0x3FF1D4873168B9AA, 0x3C9AECF73E3A2F60, 0x3FF2063B88628CD6, 0x3C8A6F4144A6C38D,
        0x3FF2387A6E756238, 0x3C968EFDE3A8A894, 0x3FF26B4565E27CDD, 0x3C80472B981FE7F2,
        0x3FF29E9DF51FDEE1, 0x3C82F7E16D09AB31, 0x3FF2D285A6E4030B, 0x3C8B3782720C0AB4,
        0x3FF306FE0A31B715, 0x3C834D754DB0ABB6, 0x3FF33C08B26416FF, 0x3C8FDD395DD3F84A,
        0x3FF371A7373AA9CB, 0xBC924AEDCC4B5068, 0x3FF3A7DB34E59FF7, 0xBC71D1E83E9436D2,
        0x3FF3DEA64C123422, 0x3C859F48A72A4C6D, 0x3FF4160A21F72E2A, 0xBC58A78F4817895B,
        0x3FF44E086061892D, 0x3C4363ED60C2AC11, 0x3FF486A2B5C13CD0, 0x3C6ECCE1DAA10379,
        0x3FF4BFDAD5362A27, 0x3C7690CEBB7AAFB0, 0x3FF4F9B2769D2CA7, 0xBC8F94340071A38E,
        0x3FF5342B569D4F82, 0xBC78DEC6BD0F385F, 0x3FF56F4736B527DA, 0x3C93350518FDD78E,
        0x3FF5AB07DD485429, 0x3C9063E1E21C5409, 0x3FF5E76F15AD2148, 0x3C9432E62B64C035,
        0x3FF6247EB03A5585, 0xBC8C33C53BEF4DA8, 0x3FF6623882552225, 0xBC93CEDD78565858,
        0x3FF6A09E667F3BCD, 0xBC93B3EFBF5E2228, 0x3FF6DFB23C651A2F, 0xBC6367EFB86DA9EE,
        0x3FF71F75E8EC5F74, 0xBC781F647E5A3ECF, 0x3FF75FEB564267C9, 0xBC8619321E55E68A,
        0x3FF7A11473EB0187, 0xBC7B32DCB94DA51D, 0x3FF7E2F336CF4E62, 0x3C65EBE1ABD66C55,
        0x3FF82589994CCE13, 0xBC9369B6F13B3734, 0x3FF868D99B4492ED, 0xBC94D450D872576E,
        0x3FF8ACE5422AA0DB, 0x3C8DB72FC1F0EAB4, 0x3FF8F1AE99157736, 0x3C7BF68359F35F44,
        0x3FF93737B0CDC5E5, 0xBC5DA9B88B6C1E29, 0x3FF97D829FDE4E50, 0xBC92434322F4F9AA,
        0x3FF9C49182A3F090, 0x3C71AFFC2B91CE27, 0x3FFA0C667B5DE565, 0xBC87C50422622263,
        0x3FFA5503B23E255D, 0xBC91BBD1D3BCBB15, 0x3FFA9E6B5579FDBF, 0x3C8469846E735AB3,
        0x3FFAE89F995AD3AD, 0x3C8C1A7792CB3387, 0x3FFB33A2B84F15FB, 0xBC55C3D956DCAEBA,
        0x3FFB7F76F2FB5E47, 0xBC68D6F438AD9334, 0x3FFBCC1E904BC1D2, 0x3C74FFD70A5FDDCD,
        0x3FFC199BDD85529C, 0x3C736EAE30AF0CB3, 0x3FFC67F12E57D14B, 0x3C84E08FD10959AC,
        0x3FFCB720DCEF9069, 0x3C676B2C6C921968, 0x3FFD072D4A07897C, 0xBC8FAD5D3FFFFA6F,
        0x3FFD5818DCFBA487, 0x3C74A385A63D07A7, 0x3FFDA9E603DB3285, 0x3C8E5A50D5C192AC,
        0x3FFDFC97337B9B5F, 0xBC82D52107B43E1F, 0x3FFE502EE78B3FF6, 0x3C74B604603A88D3,
        0x3FFEA4AFA2A490DA, 0xBC8FF7128FD391F0, 0x3FFEFA1BEE615A27, 0x3C8EC3BC41AA2008,
        0x3FFF50765B6E4540, 0x3C8A64A931D185EE, 0x3FFFA7C1819E90D8, 0x3C77893B4D91CD9D,
]
