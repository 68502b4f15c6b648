#!/usr/bin/env python3
"""Makes the family parity fixtures from the numpy reference (run once; tests never need Python).

  python3 make_fixtures.py [path/to/popcode_family.py]

For each small configuration below (every task x model, the grid and uniform mu paths,
K = 2, 3 and 10) it runs the reference with --dump and --json and keeps every dumped array
as .npy, train_targets.npy and test_targets.npy (make_data's regression targets),
step0_loss.json, args.json (the arguments) and metrics.json (the reference's --json output
after a few epochs, history included).
"""
import json, os, shutil, subprocess, sys
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../../shared/baseline/popcode_family.py")

COMMON = ["--n-train", "64", "--n-test", "40", "--n-enc-hidden", "12", "--batch-size", "16", "--epochs", "4"]
CONFIGS = {
    "dipole-position-bottleneck": ["--task", "dipole-position", "--model", "bottleneck", "--seed", "3",
                                   "--n-hidden", "100", "--n-implicit", "2", "--sigma", "0.2"],
    "bars-bottleneck": ["--task", "bars", "--model", "bottleneck", "--seed", "4",
                        "--n-hidden", "30", "--n-implicit", "2", "--sigma", "0.3"],
    "dipole-3d-bottleneck-k10": ["--task", "dipole-3d", "--model", "bottleneck", "--seed", "8",
                                 "--n-hidden", "40", "--n-implicit", "10", "--sigma", "0.3"],
    "dipole-3d-mdl": ["--task", "dipole-3d", "--model", "mdl", "--seed", "5", "--n-hidden", "30",
                      "--n-implicit", "3", "--sigma", "0.25", "--lr", "0.3", "--code-warmup", "3"],
    "dipole-position-mdl": ["--task", "dipole-position", "--model", "mdl", "--seed", "6", "--n-hidden", "100",
                            "--n-implicit", "2", "--lr", "0.3", "--code-weight", "0.5", "--activity-noise", "0.2"],
    "bars-mdl-k10": ["--task", "bars", "--model", "mdl", "--seed", "7", "--n-hidden", "40", "--n-implicit", "10",
                     "--sigma", "0.3", "--lr", "0.3", "--code-warmup", "0"],
    "bars-mdl-quiet": ["--task", "bars", "--model", "mdl", "--seed", "9", "--n-hidden", "30", "--n-implicit", "2",
                       "--sigma", "0.3", "--activity-noise", "0", "--code-weight", "1.0"],
}


sys.path.insert(0, os.path.dirname(os.path.abspath(REFERENCE)))
import popcode_family as family


def main():
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    for name, args in CONFIGS.items():
        out = os.path.join(HERE, name)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        full = args + COMMON
        subprocess.run([sys.executable, REFERENCE, *full, "--dump", out,
                        "--json", os.path.join(out, "metrics.json")], check=True, env=env)
        with open(os.path.join(out, "args.json"), "w") as f:
            json.dump(full, f)
        task, seed = args[args.index("--task") + 1], int(args[args.index("--seed") + 1])
        n_train, n_test = int(COMMON[COMMON.index("--n-train") + 1]), int(COMMON[COMMON.index("--n-test") + 1])
        np.save(os.path.join(out, "train_targets.npy"), family.make_data(task, n_train, seed)[2])
        np.save(os.path.join(out, "test_targets.npy"), family.make_data(task, n_test, seed + 1000)[2])


if __name__ == "__main__":
    main()
