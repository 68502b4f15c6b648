#!/usr/bin/env python3
"""The racing search against a plain grid with the same training budget.

Runs configs/search-lr-sigma.yaml (Sobol, racing over seeds, confirmed on 3 fresh seeds),
counts the 200-epoch runs its rounds trained (the selection budget), then trains a plain
grid over the same ranges (log-spaced lr, evenly spaced sigma, bin centres; lr values x
sigma values x seeds chosen to train as many runs as the race's rounds did), picks the
grid's best cell by mean test MSE, and trains that cell on the race's held-out
confirmation seeds. Prints both winners' test MSE on those seeds
(mean +- sd, 95 % CI) and the wall time of each selection, measured back to back.

    python3 scripts/search_bench.py [POPCODE] [WORKDIR]      (defaults: .build/release/popcode, a temp dir)
"""
import json, math, os, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POPCODE = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/popcode")
WORK = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="search-bench-")
RUNS = os.path.join(WORK, "runs")
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571}


def run(args):
    start = time.monotonic()
    subprocess.run([POPCODE, "run", *args, "--runs-dir", RUNS, "--jobs", "2", "-q"], check=True,
                   stdout=subprocess.DEVNULL)
    return time.monotonic() - start


def metric(experiment, label):
    with open(os.path.join(RUNS, experiment, label, "metrics.json")) as f:
        return json.load(f)["final"]["test_mse"]


def summary(values):
    m = statistics.mean(values)
    sd = statistics.stdev(values)
    h = T975[len(values) - 1] * sd / math.sqrt(len(values))
    return f"{m:.5f} ± {sd:.5f} (95 % CI [{m - h:.5f}, {m + h:.5f}])"


def main():
    race_seconds = run([os.path.join(ROOT, "configs/search-lr-sigma.yaml")])
    with open(os.path.join(RUNS, "search-lr-sigma/experiment.json")) as f:
        record = json.load(f)
    search = record["search"]
    selection = [r for r in search["runs"] if r.get("round") is not None]
    confirm = [r for r in search["runs"] if r.get("round") is None]
    winner = search["winner"]
    seeds = search["confirmation"]["seeds"]
    budget = len(selection)

    # The grid closest to the budget (more cells on a tie), at least 2 seeds per cell.
    shapes = [(n, m, k) for n in range(3, 7) for m in range(3, 7) for k in range(2, 9)]
    n_lr, n_sigma, grid_seeds = min(shapes, key=lambda x: (abs(x[0] * x[1] * x[2] - budget), -x[0] * x[1], -x[0]))
    lrs = [round(math.exp(math.log(0.01) + (i + 0.5) / n_lr * math.log(100)), 4) for i in range(n_lr)]
    sigmas = [round(0.08 + (i + 0.5) / n_sigma * 0.32, 3) for i in range(n_sigma)]
    grid = os.path.join(WORK, "grid.yaml")
    with open(grid, "w") as f:
        f.write(f"name: grid-lr-sigma\nepochs: 200\nlr: {lrs}\nsigma: {sigmas}\nseed: {{from: 0, to: {grid_seeds - 1}}}\n")
    grid_seconds = run([grid])
    cells = {}
    for lr in lrs:
        for sigma in sigmas:
            cells[(lr, sigma)] = statistics.mean(
                metric("grid-lr-sigma", f"lr={lr},sigma={sigma},seed={s}") for s in range(grid_seeds))
    best = min(cells, key=cells.get)
    held = os.path.join(WORK, "grid-best.yaml")
    with open(held, "w") as f:
        f.write(f"name: grid-best\nepochs: 200\nlr: {best[0]}\nsigma: {best[1]}\nseed: {seeds}\n")
    held_seconds = run([held])
    grid_values = [metric("grid-best", f"seed={s}") for s in seeds]
    race_values = winner["estimate"]["values"]
    values = {v["key"]: v["value"] for v in winner["values"]}

    print(f"selection budget: {budget} runs of 200 epochs (race: {len(search['configurations'])} Sobol configurations, "
          f"rounds of {', '.join(str(r['resource']) for r in search['rounds'])} seeds, survivors "
          f"{' -> '.join(str(len(r['configurations'])) for r in search['rounds'])}); "
          f"grid: {n_lr} lr x {n_sigma} sigma cells x {grid_seeds} seeds = {n_lr * n_sigma * grid_seeds} runs")
    print(f"held-out seeds: {', '.join(map(str, seeds))}\n")
    print("| selection | runs trained | chosen configuration | test MSE on the held-out seeds | wall time |")
    print("|---|---|---|---|---|")
    print(f"| racing search | {budget} + {len(confirm)} confirmation | {winner['name']}: "
          f"lr={values['lr']:.4g}, sigma={values['sigma']:.4g} | {summary(race_values)} | "
          f"{race_seconds:.0f} s (confirmation included) |")
    print(f"| best cell of the grid | {n_lr * n_sigma * grid_seeds} + {len(seeds)} held-out | lr={best[0]}, sigma={best[1]} | "
          f"{summary(grid_values)} | {grid_seconds:.0f} s + {held_seconds:.0f} s |")


if __name__ == "__main__":
    main()
