import PopCode

/// What later tools (the report) need from a finished run besides its metrics, saved as
/// `arrays.npz` beside `metrics.json` (`arrayFiles`; the oldest folders hold it as
/// `artifacts.json`, this type's Codable form).
public struct RunArtifacts: Sendable, Hashable, Codable {
    public var schema = "popcode.artifacts/1"
    public var id: String
    public var parameters: Parameters
    /// Test-set m̂ after training and the test latents `(x, y, θ)`.
    public var testImplicit: Matrix
    public var testLatents: Matrix
    /// The first test images and their reconstructions.
    public var sampleImages: Matrix
    public var sampleReconstructions: Matrix
    /// Test-set m̂ at a few epochs through training.
    public var snapshots: [ImplicitSnapshot]

    public init(_ result: RunResult, id: String) {
        self.id = id
        parameters = result.parameters
        testImplicit = result.testImplicit
        testLatents = result.testLatents
        sampleImages = result.sampleImages
        sampleReconstructions = result.sampleReconstructions
        snapshots = result.snapshots
    }

    enum CodingKeys: String, CodingKey {
        case schema, id, parameters, snapshots
        case testImplicit = "test_implicit"
        case testLatents = "test_latents"
        case sampleImages = "sample_images"
        case sampleReconstructions = "sample_reconstructions"
    }
}

extension RunArtifacts {
    /// The arrays as `.npy` files, the entries of the run's `arrays.npz` (the float64 values
    /// as they are, except the snapshots, rounded to float32: they are for pictures, and the
    /// final m̂ is kept exactly in `test_implicit.npy`). `np.load` names each by its entry
    /// without `.npy`.
    ///
    /// | file | shape | dtype |
    /// |---|---|---|
    /// | `W1.npy`, `W2.npy`, `mu.npy`, `Wd.npy` | as the parameter | float64 |
    /// | `b1.npy`, `b2.npy`, `bd.npy` | (n,) | float64 |
    /// | `test_implicit.npy`, `test_latents.npy` | (n_test, K), (n_test, the task's latent count) | float64 |
    /// | `sample_images.npy`, `sample_reconstructions.npy` | (16, 64) | float64 |
    /// | `snapshots.npy`, `snapshot_epochs.npy` | (S, n_test, K), (S,) | float32, int64 |
    public var arrayFiles: [(name: String, file: NPYFile)] {
        var files: [(String, NPYFile)] = zip(Parameters.names, parameters.all).map { name, matrix in
            let isBias = name.hasPrefix("b")
            return (name + ".npy", isBias ? NPYFile(shape: [matrix.columns], values: matrix.storage) : NPYFile(matrix))
        }
        files.append(("test_implicit.npy", NPYFile(testImplicit)))
        files.append(("test_latents.npy", NPYFile(testLatents)))
        files.append(("sample_images.npy", NPYFile(sampleImages)))
        files.append(("sample_reconstructions.npy", NPYFile(sampleReconstructions)))
        let rows = snapshots.first?.implicit.rows ?? testImplicit.rows
        let columns = snapshots.first?.implicit.columns ?? testImplicit.columns
        let uniform = snapshots.allSatisfy { $0.implicit.rows == rows && $0.implicit.columns == columns }
        precondition(uniform, "RunArtifacts: snapshots of different shapes")
        files.append(("snapshots.npy", NPYFile(shape: [snapshots.count, rows, columns], elementType: .float32,
                                               values: snapshots.flatMap(\.implicit.storage))))
        files.append(("snapshot_epochs.npy", NPYFile(shape: [snapshots.count], elementType: .int64,
                                                     values: snapshots.map { Double($0.epoch) })))
        return files
    }

    /// The names of `arrayFiles`: the entries of `arrays.npz`, and the files of a folder
    /// written before it.
    public static let arrayFileNames = Parameters.names.map { $0 + ".npy" } + [
        "test_implicit.npy", "test_latents.npy", "sample_images.npy", "sample_reconstructions.npy",
        "snapshots.npy", "snapshot_epochs.npy",
    ]

    /// The artifacts read back from `arrayFiles` (by entry or file name).
    public init(id: String, arrays: [String: NPYFile]) throws(NPYFile.FormatError) {
        func array(_ name: String) throws(NPYFile.FormatError) -> NPYFile {
            guard let file = arrays[name] else { throw NPYFile.FormatError(reason: "\(name) is missing") }
            return file
        }
        var matrices: [Matrix] = []
        for name in Parameters.names { matrices.append(try array(name + ".npy").matrix) }
        self.id = id
        parameters = Parameters(w1: matrices[0], b1: matrices[1], w2: matrices[2], b2: matrices[3],
                                mu: matrices[4], wd: matrices[5], bd: matrices[6])
        testImplicit = try array("test_implicit.npy").matrix
        testLatents = try array("test_latents.npy").matrix
        sampleImages = try array("sample_images.npy").matrix
        sampleReconstructions = try array("sample_reconstructions.npy").matrix
        let stack = try array("snapshots.npy"), epochs = try array("snapshot_epochs.npy")
        guard stack.shape.count == 3, epochs.shape == [stack.shape[0]] else {
            throw NPYFile.FormatError(reason: "snapshots.npy has shape \(stack.shape) for \(epochs.values.count) epochs")
        }
        let size = stack.shape[1] * stack.shape[2]
        snapshots = epochs.values.enumerated().map { s, epoch in
            ImplicitSnapshot(epoch: Int(epoch),
                             implicit: Matrix(rows: stack.shape[1], columns: stack.shape[2],
                                              storage: Array(stack.values[(s * size)..<((s + 1) * size)])))
        }
    }
}
