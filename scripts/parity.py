#!/usr/bin/env python3
"""End-to-end parity with the numpy baseline: trains the reference config in popcode and in
../shared/baseline/popcode_numpy.py for each seed, and prints the relative difference of
every final metric (and the largest one). Exit status 1 when any exceeds --tolerance.

  python3 scripts/parity.py [--seeds 0 1] [--epochs 200] [--tolerance 1e-4]
"""
import argparse, json, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE = os.path.join(ROOT, "..", "shared", "baseline", "popcode_numpy.py")


def flatten(final):
    out = {}
    for key in ("test_mse", "naive_mse", "variance_explained", "dl_bits"):
        out[key] = final[key]
    for i, s in enumerate(final["singular_values"]):
        out[f"singular_values[{i}]"] = s
    for fit in ("r2_linear", "r2_cubic"):
        for k, v in final[fit].items():
            out[f"{fit}.{k}"] = v
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--epochs", type=int, default=200)
    ap.add_argument("--tolerance", type=float, default=1e-4)
    ap.add_argument("--popcode", default=os.path.join(ROOT, ".build", "release", "popcode"))
    a = ap.parse_args()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    worst_all = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in a.seeds:
            np_json = os.path.join(tmp, f"numpy{seed}.json")
            subprocess.run([sys.executable, BASELINE, "--seed", str(seed), "--epochs", str(a.epochs),
                            "--json", np_json], check=True, env=env, stdout=subprocess.DEVNULL)
            out = os.path.join(tmp, f"popcode{seed}")
            subprocess.run([a.popcode, "train", "--seed", str(seed), "--epochs", str(a.epochs),
                            "--out", out, "--quiet"], check=True, env=env, stdout=subprocess.DEVNULL)
            theirs = flatten(json.load(open(np_json)))
            ours = flatten(json.load(open(os.path.join(out, "metrics.json")))["final"])
            print(f"seed {seed}, {a.epochs} epochs: metric, popcode, numpy, relative difference")
            worst = 0.0
            for key, b in theirs.items():
                rel = abs(ours[key] - b) / max(abs(b), 1e-12)
                worst = max(worst, rel)
                print(f"  {key:24s} {ours[key]: .10g} {b: .10g} {rel:.2e}")
            print(f"  largest relative difference: {worst:.2e}")
            worst_all = max(worst_all, worst)
    print(f"largest relative difference over seeds {a.seeds}: {worst_all:.2e} (tolerance {a.tolerance:g})")
    sys.exit(0 if worst_all <= a.tolerance else 1)


if __name__ == "__main__":
    main()
