import PopCode

/// What later tools (the report) need from a finished run besides its metrics, saved as
/// `artifacts.json` beside `metrics.json`.
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
