// popcode-bench: timings that do not belong in tests. Run through `make bench`.
//
//   popcode-bench scheduler [RUNS] [JOBS]   overhead of the scheduler over RUNS tiny runs
//   popcode-bench train [REPEATS]           the reference config in-process, best of REPEATS
import Foundation
import PopCode
import PopCodeRunner
import Synchronization

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

func schedulerOverhead(runs: Int, jobs: Int) throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("popcode-bench-\(UUID().uuidString.prefix(8))")
    defer { try? FileManager.default.removeItem(at: root) }
    let yaml = """
        name: overhead
        seed: {from: 0, to: \(runs - 1)}
        epochs: 20
        n_train: 64
        n_test: 32
        n_hidden: 16
        n_implicit: 2
        n_enc_hidden: 8
        batch_size: 16
        """
    let sweep = Sweep(experiment: try ExperimentLoader.parse(text: yaml, displayName: "bench"), runsDirectory: root)
    let requests = sweep.runs.map { sweep.request(for: $0, checkpointEvery: 0) }
    // Time each job from the inside (started → finished events) and the whole schedule.
    let busy = Mutex<[Int: ContinuousClock.Instant]>([:])
    let total = Mutex<Double>(0)
    let clock = ContinuousClock()
    let start = clock.now
    _ = Scheduler.run(requests, concurrency: jobs) { event in
        switch event {
        case .started(let i): busy.withLock { $0[i] = clock.now }
        case .finished(let i, _):
            let began = busy.withLock { $0[i]! }
            total.withLock { $0 += seconds(clock.now - began) }
        default: break
        }
    }
    let wall = seconds(clock.now - start)
    let inRuns = total.withLock { $0 }
    let overhead = 1 - inRuns / (wall * Double(jobs))
    print(String(format: "scheduler: %d tiny runs, %d at once: %.3f s wall, %.3f s inside runs, overhead %.3f %%",
                 runs, jobs, wall, inRuns, 100 * overhead))
}

func trainReference(repeats: Int) throws {
    var best = Double.infinity
    for _ in 0..<repeats {
        let result = try Trainer.train(RunSpec(seed: 0, epochs: 200))
        best = min(best, result.trainSeconds)
    }
    print(String(format: "train: reference config (seed 0, 200 epochs), best of %d: %.3f s", repeats, best))
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "scheduler":
    try schedulerOverhead(runs: arguments.dropFirst().first.flatMap(Int.init) ?? 1000,
                          jobs: arguments.dropFirst(2).first.flatMap(Int.init) ?? 1)
case "train":
    try trainReference(repeats: arguments.dropFirst().first.flatMap(Int.init) ?? 3)
default:
    FileHandle.standardError.write(Data("usage: popcode-bench scheduler [RUNS] [JOBS] | train [REPEATS]\n".utf8))
    exit(2)
}
