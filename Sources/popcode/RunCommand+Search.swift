import ArgumentParser
import Foundation
import PopCodeRunner

/// `popcode run` on a halving search: round after round, each asked of
/// `HalvingSearch` (through `Sweep.searchState()`), until the winner is known.
extension RunCommand {
    func runSearch(_ plan: Sweep) throws {
        if index != nil || shard != nil {
            printError("error: --index and --shard split a fixed plan; a halving search decides its rounds as it goes")
            throw ExitStatus.usage.exitCode
        }
        if force {
            printError("error: --force would retrain runs the search already decided on; rename the experiment "
                       + "(--set name=...) or remove \(plan.folder.relativePath) to start the search again")
            throw ExitStatus.usage.exitCode
        }
        let jobs = options.concurrency
        let stop = StopSignal.install()
        var failed = 0
        var state = plan.searchState()!
        AtomicFile.removeLeftovers(in: plan.folder)  // a summary half-written when the last run was killed
        let waiting = Set(state.pending)
        for run in state.runs where !waiting.contains(run.run.label) { RunLock.clearStaleNote(in: plan.runFolder(run.run).url) }
        while true {
            do {
                try plan.writeRecord(source: file, overrides: sweep.overrides, search: state)
            } catch {
                printError("error: \(error.description)")
                throw ExitStatus.usage.exitCode
            }
            plan.removeSpentFinalStates(state)
            let pending = state.pendingRuns
            guard !pending.isEmpty else { break }
            let policy = RunPolicy(plan, selection: pending.map(\.run))
            if !policy.conflicts.isEmpty {
                printError("error: " + RunPolicy.refusal(policy.conflicts.map(\.description)))
                throw ExitStatus.usage.exitCode
            }
            for run in pending { AtomicFile.removeLeftovers(in: plan.runFolder(run.run).url) }
            if !options.quiet { printError(SearchProgressText.line(state, training: pending.count, jobs: jobs)) }
            let progress = SweepProgress(labels: pending.map(\.run.label), epochs: pending.map(\.run.spec.epochs), quiet: options.quiet)
            let results = Scheduler.run(pending.map { plan.request(for: $0, checkpoints: options.checkpoints) },
                                        concurrency: jobs, stop: stop, events: progress.handle)
            progress.finish()
            failed += results.filter {
                switch $0 {
                case .outcome(.failed): true
                default: false
                }
            }.count
            let storage = results.compactMap { if case .storageFailed(let why) = $0 { why } else { nil } }
            if let why = storage.first {
                printError("error: a run could not be written (\(why)); the search stops here, the same command resumes it")
                throw ExitStatus.runsFailed.exitCode
            }
            if stop.requested {
                printError("interrupted: the search stops after this round's finished runs; run the same command to resume")
                throw ExitCode(130)
            }
            state = plan.searchState()!
        }
        let records = plan.records()
        if !records.isEmpty {
            do {
                try ExperimentSummaries.write(records, search: state, to: plan.folder)
                if !options.quiet { printError("wrote \(plan.folder.relativePath)/comparison.{md,csv,json} and report.html") }
            } catch .comparison(let error) {
                printError("error: \(error.description)")
                throw ExitStatus.runsFailed.exitCode
            } catch {
                printError("warning: \(error.description)")
            }
            let comparison = Comparison(records, search: state)
            print(ComparisonRenderer.render(comparison, as: format), terminator: "")
        }
        if failed > 0 {
            printError("\(failed) run\(failed == 1 ? "" : "s") failed (their configurations were dropped; see the table)")
            throw ExitStatus.runsFailed.exitCode
        }
    }
}

/// One line per round on stderr: where the search stands.
enum SearchProgressText {
    static func line(_ state: SearchState, training: Int, jobs: Int) -> String {
        let what: String
        switch state.phase {
        case .round:
            let round = state.rounds.last!
            let unit = state.resource == .seeds ? "seed" : "epoch"
            what = "round \(round.index + 1) of \(state.schedule.count): "
                + "\(round.configurations.count) configuration\(round.configurations.count == 1 ? "" : "s") × "
                + "\(round.resource) \(unit)\(round.resource == 1 ? "" : "s")"
        case .confirming:
            let confirmation = state.confirmation!
            what = "confirmation: \(confirmation.configurations.count) configuration\(confirmation.configurations.count == 1 ? "" : "s") on fresh seeds "
                + confirmation.seeds.map(String.init).joined(separator: ", ")
        case .finished:
            what = "finished"
        }
        return "\(what), training \(training) run\(training == 1 ? "" : "s") with \(min(jobs, training)) at once"
    }
}
