// popcode-bench: timings that do not belong in tests. Run through `make bench`.
//
//   popcode-bench scheduler [RUNS] [JOBS]   overhead of the scheduler over RUNS tiny runs
//   popcode-bench store [RUNS [FOLDER]]     scheduler plus store overhead per run: RUNS tiny runs
//                                           trained in memory against the same runs scheduled
//                                           into run folders (one job), interleaved in blocks;
//                                           into FOLDER (left in place) when given
//   popcode-bench train [REPEATS]           the reference config in-process, best of REPEATS
//   popcode-bench floor [SIZE]              the reference run's GEMM FLOPs over this machine's
//                                           single-thread DGEMM and SGEMM rates (SIZE³ products)
//   popcode-bench products                  each matrix product of the reference run at its own
//                                           shape: rate, and its share of the run's product time
import Foundation
import PopCode
import PopCodeRunner
import Synchronization

/// A sweep of `runs` tiny runs (a few milliseconds each) in a fresh folder under the
/// temporary directory.
func tinySweep(runs: Int, name: String = "overhead", in folder: URL? = nil) throws -> Sweep {
    let root = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("popcode-bench-\(UUID().uuidString.prefix(8))")
    let yaml = """
        name: \(name)
        seed: {from: 0, to: \(runs - 1)}
        epochs: 20
        n_train: 64
        n_test: 32
        n_hidden: 16
        n_implicit: 2
        n_enc_hidden: 8
        batch_size: 16
        """
    return Sweep(experiment: try ExperimentLoader.parse(text: yaml, displayName: "bench"), runsDirectory: root)
}

func schedulerOverhead(runs: Int, jobs: Int) throws {
    let sweep = try tinySweep(runs: runs)
    defer { try? FileManager.default.removeItem(at: sweep.folder.deletingLastPathComponent()) }
    let requests = sweep.runs.map { sweep.request(for: $0, checkpoints: .whenStopped) }
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

/// What running a sweep costs beyond training: RunExecutor's lock, folder checks, arrays and
/// metrics.json, and the scheduler, per run. The same tiny runs are trained in memory
/// (`Trainer.train`: training and evaluation, no files) and through `Scheduler.run` into run
/// folders with one job, in alternating blocks so that a change in the machine's load hits
/// both alike; the difference over the number of runs is the overhead, in CPU time (which
/// other work on the machine disturbs little) and in wall time (which it does).
///
/// The runs go into `folder` when given, and stay there: on an ext4 file system without a
/// journal the kernel skips inodes deleted in the last one to five minutes when it creates
/// files, reading each one's inode block, so removing tens of thousands of files slows every
/// file creation that follows for minutes (`recently_deleted` in perf). A caller measuring
/// several things removes its folders once, at the end.
func storeOverhead(runs: Int, folder: URL?) throws {
    let sweep = try tinySweep(runs: runs, in: folder)
    defer { if folder == nil { try? FileManager.default.removeItem(at: sweep.folder.deletingLastPathComponent()) } }
    let clock = ContinuousClock()
    var wall = (memory: 0.0, scheduled: 0.0), cpu = (memory: 0.0, scheduled: 0.0)
    let blocks = max(1, min(20, runs / 100))
    for block in 0..<blocks {
        let part = Array(sweep.runs[(block * runs / blocks)..<((block + 1) * runs / blocks)])
        var (start, startCPU) = (clock.now, processCPUSeconds())
        for run in part { _ = try Trainer.train(run.spec) }
        wall.memory += (clock.now - start).seconds
        cpu.memory += processCPUSeconds() - startCPU
        (start, startCPU) = (clock.now, processCPUSeconds())
        let results = Scheduler.run(part.map { sweep.request(for: $0, checkpoints: .whenStopped, durability: .deferred) },
                                    concurrency: 1)
        wall.scheduled += (clock.now - start).seconds
        cpu.scheduled += processCPUSeconds() - startCPU
        precondition(results.allSatisfy { if case .outcome(.completed) = $0 { true } else { false } },
                     "store: a run did not complete")
    }
    let start = clock.now
    AtomicFile.flushAll()
    let flush = (clock.now - start).seconds
    print(String(format: "store: %d tiny runs, one job: in memory %.2f s CPU (%.2f s wall), into run folders %.2f s CPU "
                 + "(%.2f s wall, + %.2f s for the final flush): overhead %.2f ms of CPU per run (%.2f ms wall)",
                 runs, cpu.memory, wall.memory, cpu.scheduled, wall.scheduled, flush,
                 1000 * (cpu.scheduled - cpu.memory) / Double(runs),
                 1000 * (wall.scheduled + flush - wall.memory) / Double(runs)))
}

func trainReference(repeats: Int) throws {
    var best = Double.infinity
    for _ in 0..<repeats {
        let result = try Trainer.train(RunSpec(seed: 0, epochs: 200))
        best = min(best, result.trainSeconds)
    }
    print(String(format: "train: reference config (seed 0, 200 epochs), best of %d: %.3f s", repeats, best))
}

/// The best single-thread rate, in FLOP per CPU second, of `size × size` products (several
/// repeats of a product taking at least a few tenths of a second in all).
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
    gemm(a, b, c)  // warm up: pages, packing buffers, the kernel's code
    let calls = max(1, Int(0.05e9 / (flops / 50)))  // about 50 ms per round at 50 GFLOP/s
    var best = 0.0
    for _ in 0..<7 {
        let start = processCPUSeconds()
        for _ in 0..<calls { gemm(a, b, c) }
        best = max(best, Double(calls) * flops / (processCPUSeconds() - start))
    }
    return best
}

/// CPU seconds this process has used: a rate per CPU second does not drop when other
/// programs take turns on the core (on an idle machine it equals the rate per second).
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
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
    print(String(format: "floor: reference run = %.2f GFLOP of matrix products; single-thread %dx%d DGEMM %.1f GFLOP/s, SGEMM %.1f GFLOP/s (per CPU second)",
                 flops / 1e9, size, size, double / 1e9, single / 1e9))
    print(String(format: "floor: float64 %.3f s, float32 %.3f s", flops / double, flops / single)
          + " (\(Linear.blasDescription))")
}

/// One matrix product of the reference run: its shape (`op(A)` is m × k, `op(B)` k × n),
/// transposes, β, and how often a run calls it.
struct Product {
    let name: String
    let m: Int, k: Int, n: Int
    let transposeA: Bool, transposeB: Bool
    let beta: Double
    let callsPerRun: Double
}

/// Times every product of the reference run at its own shape (single thread, best of 5
/// rounds) and prints its rate against the large-product rate of `floor`: where the
/// matrix-product time goes, and how far each shape is from the kernel's peak.
func productShapes() {
    Linear.useSingleThread()
    let spec = RunSpec(seed: 0, epochs: 200)
    let (i, e, k, h) = (DipoleData.pixelCount, spec.nEncHidden, spec.nImplicit, spec.nHidden)
    let b = spec.batchSize
    let steps = Double(spec.epochs) * Double(spec.nTrain / b)
    let block = 64  // BottleneckNetwork.forwardBlock
    let last = spec.nTrain % block
    let blocks = Double(spec.epochs) * Double(spec.nTrain / block)
    let tails = Double(spec.epochs)
    let products = [
        Product(name: "step   X·W1 + b1", m: b, k: i, n: e, transposeA: false, transposeB: false, beta: 1, callsPerRun: steps),
        Product(name: "step   h·W2 + b2", m: b, k: e, n: k, transposeA: false, transposeB: false, beta: 1, callsPerRun: steps),
        Product(name: "step   b·Wd + bd", m: b, k: h, n: i, transposeA: false, transposeB: false, beta: 1, callsPerRun: steps),
        Product(name: "step   g·Wdᵀ", m: b, k: i, n: h, transposeA: false, transposeB: true, beta: 0, callsPerRun: steps),
        Product(name: "step   g·W2ᵀ", m: b, k: k, n: e, transposeA: false, transposeB: true, beta: 0, callsPerRun: steps),
        Product(name: "step   bᵀ·g", m: h, k: b, n: i, transposeA: true, transposeB: false, beta: 0, callsPerRun: steps),
        Product(name: "step   hᵀ·g", m: e, k: b, n: k, transposeA: true, transposeB: false, beta: 0, callsPerRun: steps),
        Product(name: "step   Xᵀ·g", m: i, k: b, n: e, transposeA: true, transposeB: false, beta: 0, callsPerRun: steps),
        Product(name: "hist   X·W1 + b1", m: block, k: i, n: e, transposeA: false, transposeB: false, beta: 1, callsPerRun: blocks),
        Product(name: "hist   h·W2 + b2", m: block, k: e, n: k, transposeA: false, transposeB: false, beta: 1, callsPerRun: blocks),
        Product(name: "hist   b·Wd + bd", m: block, k: h, n: i, transposeA: false, transposeB: false, beta: 1, callsPerRun: blocks),
        Product(name: "hist'  X·W1 + b1", m: last, k: i, n: e, transposeA: false, transposeB: false, beta: 1, callsPerRun: tails),
        Product(name: "hist'  h·W2 + b2", m: last, k: e, n: k, transposeA: false, transposeB: false, beta: 1, callsPerRun: tails),
        Product(name: "hist'  b·Wd + bd", m: last, k: h, n: i, transposeA: false, transposeB: false, beta: 1, callsPerRun: tails),
    ]
    var rows: [(Product, Double)] = []
    for p in products where p.m > 0 {
        let a = UnsafeMutablePointer<Double>.allocate(capacity: p.m * p.k)
        let bb = UnsafeMutablePointer<Double>.allocate(capacity: p.k * p.n)
        let c = UnsafeMutablePointer<Double>.allocate(capacity: p.m * p.n)
        defer { a.deallocate(); bb.deallocate(); c.deallocate() }
        for j in 0..<(p.m * p.k) { a[j] = Double((j * 7919) % 1000) / 1000 - 0.5 }
        for j in 0..<(p.k * p.n) { bb[j] = Double((j * 104_729) % 1000) / 1000 - 0.5 }
        c.initialize(repeating: 0, count: p.m * p.n)
        let (ar, ac) = p.transposeA ? (p.k, p.m) : (p.m, p.k)
        let (br, bc) = p.transposeB ? (p.n, p.k) : (p.k, p.n)
        let calls = 2000
        var best = Double.infinity
        for _ in 0..<5 {
            let start = processCPUSeconds()
            for _ in 0..<calls {
                Linear.gemm(a, rows: ar, columns: ac, transpose: p.transposeA, bb, rows: br, columns: bc,
                            transpose: p.transposeB, into: c, beta: p.beta)
            }
            best = min(best, (processCPUSeconds() - start) / Double(calls))
        }
        rows.append((p, best))
    }
    let total = rows.reduce(0) { $0 + $1.1 * $1.0.callsPerRun }
    print("products: the reference run's matrix products at their shapes (single thread, CPU time, best of 5 × 2000 calls)")
    print("  product            m × k × n          GFLOP/s   µs/call   s/run   share")
    for (p, seconds) in rows {
        let rate = 2 * Double(p.m * p.k * p.n) / seconds / 1e9
        let perRun = seconds * p.callsPerRun
        print(String(format: "  %@ %4d × %3d × %3d   %8.1f  %8.2f  %6.3f  %5.1f %%", p.name.padding(toLength: 18, withPad: " ", startingAt: 0),
                     p.m, p.k, p.n, rate, seconds * 1e6, perRun, 100 * perRun / total))
    }
    print(String(format: "products: %.3f s per run in matrix products at these shapes (%.1f GFLOP/s on average)",
                 total, spec.matrixProductFLOPs / total / 1e9))
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "scheduler":
    try schedulerOverhead(runs: arguments.dropFirst().first.flatMap(Int.init) ?? 1000,
                          jobs: arguments.dropFirst(2).first.flatMap(Int.init) ?? 1)
case "store":
    try storeOverhead(runs: arguments.dropFirst().first.flatMap(Int.init) ?? 10_000,
                      folder: arguments.dropFirst(2).first.map { URL(fileURLWithPath: $0) })
case "floor":
    arithmeticFloor(size: arguments.dropFirst().first.flatMap(Int.init) ?? 512)
case "products":
    productShapes()
case "train":
    try trainReference(repeats: arguments.dropFirst().first.flatMap(Int.init) ?? 3)
default:
    FileHandle.standardError.write(Data("usage: popcode-bench scheduler [RUNS] [JOBS] | store [RUNS [FOLDER]] | train [REPEATS] | floor [SIZE] | products\n".utf8))
    exit(2)
}
