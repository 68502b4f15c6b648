import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

/// The hand-written JSON of specs, planned runs and experiment records reads back, through
/// Foundation's decoder, as the values it was written from.
struct CompactJSONTests {
    /// Specs of every model, task and precision, with awkward doubles.
    static let specs: [RunSpec] = [
        RunSpec(),
        RunSpec(seed: 4_294_967_295, epochs: 0, lr: 1e-05, sigma: 0.1 + 0.2),
        RunSpec(nImplicit: 2, lr: 5e+20, sigma: 1.0 / 3.0, task: .bars, model: .mdl, codeWeight: 0,
                codeWarmup: 0, activityNoise: 2.5e-310),
        RunSpec(task: .dipolePosition, precision: .float32),
    ]

    @Test func specsReadBackEqual() throws {
        for spec in Self.specs {
            let text = CompactJSON.spec(spec)
            let decoded = try JSONCoding.decoder.decode(RunSpec.self, from: Data(text.utf8))
            #expect(decoded == spec, "\(text)")
            // The same keys as the Encodable conformance writes (a bottleneck spec has no code_weight).
            let keys = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
            let encoded = try JSONSerialization.jsonObject(with: JSONCoding.compactEncoder.encode(spec)) as! [String: Any]
            #expect(Set(keys.keys) == Set(encoded.keys))
        }
        #expect(CompactJSON.spec(RunSpec()).hasPrefix("{\"batch_size\":64,\"epochs\":200,"))
    }

    @Test func valueForKeyAgreesWithTheKeysField() {
        for spec in Self.specs {
            for key in RunSpec.CodingKeys.allCases {
                let viaField: SpecValue = switch key.field {
                case .integer(let path): .int(spec[keyPath: path])
                case .real(let path): .double(spec[keyPath: path])
                case .choice(let choice): .string(choice.get(spec))
                }
                #expect(spec.value(for: key) == viaField, "\(key)")
            }
        }
    }

    @Test func plannedRunsOfASweepReadBackEqual() throws {
        let experiment = try ExperimentLoader.parse(text: """
            name: mixed
            model: [bottleneck, mdl]
            code_weight: [0.1, 0.3]
            task: [dipole-3d, bars]
            seed: [0, 1]
            lr: [0.1, 0.001]
            """, displayName: "mixed.yaml")
        let runs = experiment.expand()
        #expect(runs.count > 8)
        for run in runs {
            let text = CompactJSON.plannedRun(run)
            #expect(try JSONCoding.decoder.decode(PlannedRun.self, from: Data(text.utf8)) == run, "\(text)")
        }
    }

    @Test func stringsAreEscaped() throws {
        var text = ""
        CompactJSON.appendString("a\"b\\c\n\u{1}é", to: &text)
        #expect(text == #""a\"b\\c\n\u0001é""#)
        #expect(try JSONDecoder().decode(String.self, from: Data(text.utf8)) == "a\"b\\c\n\u{1}é")
    }

    @Test func experimentRecordsReadBackEqualWithOneRunPerLine() throws {
        let experiment = try ExperimentLoader.parse(text: "name: grid\nseed: [0, 1, 2]\nsigma: [0.1, 0.2]\n",
                                                    displayName: "grid.yaml")
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for runs in [experiment.expand(), []] {
            let record = ExperimentRecord(name: "grid", source: "grid.yaml", overrides: ["epochs=3"],
                                          experiment: experiment, runs: runs)
            try record.write(to: folder)
            #expect(try ExperimentRecord.read(from: folder) == record)
            let text = try String(contentsOf: folder.appendingPathComponent(ExperimentRecord.fileName), encoding: .utf8)
            let lines = text.split(separator: "\n")
            #expect(lines.filter { $0.hasPrefix("    {\"id\":") }.count == runs.count)
            #expect(text.contains("\"name\" : \"grid\""))
        }
    }
}
