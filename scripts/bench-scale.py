#!/usr/bin/env python3
"""popcode at scale (`make bench` runs it after scripts/bench.py):

  1. `queue add` of a 100,000-run sweep into a fresh queue, then again (every run skipped):
     wall and CPU time, peak RSS;
  2. scheduler plus store overhead per run: `popcode-bench store 10000 FOLDER` (10,000 tiny
     runs trained in memory against the same runs scheduled into run folders, one job);
  3. `popcode run` of a 10,000-run sweep of tiny runs (--jobs 2): wall time, peak RSS, disk;
  4. `compare` and `report` of those 10,000 runs: wall time, peak RSS, the report's size;
  5. reference runs (the reference config, 200 epochs): --reference-runs of them with
     --jobs 2, and what 1,000 would take, extrapolated from the measured compute per run
     (the overhead per run is the one measured in 2 and 3, not extrapolated).

  python3 scripts/bench-scale.py [--runs 10000] [--queue-runs 100000] [--reference-runs 10] [--keep]

Needs .build/release/popcode and popcode-bench (`make build`). Every number is measured here,
in this order, on whatever else the machine is doing: read them as ratios to each other.

Every folder it makes stays until its very end (the store runs of 2 too, in the work folder),
and `make bench` runs it before bench-serve.py, which deletes 2,000 run folders: on an ext4
file system without a journal the kernel skips inodes freed in the last one to five minutes
when it creates files, reading each one's inode block, so after tens of thousands of
deletions every file creation is slower for minutes (`recently_deleted` in perf), and the
store overhead measured then is three to ten times the usual. Run it on a file system not
freshly hit by mass deletions.
"""
import argparse, json, os, resource, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POPCODE = os.path.join(ROOT, ".build", "release", "popcode")
BENCH = os.path.join(ROOT, ".build", "release", "popcode-bench")
TINY = ("epochs: 20\nn_train: 64\nn_test: 32\nn_hidden: 16\nn_implicit: 2\nn_enc_hidden: 8\n"
        "batch_size: 16\n")


def measured(cmd, env, cwd=None):
    """(wall s, CPU s, peak RSS MiB, stdout) of one command, from its own rusage: each
    command runs in a fresh Python child so that RUSAGE_CHILDREN is its alone."""
    code = ("import resource,subprocess,sys,time,json;t=time.perf_counter();"
            "p=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.PIPE,text=True);"
            "w=time.perf_counter()-t;u=resource.getrusage(resource.RUSAGE_CHILDREN);"
            "print(json.dumps([p.returncode,w,u.ru_utime+u.ru_stime,u.ru_maxrss,p.stdout[-4000:],p.stderr[-4000:]]))")
    out = subprocess.run([sys.executable, "-c", code, *cmd], env=env, cwd=cwd, check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    status, wall, cpu, rss, stdout, stderr = json.loads(out)
    if status != 0:
        sys.exit(f"bench-scale: {' '.join(cmd)} exited {status}:\n{stderr}")
    return wall, cpu, rss / 1024.0, stdout


def disk_mib(path):
    return int(subprocess.run(["du", "-sk", path], check=True, stdout=subprocess.PIPE, text=True)
               .stdout.split()[0]) / 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--queue-runs", type=int, default=100_000)
    ap.add_argument("--reference-runs", type=int, default=10)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    for binary in (POPCODE, BENCH):
        if not os.access(binary, os.X_OK):
            sys.exit(f"bench-scale: build first: swift build -c release (no {binary})")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    work = tempfile.mkdtemp(prefix="popcode-bench-scale-")
    try:
        print(f"\n== Scale (in {work}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start)")
        seeds = a.queue_runs // 10
        with open(os.path.join(work, "queued.yaml"), "w") as f:
            f.write(f"name: queued\nseed: {{from: 0, to: {seeds - 1}}}\n"
                    "sigma: [0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.24, 0.26, 0.28]\n" + TINY)
        for what in ("a fresh queue", "again, every run already queued"):
            wall, cpu, rss, out = measured([POPCODE, "queue", "add", "queued.yaml", "--runs-dir", "qruns"], env, work)
            print(f"  queue add of {10 * seeds} runs, {what}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, "
                  f"peak RSS {rss:6.1f} MiB")

        out = subprocess.run([BENCH, "store", str(a.runs), os.path.join(work, "store")], env=env, check=True,
                             stdout=subprocess.PIPE, text=True).stdout.strip()
        print("  " + out)

        seeds = a.runs // 10
        with open(os.path.join(work, "many.yaml"), "w") as f:
            f.write(f"name: many\nseed: {{from: 0, to: {seeds - 1}}}\n"
                    "sigma: [0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.24, 0.26, 0.28]\n" + TINY)
        wall, cpu, rss, _ = measured([POPCODE, "run", "many.yaml", "--runs-dir", "runs", "--jobs", "2", "--quiet",
                                      "--format", "csv"], env, work)
        folder = os.path.join(work, "runs", "many")
        print(f"  popcode run of {10 * seeds} tiny runs, --jobs 2: {wall:6.2f} s wall ({1000 * wall / (10 * seeds):.2f} ms "
              f"per run, comparison and report included), {cpu:6.2f} s CPU, peak RSS {rss:6.1f} MiB, "
              f"{disk_mib(folder):.0f} MiB on disk")
        wall, cpu, rss, _ = measured([POPCODE, "compare", "runs/many"], env, work)
        print(f"  compare of {10 * seeds} runs: {wall:6.2f} s wall, {cpu:6.2f} s CPU, peak RSS {rss:6.1f} MiB")
        wall, cpu, rss, _ = measured([POPCODE, "report", "runs/many"], env, work)
        size = os.path.getsize(os.path.join(folder, "report.html")) / 1e6
        print(f"  report of {10 * seeds} runs: {wall:6.2f} s wall, {cpu:6.2f} s CPU, peak RSS {rss:6.1f} MiB, "
              f"{size:.2f} MB")

        n = a.reference_runs
        if n > 0:
            with open(os.path.join(work, "reference.yaml"), "w") as f:
                f.write(f"name: reference\nseed: {{from: 0, to: {n - 1}}}\nepochs: 200\n")
            wall, cpu, rss, _ = measured([POPCODE, "run", "reference.yaml", "--runs-dir", "runs", "--jobs", "2",
                                          "--quiet", "--format", "csv"], env, work)
            train = [json.load(open(os.path.join(work, "runs", "reference", f"seed={s}", "metrics.json")))
                     ["timing"]["train_seconds"] for s in range(n)]
            per_run = wall / n
            print(f"  popcode run of {n} reference runs, --jobs 2: {wall:6.2f} s wall ({per_run:.2f} s per run; "
                  f"training loop {sum(train) / n:.2f} s per run on its core), peak RSS {rss:6.1f} MiB, "
                  f"{disk_mib(os.path.join(work, 'runs', 'reference')) / n:.2f} MiB per run on disk")
            print(f"  1,000 reference runs, extrapolated from the {n} measured (compute only): "
                  f"{1000 * per_run / 60:.1f} min wall with 2 jobs")
    finally:
        if a.keep:
            print(f"bench-scale: kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
