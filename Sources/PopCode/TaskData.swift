/// The images of one task with their latents and the regression targets R² is measured on.
///
/// Every task draws from numpy's `default_rng(seed)` in the reference's order
/// (`popcode_family.make_data`) and computes each pixel with the same operations, so the
/// images, latents and targets equal the reference's bit for bit.
public struct TaskData: Sendable, Hashable {
    public let task: TaskKind
    /// The images, one per row (`count × 64`).
    public let images: Matrix
    /// The generator's latents, one row per image: `(x, y, θ)` for dipole-3d, `(x, y)` for
    /// dipole-position, `(vertical, position)` for bars (vertical is 1 or 0).
    public let latents: Matrix
    /// What m̂ should be able to predict, one row per image, columns named `task.targetNames`.
    public let targets: Matrix

    public var count: Int { images.rows }

    /// `count` images of `task` from `default_rng(seed)`.
    public init(task: TaskKind, count: Int, seed: UInt64) {
        self.task = task
        switch task {
        case .dipole3D:
            let data = DipoleData(count: count, seed: seed)
            images = data.images
            latents = data.latents
            targets = Metrics.targets(latents: data.latents)
        case .dipolePosition:
            (images, latents) = Self.dipolePositions(count: count, seed: seed)
            targets = latents
        case .bars:
            (images, latents) = Self.bars(count: count, seed: seed)
            targets = latents
        }
    }

    /// The dipole of `DipoleData` with θ = 0: all x, then all y (uniform in [1.5, 5.5]); pixel
    /// `(r, c)` holds `exp(-((r − y)² + (c − (x + 1))²) / 2s²) − exp(-((r − y)² + (c − (x − 1))²) / 2s²)`.
    private static func dipolePositions(count: Int, seed: UInt64) -> (Matrix, Matrix) {
        var rng = RandomGenerator(seed: seed)
        let size = DipoleData.size
        let high = Double(size - 1) - DipoleData.pad
        let xs = rng.uniform(low: DipoleData.pad, high: high, count: count)
        let ys = rng.uniform(low: DipoleData.pad, high: high, count: count)
        let half = DipoleData.separation / 2
        let twoS2 = 2 * (DipoleData.blobSigma * DipoleData.blobSigma)
        var images = Matrix(rows: count, columns: DipoleData.pixelCount)
        var latents = Matrix(rows: count, columns: 2)
        for n in 0..<count {
            let (x, y) = (xs[n], ys[n])
            latents[n, 0] = x
            latents[n, 1] = y
            for r in 0..<size {
                let dr = Double(r) - y
                for c in 0..<size {
                    let cp = Double(c) - (x + half), cn = Double(c) - (x - half)
                    let positive = NumpyMath.exp(-(dr * dr + cp * cp) / twoS2)
                    let negative = NumpyMath.exp(-(dr * dr + cn * cn) / twoS2)
                    images[n, r * size + c] = positive - negative
                }
            }
        }
        return (images, latents)
    }

    /// "What and where": all classes first (vertical when a uniform draw in [0, 1) is below
    /// 0.5), then all positions p (uniform in [1.5, 5.5]); a vertical bar has pixel `(r, c)` =
    /// `exp(-(c − p)² / 2s²)`, a horizontal one `exp(-(r − p)² / 2s²)`.
    private static func bars(count: Int, seed: UInt64) -> (Matrix, Matrix) {
        var rng = RandomGenerator(seed: seed)
        let size = DipoleData.size
        let vertical = rng.uniform(low: 0, high: 1, count: count).map { $0 < 0.5 }
        let positions = rng.uniform(low: DipoleData.pad, high: Double(size - 1) - DipoleData.pad, count: count)
        let twoS2 = 2 * (DipoleData.blobSigma * DipoleData.blobSigma)
        var images = Matrix(rows: count, columns: DipoleData.pixelCount)
        var latents = Matrix(rows: count, columns: 2)
        for n in 0..<count {
            let p = positions[n]
            latents[n, 0] = vertical[n] ? 1 : 0
            latents[n, 1] = p
            // The profile across the bar, one value per row or column.
            let profile = (0..<size).map { i -> Double in
                let d = Double(i) - p
                return NumpyMath.exp(-(d * d) / twoS2) * 1.0
            }
            for r in 0..<size {
                for c in 0..<size { images[n, r * size + c] = vertical[n] ? profile[c] : profile[r] }
            }
        }
        return (images, latents)
    }
}

extension TaskKind {
    /// The names of the regression targets, in column order.
    public var targetNames: [String] {
        switch self {
        case .dipole3D: ["x", "y", "cos2theta", "sin2theta"]
        case .dipolePosition: ["x", "y"]
        case .bars: ["vertical", "position"]
        }
    }

    /// The number of latents the generator draws per image.
    public var latentCount: Int {
        switch self {
        case .dipole3D: 3
        case .dipolePosition, .bars: 2
        }
    }
}
