import ArgumentParser
import Foundation
import PopCode
import PopCodeRunner

/// `popcode train`: one run from command-line flags.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one run and write its metrics.json.",
        discussion: """
            Every hyperparameter has a flag; unset ones take the published defaults. \
            Writes OUT/metrics.json (the result) and OUT/arrays.npz, the arrays numpy loads \
            (learned weights, test-set m̂, reconstructions, m̂ snapshots) atomically. A run interrupted with Ctrl-C keeps a \
            checkpoint in OUT and resumes from it when the same command is run again.

            Example:
              popcode train --seed 1 --epochs 200 --sigma 0.18 --out runs/seed1
            """)

    @OptionGroup(title: "Hyperparameters") var hyper: SpecOptions

    @Option(name: .long, help: ArgumentHelp("Folder for metrics.json and arrays.npz.", valueName: "dir"))
    var out: String?

    @OptionGroup var training: TrainingOptions

    @Flag(help: "Replace results already in the output folder.")
    var force = false


    @OptionGroup var provenance: ProvenanceOptions

    func validate() throws {
        if let flag = hyper.inapplicableFlags.first {
            throw ValidationError("\(flag) applies only to --model mdl, not \(hyper.model.rawValue)")
        }
        do { try hyper.spec.validate() } catch {
            throw ValidationError("\(SpecOptions.flag(error.key)) \(error.message)")
        }
    }

    func run() throws {
        try provenance.check()
        let spec = hyper.spec
        let id = spec.id
        let folder = RunFolder(URL(fileURLWithPath: out ?? "runs/train/seed=\(spec.seed)"))
        let run = PlannedRun(index: 0, spec: spec, id: id, label: folder.url.lastPathComponent, sweptValues: [])
        let state = folder.state(expecting: id)
        let policy = RunPolicy([(run, state, folder.url.relativePath)], force: force)
        if !policy.conflicts.isEmpty {
            printError("error: " + RunPolicy.refusal(policy.conflicts.map(\.description),
                                                     remedies: ["choose another --out", "pass --force to replace it"]))
            throw ExitStatus.usage.exitCode
        }
        if !policy.skipped.isEmpty, case .completed(let existing) = state {
            print("\(folder.url.relativePath): already completed (id \(id)); --force to train again")
            print(RunSummary.line(existing))
            return
        }
        let stop = StopSignal.install()
        let display = ProgressLine(enabled: !training.quiet)
        let outcome = try RunExecutor.execute(
            RunRequest(spec: spec, id: id, folder: folder, checkpoints: training.checkpoints, replacing: force),
            progress: { display.update("epoch \($0.epochsDone)/\($0.epochs)  loss \(format($0.loss))"
                                       + ($0.mse.map { "  mse \(format($0))" } ?? "")) },
            note: { printError("note: \($0)") },
            shouldStop: { stop.requested })
        display.finish()
        switch outcome {
        case .completed(let metrics):
            print(RunSummary.line(metrics))
            if !training.quiet { print("wrote \(folder.metricsURL.relativePath)") }
        case .completedElsewhere(let metrics):
            print("\(folder.url.relativePath): completed by another process meanwhile (id \(id))")
            print(RunSummary.line(metrics))
        case .busy(let holder):
            // Not reached: this request waits for the lock.
            printError("error: \(holder) is training \(folder.url.relativePath)")
            throw ExitStatus.runsFailed.exitCode
        case .failed(let metrics):
            printError("run failed: \(metrics.error?.reason ?? "unknown")")
            throw ExitStatus.runsFailed.exitCode
        case .interrupted(let epochs):
            printError("interrupted at epoch \(epochs); checkpoint saved, run the same command to resume")
            throw ExitCode(130)
        }
    }
}

private func format(_ x: Double) -> String { String(format: "%.5f", x) }
