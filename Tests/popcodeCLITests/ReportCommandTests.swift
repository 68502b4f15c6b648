import Foundation
import Testing

/// `popcode report` end to end: the page it writes and its exit status.
@Suite(.serialized) struct ReportCommandTests {
    @Test func theReportIsWrittenBesideTheRuns() throws {
        let dir = try CLI.workspace(["tiny.yaml": "name: tiny\nseed: [0, 1]\n" + CLI.tinyKeys])
        #expect(try CLI.run(["run", "tiny.yaml", "--quiet"], in: dir).status == 0)
        let result = try CLI.run(["report", "runs/tiny"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "wrote runs/tiny/report.html\n")
        let page = try String(contentsOf: dir.appendingPathComponent("runs/tiny/report.html"), encoding: .utf8)
        #expect(page.contains("data-run=\"tiny/seed=0\"") && page.contains("data-run=\"tiny/seed=1\""))

        let chosen = try CLI.run(["report", "runs/tiny", "--run", "seed=0", "--out", "chosen.html"], in: dir)
        #expect(chosen.status == 0 && chosen.stdout == "wrote chosen.html\n")
        let other = try String(contentsOf: dir.appendingPathComponent("chosen.html"), encoding: .utf8)
        #expect(other.contains("<h2>Run seed=0</h2>"))
    }

    @Test func badInputIsAUsageError() throws {
        let dir = try CLI.workspace(["tiny.yaml": "name: tiny\nseed: 0\n" + CLI.tinyKeys])
        #expect(try CLI.run(["run", "tiny.yaml", "--quiet"], in: dir).status == 0)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let empty = try CLI.run(["report", "empty"], in: dir)
        #expect(empty.status == 2)
        #expect(empty.stderr == "error: empty: no runs found (a run is a folder with metrics.json)\n")
        let unknown = try CLI.run(["report", "runs/tiny", "--run", "nope"], in: dir)
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "error: no run 'nope'; runs are: run\n")
        let several = try CLI.run(["report", "runs/tiny", "runs/tiny"], in: dir)
        #expect(several.status == 2 && several.stderr.contains("--out"))
        #expect(try CLI.run(["report"], in: dir).status == 2)
    }
}
