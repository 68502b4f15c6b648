#!/usr/bin/env python3
"""Makes the parity fixtures from the numpy baseline (run once; tests never need Python).

  python3 make_fixtures.py [path/to/popcode_numpy.py]

For each configuration below it runs the baseline with --dump and --json and keeps:
  * small/: every dumped array as .npy (a small config that takes the uniform-mu path);
  * seed0/, seed1/: the published config; the large arrays as FNV-1a-64 hashes of their
    bytes (plus their shapes and first row), the first-step gradients in full;
  * metrics.json: the baseline's --json output after a few epochs.
"""
import json, os, shutil, subprocess, sys, tempfile
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BASELINE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../../shared/baseline/popcode_numpy.py")

CONFIGS = {
    "small": (["--seed", "5", "--n-train", "100", "--n-test", "50", "--n-hidden", "30",
               "--n-implicit", "2", "--n-enc-hidden", "16", "--batch-size", "16", "--sigma", "0.3",
               "--epochs", "4"], True),
    "seed0": (["--seed", "0", "--epochs", "3"], False),
    "seed1": (["--seed", "1", "--epochs", "3"], False),
}


def fnv1a64(data: bytes) -> str:
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def main():
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    for name, (args, keep_all) in CONFIGS.items():
        out = os.path.join(HERE, name)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, BASELINE, *args, "--dump", tmp,
                            "--json", os.path.join(out, "metrics.json")], check=True, env=env)
            summary = {"args": args}
            for file in sorted(os.listdir(tmp)):
                src = os.path.join(tmp, file)
                if file.endswith(".json"):
                    shutil.copy(src, os.path.join(out, file))
                    continue
                a = np.load(src)
                if keep_all or file.startswith("step0_grad_"):
                    shutil.copy(src, os.path.join(out, file))
                else:
                    a = np.ascontiguousarray(a)
                    summary[file[:-4]] = {"shape": list(a.shape), "dtype": str(a.dtype),
                                          "fnv1a64": fnv1a64(a.tobytes()),
                                          "first": a.reshape(a.shape[0], -1)[0].tolist()}
            with open(os.path.join(out, "hashes.json"), "w") as f:
                json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()
