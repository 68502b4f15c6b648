import Foundation
import PopCode
import Testing
@testable import PopCodeRunner

/// The report of a run is task-aware: m̂ coloured by the task's latents (the class for bars),
/// a 2-D scatter for K = 2, the top three principal components for K > 3, all K singular values.
struct ReportFamilyTests {
    static func count(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    /// `root/exp/run` holding a real (tiny) trained run of `spec`.
    static func experiment(_ spec: RunSpec, name: String = #function) throws -> URL {
        let root = ReportFixtures.folder(name)
        let result = try Trainer.train(spec)
        let folder = RunFolder(root.appendingPathComponent("exp/run"))
        try folder.write(MetricsDocument.completed(result, id: spec.id, experiment: "exp", label: "run",
                                                   timing: .init(trainSeconds: 1), environment: ReportFixtures.environment))
        try folder.write(RunArtifacts(result, id: spec.id))
        return root.appendingPathComponent("exp")
    }

    static func tiny(task: TaskKind, model: ModelKind = .bottleneck, k: Int) -> RunSpec {
        RunSpec(epochs: 3, nTrain: 40, nTest: 30, nHidden: 12, nImplicit: k, nEncHidden: 6, batchSize: 20,
                sigma: 0.3, task: task, model: model)
    }

    @Test func barsAreColouredByClassAndPositionIn2D() throws {
        let page = try ReportBuilder.html(for: [try Self.experiment(Self.tiny(task: .bars, k: 2))])
        #expect(page.contains("coloured by class (vertical or horizontal bar)"))
        #expect(page.contains("coloured by the bar's position"))
        #expect(!page.contains("coloured by θ"))
        #expect(page.contains(">horizontal bar<") && page.contains(">vertical bar<"))
        #expect(page.contains("m̂₂ against m̂₁") && !page.contains("m̂₃ against"))
        #expect(page.contains("A 3-D view needs m̂ with three dimensions; this run's has 2."))
        #expect(page.contains("R² vertical, position"))
        // Both class colours are used by the points.
        let (horizontal, vertical) = LatentColouring.classColors
        #expect(page.contains(horizontal.css) && page.contains(vertical.css))
        #expect(page.contains("the bar's class (vertical or horizontal) and position"))
    }

    @Test func wideCodesShowTheirTopThreeComponentsAndEverySingularValue() throws {
        let page = try ReportBuilder.html(for: [try Self.experiment(Self.tiny(task: .dipole3D, model: .mdl, k: 10))])
        #expect(page.contains("PC₂ against PC₁") && page.contains("PC₃ against PC₂"))
        #expect(page.contains("top three principal components of the test-set m̂ (K = 10)"))
        #expect(page.contains("all 10 singular values"))
        for i in 1...10 { #expect(page.contains(">s" + RunFigures.subscripted(i) + "<"), "tick s\(i)") }
        #expect(page.contains("coloured by θ (orientation)"))
        #expect(page.contains("code cost"))
    }

    @Test func theSisterProblemIsColouredByXAndYOnly() throws {
        let page = try ReportBuilder.html(for: [try Self.experiment(Self.tiny(task: .dipolePosition, k: 2))])
        #expect(page.contains("coloured by x (horizontal position)") && page.contains("coloured by y (vertical position)"))
        #expect(!page.contains("coloured by θ"))
        #expect(page.contains("θ is 0"))
    }
}
