#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Images of dipoles: on an 8×8 grid, a positive and a negative Gaussian blob 2 px apart,
/// centred at (x, y) and turned by θ.
///
/// Pixel (row r, column c), flattened row-major as `r · 8 + c`, holds
/// `exp(-((r − y⁺)² + (c − x⁺)²) / 2s²) − exp(-((r − y⁻)² + (c − x⁻)²) / 2s²)` with blob
/// width s = 0.55 and blob centres `(x, y) ± (cos θ, sin θ)`. The draws and arithmetic
/// follow the numpy baseline step by step so that the images equal it bit for bit.
public struct DipoleData: Sendable, Hashable {
    public static let size = 8
    public static let pixelCount = size * size
    public static let separation = 2.0
    public static let blobSigma = 0.55
    /// The dipole centre stays this many pixels away from the border.
    public static let pad = 1.5

    /// The images, one per row (`count × 64`).
    public let images: Matrix
    /// The latents, one row `(x, y, θ)` per image (`count × 3`).
    public let latents: Matrix

    public var count: Int { images.rows }

    /// `count` dipoles from numpy's `default_rng(seed)`: all x, then all y (uniform in
    /// [1.5, 5.5]), then all θ (uniform in [0, π)).
    public init(count: Int, seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        let high = Double(Self.size - 1) - Self.pad
        let xs = rng.uniform(low: Self.pad, high: high, count: count)
        let ys = rng.uniform(low: Self.pad, high: high, count: count)
        let thetas = rng.uniform(low: 0, high: Double.pi, count: count)

        let half = Self.separation / 2
        let twoS2 = 2 * (Self.blobSigma * Self.blobSigma)
        var images = Matrix(rows: count, columns: Self.pixelCount)
        var latents = Matrix(rows: count, columns: 3)
        for n in 0..<count {
            let (x, y, theta) = (xs[n], ys[n], thetas[n])
            latents[n, 0] = x
            latents[n, 1] = y
            latents[n, 2] = theta
            let dx = half * cos(theta), dy = half * sin(theta)
            for r in 0..<Self.size {
                let row = Double(r)
                let rp = row - (y + dy), rn = row - (y - dy)
                for c in 0..<Self.size {
                    let col = Double(c)
                    let cp = col - (x + dx), cn = col - (x - dx)
                    let positive = NumpyMath.exp(-(rp * rp + cp * cp) / twoS2)
                    let negative = NumpyMath.exp(-(rn * rn + cn * cn) / twoS2)
                    images[n, r * Self.size + c] = positive - negative
                }
            }
        }
        self.images = images
        self.latents = latents
    }
}
