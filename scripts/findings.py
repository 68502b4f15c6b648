#!/usr/bin/env python3
"""The README's Findings tables from popcode's run folders: per configuration (every key but
the seed), mean ± sd over seeds of the metrics in metrics.json, plus, for the bars task, how
well the two classes separate in the test-set m_hat (from artifacts.json).

  python3 scripts/findings.py runs/sister-2d [runs/...] [--columns test_mse,sv,eff_dim,...]

Columns: test_mse, sv (all singular values), sv_ratio (smallest / largest), eff_dim,
dims_used, code_bits, r2_lin, r2_cub, r2_lin:<target>, r2_cub:<target>, class_nc (nearest
class-centroid accuracy), class_knn (leave-one-out 5-nearest-neighbour accuracy; both from
test_implicit and test_latents in the run's arrays.npz).
Only numpy is needed.
"""
import argparse, base64, json, math, os, statistics, sys
import numpy as np


def matrix(m):
    if "storage_le64" in m:
        values = np.frombuffer(base64.b64decode(m["storage_le64"]), dtype="<f8")
    else:
        values = np.array(m["storage"], dtype=float)
    return values.reshape(m["rows"], m["columns"])


def class_separation(folder):
    """(nearest-centroid accuracy, leave-one-out 5-NN accuracy) of the bar class from m_hat,
    read from arrays.npz (or the .npy files or artifacts.json of older folders)."""
    if os.path.exists(os.path.join(folder, "arrays.npz")):
        arrays = np.load(os.path.join(folder, "arrays.npz"))
        m, lat = arrays["test_implicit"], arrays["test_latents"]
    elif os.path.exists(os.path.join(folder, "test_implicit.npy")):
        m = np.load(os.path.join(folder, "test_implicit.npy"))
        lat = np.load(os.path.join(folder, "test_latents.npy"))
    elif os.path.exists(os.path.join(folder, "artifacts.json")):
        art = json.load(open(os.path.join(folder, "artifacts.json")))
        m, lat = matrix(art["test_implicit"]), matrix(art["test_latents"])
    else:
        return None
    cls = lat[:, 0] == 1.0
    c1, c0 = m[cls].mean(axis=0), m[~cls].mean(axis=0)
    nc = ((np.linalg.norm(m - c1, axis=1) < np.linalg.norm(m - c0, axis=1)) == cls).mean()
    d = ((m[:, None, :] - m[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(d, np.inf)
    nearest = np.argsort(d, axis=1)[:, :5]
    knn = ((cls[nearest].mean(axis=1) > 0.5) == cls).mean()
    return float(nc), float(knn)


def values(metrics, folder, column):
    f = metrics["final"]
    if column == "sv":
        return f["singular_values"]
    if column == "sv_ratio":
        return [f["singular_values"][-1] / f["singular_values"][0]]
    if column in ("test_mse", "eff_dim", "dims_used", "code_bits", "dl_bits"):
        key = {"eff_dim": "effective_dimension"}.get(column, column)
        return [f[key]] if f.get(key) is not None else []
    if column.startswith("r2_"):
        fit, _, target = column.partition(":")
        fit = {"r2_lin": "r2_linear", "r2_cub": "r2_cubic"}[fit]
        return [f[fit][target or "mean"]]
    if column in ("class_nc", "class_knn"):
        sep = class_separation(folder)
        return [] if sep is None else [sep[0 if column == "class_nc" else 1]]
    raise SystemExit(f"unknown column {column}")


def fmt(xs):
    if not xs:
        return "–"
    mean = statistics.fmean(xs)
    digits = 4 if abs(mean) < 0.1 else 3 if abs(mean) < 10 else 2
    if len(xs) == 1:
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ± {statistics.stdev(xs):.{digits}f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--columns", default="test_mse,sv,eff_dim,dims_used,r2_lin,r2_cub")
    ap.add_argument("--keys", default="", help="spec keys naming a configuration (default: those that vary, seed aside)")
    a = ap.parse_args()
    runs = []
    for root in a.folders:
        for name in sorted(os.listdir(root)):
            path = os.path.join(root, name, "metrics.json")
            if os.path.exists(path):
                m = json.load(open(path))
                if m.get("status") == "completed":
                    runs.append((m, os.path.join(root, name)))
    if not runs:
        raise SystemExit("no completed runs")
    specs = [m["spec"] for m, _ in runs]
    keys = a.keys.split(",") if a.keys else [k for k in specs[0] if k != "seed"
                                              and len({json.dumps(s.get(k)) for s in specs}) > 1]
    groups = {}
    for m, folder in runs:
        config = tuple((k, m["spec"].get(k, "–")) for k in keys)
        groups.setdefault(config, []).append((m, folder))
    columns = a.columns.split(",")
    print("| " + " | ".join(keys + ["seeds"] + columns) + " |")
    print("|" + "---|" * (len(keys) + 1 + len(columns)))
    for config, members in groups.items():
        cells = [str(v) for _, v in config] + [str(len(members))]
        for column in columns:
            if column == "sv":
                per_run = [values(m, f, "sv") for m, f in members]
                cells.append(" / ".join(fmt([r[i] for r in per_run]) for i in range(len(per_run[0]))))
            else:
                cells.append(fmt([x for m, f in members for x in values(m, f, column)]))
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
