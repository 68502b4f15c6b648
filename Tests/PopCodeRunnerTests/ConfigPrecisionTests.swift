import Foundation
@testable import PopCode
import Testing
@testable import PopCodeRunner

@Suite("The precision key")
struct ConfigPrecisionTests {
    /// float64 (the default) leaves every id as it was; float32 is part of the id (golden id
    /// computed independently with Python's FNV-1a).
    @Test func float32IsPartOfTheIdAndFloat64IsNot() {
        #expect(RunSpec(precision: .float64).id == "64c2e3fecc1e9317")
        let single = RunSpec(precision: .float32)
        #expect(single.canonicalText == "batch_size=64,epochs=200,history_every=1,lr=0.1,n_enc_hidden=64,n_hidden=225,n_implicit=3,n_test=500,n_train=2000,precision=float32,seed=0,sigma=0.18")
        #expect(single.id == "8d63b772038253f9")
    }

    @Test func precisionSweepsAndRoundTripsThroughJSON() throws {
        let runs = try parseExperiment("name: g\nprecision: [float64, float32]\n").expand()
        #expect(runs.map(\.spec.precision) == [.float64, .float32])
        #expect(runs.map(\.label) == ["precision=float64", "precision=float32"])
        let data = try JSONCoding.encoder.encode(runs[1].spec)
        #expect(try JSONCoding.decoder.decode(RunSpec.self, from: data) == runs[1].spec)
        // Specs stored before the key existed decode as float64.
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        object.removeValue(forKey: "precision")
        let old = try JSONSerialization.data(withJSONObject: object)
        #expect(try JSONCoding.decoder.decode(RunSpec.self, from: old).precision == .float64)
    }

    @Test func unknownPrecisionsAndTheMdlModelAreLocatedErrors() {
        #expect(experimentErrorText("name: g\nprecision: float16\n").hasPrefix("x.yaml:2:12: error:"))
        #expect(experimentErrorText("name: g\nprecision: float16\n").contains("float32"))
        #expect(throws: RunSpecError(key: .precision, message: "float32 is implemented for model bottleneck only, not mdl")) {
            try RunSpec(model: .mdl, precision: .float32).validate()
        }
    }
}
