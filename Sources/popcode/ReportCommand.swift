import ArgumentParser
import Foundation
import PopCodeRunner

/// `popcode report`: the HTML report of one or more experiment folders.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of one or more experiment folders.",
        discussion: """
            One page with inline SVG and CSS (no scripts, no network, printable): the comparison \
            table per run and grouped over seeds, training curves, final metrics by configuration \
            with error bars across seeds, and pictures of one run: inputs and reconstructions, the \
            test-set m̂ in 2-D projections and in 3-D, its singular values and its snapshots \
            during training. Failed runs are listed with their reason.

            Examples:
              popcode report runs/sigma                      writes runs/sigma/report.html
              popcode report runs/sigma --run seed=1,sigma=0.12
              popcode report runs/sigma runs/lr --out both.html
            """)

    @Argument(help: ArgumentHelp("Experiment folders (runs/<experiment>) or single run folders.", valueName: "folder"))
    var folders: [String]

    @Option(help: ArgumentHelp("Where to write the page (default: FOLDER/report.html; needed with several folders).",
                               valueName: "file"))
    var out: String?

    @Option(name: .customLong("run"),
            help: ArgumentHelp("The run to show in detail: its folder name, experiment/name or id "
                               + "(default: the completed run with the lowest test MSE).", valueName: "run"))
    var detailRun: String?

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("give at least one experiment folder") }
        guard folders.count == 1 || out != nil else {
            throw ValidationError("several folders: say where the report goes with --out FILE")
        }
    }

    func run() throws {
        let urls = folders.map { URL(fileURLWithPath: $0) }
        do {
            let written = try ReportBuilder.write(for: urls, run: detailRun, to: out.map { URL(fileURLWithPath: $0) })
            print("wrote \(written.relativePath)")
        } catch {
            printError("error: \(error)")
            throw ExitStatus.usage.exitCode
        }
    }
}
