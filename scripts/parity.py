#!/usr/bin/env python3
"""End-to-end parity with the numpy references: trains the reference config in popcode and in
../shared/baseline/popcode_numpy.py for each seed, then the family configurations (FAMILY
below) in popcode and in ../shared/baseline/popcode_family.py, and prints the relative
difference of every final metric (and the largest one). Exit status 1 when any exceeds its
tolerance (--tolerance for the reference config, --family-tolerance for the family).

  python3 scripts/parity.py [--seeds 0 1] [--epochs 200] [--tolerance 1e-4]
                            [--family-tolerance 1e-8] [--no-family] [--only-family]
"""
import argparse, json, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE = os.path.join(ROOT, "..", "shared", "baseline", "popcode_numpy.py")
FAMILY_REFERENCE = os.path.join(ROOT, "..", "shared", "baseline", "popcode_family.py")

# name: the flags both programs take (popcode train and popcode_family.py share their names)
FAMILY = {
    "dipole-position/bottleneck, 100 units K=2, 200 epochs":
        ["--task", "dipole-position", "--model", "bottleneck", "--n-hidden", "100", "--n-implicit", "2",
         "--epochs", "200", "--seed", "0"],
    "bars/bottleneck, 100 units K=2, 200 epochs":
        ["--task", "bars", "--model", "bottleneck", "--n-hidden", "100", "--n-implicit", "2",
         "--epochs", "200", "--seed", "0"],
    "dipole-3d/mdl, 225 units K=3, lr 0.3, 30 epochs":
        ["--task", "dipole-3d", "--model", "mdl", "--lr", "0.3", "--epochs", "30", "--seed", "0",
         "--code-weight", "0.3", "--code-warmup", "30", "--activity-noise", "0.1"],
}


def flatten(final):
    out = {}
    for key in ("test_mse", "naive_mse", "variance_explained", "dl_bits", "effective_dimension", "dims_used",
                "code_bits"):
        if key in final:
            out[key] = final[key]
    for i, s in enumerate(final["singular_values"]):
        out[f"singular_values[{i}]"] = s
    for fit in ("r2_linear", "r2_cubic"):
        for k, v in final[fit].items():
            out[f"{fit}.{k}"] = v
    return out


def compare(title, theirs, ours):
    """Prints every metric of `theirs` against `ours`; returns the largest relative difference."""
    print(f"{title}: metric, popcode, numpy, relative difference")
    worst = 0.0
    for key, b in theirs.items():
        a = ours.get(key, 0.0)   # popcode leaves code_bits out for the bottleneck; numpy writes 0
        rel = abs(a - b) / max(abs(b), 1e-12) if b != 0 or a != 0 else 0.0
        worst = max(worst, rel)
        print(f"  {key:24s} {a: .10g} {b: .10g} {rel:.2e}")
    print(f"  largest relative difference: {worst:.2e}")
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--epochs", type=int, default=200)
    ap.add_argument("--tolerance", type=float, default=1e-4)
    ap.add_argument("--family-tolerance", type=float, default=1e-8)
    ap.add_argument("--no-family", action="store_true", help="only the dipole-3d reference config")
    ap.add_argument("--only-family", action="store_true", help="only the family configurations")
    ap.add_argument("--popcode", default=os.path.join(ROOT, ".build", "release", "popcode"))
    a = ap.parse_args()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    worst_all = 0.0
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for seed in ([] if a.only_family else a.seeds):
            np_json = os.path.join(tmp, f"numpy{seed}.json")
            subprocess.run([sys.executable, BASELINE, "--seed", str(seed), "--epochs", str(a.epochs),
                            "--json", np_json], check=True, env=env, stdout=subprocess.DEVNULL)
            out = os.path.join(tmp, f"popcode{seed}")
            subprocess.run([a.popcode, "train", "--seed", str(seed), "--epochs", str(a.epochs),
                            "--out", out, "--quiet"], check=True, env=env, stdout=subprocess.DEVNULL)
            theirs = flatten(json.load(open(np_json)))
            ours = flatten(json.load(open(os.path.join(out, "metrics.json")))["final"])
            worst_all = max(worst_all, compare(f"seed {seed}, {a.epochs} epochs", theirs, ours))
        if not a.only_family:
            print(f"largest relative difference over seeds {a.seeds}: {worst_all:.2e} (tolerance {a.tolerance:g})")
            failed = worst_all > a.tolerance
        worst_family = 0.0
        for index, (title, flags) in enumerate([] if a.no_family else FAMILY.items()):
            np_json = os.path.join(tmp, f"family{index}.json")
            subprocess.run([sys.executable, FAMILY_REFERENCE, *flags, "--json", np_json],
                           check=True, env=env, stdout=subprocess.DEVNULL)
            out = os.path.join(tmp, f"popcode-family{index}")
            subprocess.run([a.popcode, "train", *flags, "--out", out, "--quiet"],
                           check=True, env=env, stdout=subprocess.DEVNULL)
            theirs = flatten(json.load(open(np_json)))
            ours = flatten(json.load(open(os.path.join(out, "metrics.json")))["final"])
            worst_family = max(worst_family, compare(title, theirs, ours))
        if not a.no_family:
            print(f"largest relative difference over the family: {worst_family:.2e} (tolerance {a.family_tolerance:g})")
            failed = failed or worst_family > a.family_tolerance
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
