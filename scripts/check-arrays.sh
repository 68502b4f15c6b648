#!/usr/bin/env bash
# The arrays popcode writes load in numpy: trains one small run with `popcode train`, then
# in Python checks that the run's arrays.npz loads with np.load, every array with its dtype
# and shape,
# that the weights reproduce the saved reconstructions and m̂ through the documented forward
# pass (to 1e-12), and that the run folder stays small.
# Usage: scripts/check-arrays.sh      Environment: POPCODE=path/to/popcode to skip the build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${POPCODE:-}" ]; then
  swift build -c release --product popcode >/dev/null
  POPCODE=.build/release/popcode
fi
if ! python3 -c "import numpy" 2>/dev/null; then
  apt-get install -y -qq python3-numpy >/dev/null || pip install -q numpy
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$POPCODE" train --seed 2 --epochs 12 --n-train 200 --n-test 60 --n-hidden 20 --batch-size 32 \
  --sigma 0.3 --out "$tmp/run" --quiet >/dev/null
python3 - "$tmp/run" <<'PY'
import json, os, sys
import numpy as np

run = sys.argv[1]
metrics = json.load(open(os.path.join(run, "metrics.json")))
spec = metrics["spec"]
K, H, E, T = spec["n_implicit"], spec["n_hidden"], spec["n_enc_hidden"], spec["n_test"]
expected = {
    "W1": ((64, E), "<f8"), "b1": ((E,), "<f8"), "W2": ((E, K), "<f8"), "b2": ((K,), "<f8"),
    "mu": ((H, K), "<f8"), "Wd": ((H, 64), "<f8"), "bd": ((64,), "<f8"),
    "test_implicit": ((T, K), "<f8"), "test_latents": ((T, 3), "<f8"),
    "sample_images": ((16, 64), "<f8"), "sample_reconstructions": ((16, 64), "<f8"),
    "snapshots": ((6, T, K), "<f4"), "snapshot_epochs": ((6,), "<i8"),
}
files = sorted(os.listdir(run))
assert files == [".lock", "arrays.npz", "metrics.json"] or files == ["arrays.npz", "metrics.json"], files
archive = np.load(os.path.join(run, "arrays.npz"))  # allow_pickle stays False
assert sorted(archive.files) == sorted(expected), archive.files
a = {}
for name, (shape, dtype) in expected.items():
    arr = archive[name]
    assert arr.shape == shape, f"{name}: shape {arr.shape}, expected {shape}"
    assert arr.dtype == np.dtype(dtype), f"{name}: dtype {arr.dtype}, expected {dtype}"
    assert np.all(np.isfinite(arr)), f"{name}: non-finite values"
    a[name] = arr
assert list(a["snapshot_epochs"]) == [0, 1, 2, 5, 10, 12], a["snapshot_epochs"]
# The documented forward pass on the saved sample images gives the saved outputs.
x = a["sample_images"]
h = np.tanh(x @ a["W1"] + a["b1"])
m = 1.0 / (1.0 + np.exp(-np.clip(h @ a["W2"] + a["b2"], -50, 50)))
b = np.exp(-((a["mu"][None, :, :] - m[:, None, :]) ** 2).sum(-1) / (2 * spec["sigma"] ** 2))
xhat = b @ a["Wd"] + a["bd"]
assert np.max(np.abs(xhat - a["sample_reconstructions"])) < 1e-12, "reconstructions differ"
assert np.max(np.abs(m - a["test_implicit"][:16])) < 1e-12, "m̂ differs"
assert np.max(np.abs(a["snapshots"][-1] - a["test_implicit"])) < 1e-6, "last snapshot is not the final m̂"
mse = np.mean((xhat - x) ** 2)
size = sum(os.path.getsize(os.path.join(run, f)) for f in files)
# The arrays' own bytes (float64 but the snapshots) plus metrics.json and the archive's headers.
assert size < 100_000, f"the run folder holds {size} bytes"
print(f"check-arrays: arrays.npz ({len(a)} arrays) loads in numpy {np.__version__}; forward pass reproduces "
      f"the saved reconstructions and m̂ (sample MSE {mse:.4g}, test_mse {metrics['final']['test_mse']:.4g}); "
      f"run folder {size} bytes")
PY
echo "check-arrays: passed"
