// popcode-bench: timings that do not belong in tests. Run through `make bench`.
//
//   popcode-bench scheduler [RUNS] [JOBS]   overhead of the scheduler over RUNS tiny runs
//   popcode-bench train [REPEATS]           the reference config in-process, best of REPEATS
//   popcode-bench floor [SIZE]              the reference run's GEMM FLOPs over this machine's
//                                           single-thread DGEMM and SGEMM rates (SIZE³ products)
import Foundation
import PopCode
import PopCodeRunner
import Synchronization

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
            total.withLock { $0 += (clock.now - began).seconds }
        default: break
        }
    }
    let wall = (clock.now - start).seconds
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

/// The best single-thread rate, in FLOP/s, of `size × size` products (several repeats of a
/// product taking at least a few tenths of a second in all).
func gemmRate<T: BinaryFloatingPoint>(_: T.Type, size: Int,
                                      _ gemm: (UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>) -> Void) -> Double {
    let a = UnsafeMutablePointer<T>.allocate(capacity: size * size)
    let b = UnsafeMutablePointer<T>.allocate(capacity: size * size)
    let c = UnsafeMutablePointer<T>.allocate(capacity: size * size)
    defer { a.deallocate(); b.deallocate(); c.deallocate() }
    for i in 0..<(size * size) {
        a[i] = T(Double((i * 7919) % 1000) / 1000 - 0.5)
        b[i] = T(Double((i * 104_729) % 1000) / 1000 - 0.5)
        c[i] = 0
    }
    let flops = 2 * Double(size) * Double(size) * Double(size)
    let clock = ContinuousClock()
    gemm(a, b, c)  // warm up: pages, packing buffers, the kernel's code
    let calls = max(1, Int(0.05e9 / (flops / 50)))  // about 50 ms per round at 50 GFLOP/s
    var best = 0.0
    for _ in 0..<7 {
        let start = clock.now
        for _ in 0..<calls { gemm(a, b, c) }
        best = max(best, Double(calls) * flops / (clock.now - start).seconds)
    }
    return best
}

func arithmeticFloor(size: Int) {
    Linear.useSingleThread()
    let spec = RunSpec(seed: 0, epochs: 200)
    let flops = spec.matrixProductFLOPs
    let double = gemmRate(Double.self, size: size) { a, b, c in
        Linear.gemm(a, rows: size, columns: size, transpose: false, b, rows: size, columns: size,
                    transpose: false, into: c)
    }
    let single = gemmRate(Float.self, size: size) { a, b, c in
        Linear.gemm(a, rows: size, columns: size, transpose: false, b, rows: size, columns: size,
                    transpose: false, into: c)
    }
    print(String(format: "floor: reference run = %.2f GFLOP of matrix products; single-thread %dx%d DGEMM %.1f GFLOP/s, SGEMM %.1f GFLOP/s",
                 flops / 1e9, size, size, double / 1e9, single / 1e9))
    print(String(format: "floor: float64 %.3f s, float32 %.3f s", flops / double, flops / single)
          + " (\(Linear.blasDescription))")
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "scheduler":
    try schedulerOverhead(runs: arguments.dropFirst().first.flatMap(Int.init) ?? 1000,
                          jobs: arguments.dropFirst(2).first.flatMap(Int.init) ?? 1)
case "floor":
    arithmeticFloor(size: arguments.dropFirst().first.flatMap(Int.init) ?? 512)
case "train":
    try trainReference(repeats: arguments.dropFirst().first.flatMap(Int.init) ?? 3)
default:
    FileHandle.standardError.write(Data("usage: popcode-bench scheduler [RUNS] [JOBS] | train [REPEATS] | floor [SIZE]\n".utf8))
    exit(2)
}
