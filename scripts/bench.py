#!/usr/bin/env python3
"""popcode's benchmarks (not tests): speed against the numpy baseline (and JAX-jit when `jax`
is importable), float32 against float64, and the arithmetic floor (the run's matrix-product FLOPs over this machine's
single-thread GEMM rate), sweep throughput with one and two jobs, and scheduler overhead.
Run `make bench` (it builds release first).

  python3 scripts/bench.py [--repeats 3] [--skip-throughput] [--skip-native-blas]

Every timing is measured here, back to back, with OPENBLAS_NUM_THREADS=1 for both programs.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POPCODE = os.path.join(ROOT, ".build", "release", "popcode")
BENCH = os.path.join(ROOT, ".build", "release", "popcode-bench")
BASELINE = os.path.join(ROOT, "..", "shared", "baseline", "popcode_numpy.py")
JAX_BENCH = os.path.join(ROOT, "scripts", "bench_jax.py")


def children_cpu():
    """CPU seconds (user + system) used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(cmd, env):
    """(wall seconds, CPU seconds, stdout) of one command. CPU time (user + system, every
    thread) is the figure that holds when other programs share the cores; wall time is what
    a user waits on an idle machine."""
    cpu0, t0 = children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall, cpu = time.perf_counter() - t0, children_cpu() - cpu0
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{proc.stderr}")
    return wall, cpu, proc.stdout


def peak_rss(cmd, env):
    """Peak RSS (MiB) of one command, via its own rusage in a fresh Python child."""
    code = ("import resource,subprocess,sys;"
            "subprocess.run(sys.argv[1:],check=True,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *cmd], env=env, check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return int(out.strip()) / 1024.0


def jax_available():
    """True when `jax` imports here (the JAX row is optional: CI never installs it)."""
    return subprocess.run([sys.executable, "-c", "import jax"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def reference(env, label, key, repeats, tmp, with_jax):
    """popcode, numpy (and JAX when importable) on the reference config, interleaved in each
    of `repeats` rounds with the arithmetic floor measured in the same round; prints the best
    of each and the ratios."""
    print(f"\n== Reference config (seed 0, 200 epochs, history every epoch), {label}; best of {repeats},"
          " interleaved")
    jax_env = dict(env, XLA_FLAGS="--xla_cpu_multi_thread_eigen=false")
    ours, singles, theirs, jaxes, floors = [], [], [], [], []
    for r in range(repeats):
        for precision, runs in (("float64", ours), ("float32", singles)):
            out = os.path.join(tmp, f"pc-{key}-{precision}-{r}")
            wall, cpu, _ = measure([POPCODE, "train", "--seed", "0", "--epochs", "200", "--out", out, "--quiet",
                                    "--checkpoint-every", "0", "--precision", precision], env)
            runs.append((json.load(open(os.path.join(out, "metrics.json")))["timing"]["train_seconds"], wall, cpu))
        js = os.path.join(tmp, f"np-{key}-{r}.json")
        wall, cpu, _ = measure([sys.executable, BASELINE, "--seed", "0", "--epochs", "200", "--json", js], env)
        theirs.append((json.load(open(js))["train_seconds"], wall, cpu))
        if with_jax:
            js = os.path.join(tmp, f"jax-{key}-{r}.json")
            wall, cpu, _ = measure([sys.executable, JAX_BENCH, "--seed", "0", "--epochs", "200", "--json", js],
                                   jax_env)
            jaxes.append((json.load(open(js))["train_seconds"], wall, cpu))
        floors.append(arithmetic_floor(env, quiet=r > 0))
    best = lambda runs: tuple(min(run[i] for run in runs) for i in range(3))
    o, s, t = best(ours), best(singles), best(theirs)
    floor_f64, floor_f32 = min(f[0] for f in floors), min(f[1] for f in floors)
    mem_ours = peak_rss([POPCODE, "train", "--epochs", "200", "--out", os.path.join(tmp, "mem"), "--quiet", "--force"], env)
    mem_theirs = peak_rss([sys.executable, BASELINE, "--epochs", "200"], env)
    print("             train loop   whole process: wall      CPU   peak RSS")
    print(f"  popcode : {o[0]:9.3f} s   {o[1]:15.3f} s {o[2]:7.3f} s {mem_ours:6.1f} MiB")
    print(f"  float32 : {s[0]:9.3f} s   {s[1]:15.3f} s {s[2]:7.3f} s   (popcode, precision: float32)")
    print(f"  numpy   : {t[0]:9.3f} s   {t[1]:15.3f} s {t[2]:7.3f} s {mem_theirs:6.1f} MiB")
    if with_jax:
        j = best(jaxes)
        print(f"  JAX jit : {j[0]:9.3f} s   {j[1]:15.3f} s {j[2]:7.3f} s   (float64, on one core;"
              " its train loop includes compilation)")
    elif jax_available():
        print("  JAX jit : not run with these OpenBLAS settings (XLA does not use OpenBLAS)")
    else:
        print("  JAX jit : skipped (jax is not importable here; `pip install jax` adds this row)")
    print(f"  float64 floor: {floor_f64:.3f} s (best of {repeats}: the run's GEMM FLOPs at the 512x512 DGEMM rate"
          " per CPU second)")
    print(f"  ratio numpy / popcode: train loop {t[0] / o[0]:.1f}x, whole process {t[1] / o[1]:.1f}x wall,"
          f" {t[2] / o[2]:.1f}x CPU")
    if with_jax:
        print(f"  ratio JAX / popcode: train loop {j[0] / o[0]:.1f}x, whole process {j[1] / o[1]:.1f}x wall,"
              f" {j[2] / o[2]:.1f}x CPU")
    print(f"  popcode / float64 floor: train loop {o[0] / floor_f64:.2f}x, whole process {o[1] / floor_f64:.2f}x"
          f" wall, {o[2] / floor_f64:.2f}x CPU")
    print(f"  float32 throughput / float64: train loop {o[0] / s[0]:.2f}x, whole process {o[1] / s[1]:.2f}x wall,"
          f" {o[2] / s[2]:.2f}x CPU; popcode float32 / float32 floor ({floor_f32:.3f} s): train loop"
          f" {s[0] / floor_f32:.2f}x")
    return t[0] / o[0]


def arithmetic_floor(env, quiet=False):
    """(float64, float32) floor in seconds: the reference run's matrix-product FLOPs over this
    machine's single-thread DGEMM / SGEMM rate, measured now by popcode-bench floor."""
    out = subprocess.run([BENCH, "floor"], env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    for line in out.strip().splitlines():
        if not quiet:
            print("  " + line)
    last = out.strip().splitlines()[-1]
    f64 = float(last.split("float64 ")[1].split(" s")[0])
    f32 = float(last.split("float32 ")[1].split(" s")[0])
    return f64, f32


def throughput(env, tmp):
    print("\n== Sweep throughput: 8 runs of the reference config, --jobs 1 then --jobs 2")
    cfg = os.path.join(tmp, "eight.yaml")
    with open(cfg, "w") as f:
        f.write("name: eight\nseed: {from: 0, to: 7}\nepochs: 200\n")
    walls = {}
    for jobs in (1, 2):
        runs = os.path.join(tmp, f"runs{jobs}")
        wall, _, _ = measure([POPCODE, "run", cfg, "--jobs", str(jobs), "--runs-dir", runs, "--quiet",
                              "--checkpoint-every", "25"], env)
        walls[jobs] = wall
        print(f"  --jobs {jobs}: {wall:6.2f} s for 8 runs ({8 / wall:.2f} runs/s)")
    print(f"  throughput ratio jobs 2 / jobs 1: {walls[1] / walls[2]:.2f} (2 cores)")
    same = True
    for seed in range(8):
        a = json.load(open(os.path.join(tmp, "runs1", "eight", f"seed={seed}", "metrics.json")))
        b = json.load(open(os.path.join(tmp, "runs2", "eight", f"seed={seed}", "metrics.json")))
        for d in (a, b):
            d.pop("timing"), d.pop("environment")
        same &= a == b
    print(f"  metrics.json identical (timings aside) between --jobs 1 and --jobs 2: {same}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--skip-native-blas", action="store_true")
    a = ap.parse_args()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    print(f"machine: {os.cpu_count()} cores; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    with_jax = jax_available()
    with tempfile.TemporaryDirectory() as tmp:
        reference(env, "this machine's environment", "env", a.repeats, tmp, with_jax)
        if not a.skip_native_blas and "OPENBLAS_CORETYPE" in os.environ:
            native = {k: v for k, v in env.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
            reference(native, "OPENBLAS_CORETYPE/L2_SIZE unset (each OpenBLAS picks its own kernels)", "native",
                      a.repeats, tmp, with_jax=False)
        if not a.skip_throughput:
            throughput(env, tmp)
        print("\n== Scheduler overhead")
        for jobs in (1, 2):
            out = subprocess.run([BENCH, "scheduler", "1000", str(jobs)], env=env, check=True,
                                 stdout=subprocess.PIPE, text=True).stdout
            print("  " + out.strip())


if __name__ == "__main__":
    main()
