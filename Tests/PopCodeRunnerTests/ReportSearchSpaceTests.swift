import Foundation
import PopCodeSVG
import Testing
@testable import PopCode
@testable import PopCodeRunner

/// The report's search-space plots: parallel coordinates and slices, from the experiment
/// record and the runs on disk.
struct ReportSearchSpaceTests {
    static let sampled = """
        name: sampled
        lr: {loguniform: [0.01, 1]}
        sigma: {uniform: [0.1, 0.4]}
        batch_size: {choice: [8, 16]}
        seed: [0, 1]
        search: {method: random, samples: 5}
        epochs: 3
        n_train: 48
        n_test: 24
        n_hidden: 12
        n_implicit: 2
        n_enc_hidden: 8
        """

    /// The part of `html` inside `<section id="search-space">`.
    static func searchSpace(_ html: String) throws -> String {
        let start = try #require(html.range(of: "<section id=\"search-space\">"))
        let rest = html[start.upperBound...]
        return String(rest[..<(try #require(rest.range(of: "</section>"))).lowerBound])
    }

    @Test func aSampledSearchGetsOneLinePerConfigurationAndASliceWithALogAxisForLoguniform() throws {
        let spec = try ExperimentLoader.parse(text: Self.sampled, displayName: "sampled.yaml")
        let sweep = Sweep(experiment: spec, runsDirectory: temporaryFolder())
        _ = Scheduler.run(sweep.runs.map { sweep.request(for: $0, checkpoints: .whenStopped) }, concurrency: 2)
        try sweep.writeRecord(source: nil, overrides: [])

        // Each configuration's values are its two seeds' test MSE (runs: configurations outermost, seeds fastest).
        let record = try ExperimentRecord.read(from: sweep.folder)
        let runs = try RunFolderScan.runs(in: [sweep.folder])
        let space = try #require(ReportSearchSpace.space(record, runs: runs))
        #expect(space.metric == .testMSE && space.goal == .minimize && space.points.count == 5)
        #expect(space.keys.map(\.key) == [.lr, .sigma, .batchSize])
        #expect(space.keys.map(\.scale) == [.logarithmic(-2...0), .linear(0.1...0.4), .categories(["8", "16"])])
        for (c, point) in space.points.enumerated() {
            let expected = try [0, 1].map { try #require(try sweep.runFolder(sweep.runs[2 * c + $0]).metrics()?.final?.testMSE) }
            #expect(point.values == expected)
        }

        let html = try ReportBuilder.html(for: [sweep.folder])
        #expect(html.contains("<a href=\"#search-space\">Search space</a>") && !html.contains("href=\"#search\""))
        let section = try Self.searchSpace(html)
        #expect(section.components(separatedBy: "<polyline ").count - 1 == 5)
        // Three slices (lr, sigma, batch_size): lr's ticks at 1, 2, 5 × 10ᵏ from 0.01 to 1;
        // batch_size's at its two choices.
        #expect(section.contains("test_mse against lr") && section.contains("test_mse against sigma")
                && section.contains("test_mse against batch_size"))
        for label in ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"] { #expect(section.contains(">\(label)</text>")) }
        #expect(section.contains("lr (log scale)") && section.contains("lr is drawn on a log axis"))
        let lr = ReportSearchSpace.slice(space, key: space.keys[0])
        #expect(lr.x.ticks == .logarithmic && lr.xDomain == -2...0)
        let batch = ReportSearchSpace.slice(space, key: space.keys[2])
        #expect(batch.x.resolvedTicks(in: batch.xDomain!).map(\.label) == ["8", "16"])
    }

    @Test func aPlainGridHasNoSearchSpaceSection() throws {
        let spec = try ExperimentLoader.parse(text: """
            name: grid
            lr: [0.05, 0.1]
            epochs: 2
            n_train: 48
            n_test: 24
            n_hidden: 12
            n_implicit: 2
            n_enc_hidden: 8
            batch_size: 16
            """, displayName: "grid.yaml")
        let sweep = Sweep(experiment: spec, runsDirectory: temporaryFolder())
        _ = Scheduler.run(sweep.runs.map { sweep.request(for: $0, checkpoints: .whenStopped) }, concurrency: 2)
        try sweep.writeRecord(source: nil, overrides: [])
        let html = try ReportBuilder.html(for: [sweep.folder])
        #expect(!html.contains("search-space") && !html.contains("#search\"") && !html.contains("id=\"search\""))
    }
}
