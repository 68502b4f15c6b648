#!/usr/bin/env python3
"""The numpy baseline's experiment (../shared/baseline/popcode_numpy.py: same data, initial
weights, shuffles, minibatch SGD and per-epoch history) written for JAX with `jax.jit`: the
row `make bench` prints next to popcode and numpy. Needs `jax` (not needed by CI or the
tests); bench.py skips the row when it cannot be imported.

  python3 scripts/bench_jax.py [--seed 0] [--epochs 200] [--precision float64|float32] [--json OUT]

One jitted function trains an epoch (`lax.scan` over the full minibatches, then the last
partial one) and another computes the history (train MSE, description bits, linear R² mean);
gradients come from `jax.grad` of the baseline's loss. `train_seconds` counts compilation,
as a user running it once would; the whole process is timed by bench.py. It runs on one
core, as popcode and numpy do.
"""
import argparse, json, math, os, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # ../shared is read-only: no __pycache__ beside the baseline
sys.path.insert(0, os.path.join(HERE, "..", "..", "shared", "baseline"))
import popcode_numpy as base  # noqa: E402  (the data and initial weights, bit for bit)
import numpy as np  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=200)
    ap.add_argument("--precision", choices=["float64", "float32"], default="float64")
    ap.add_argument("--json", help="write train_seconds and the final test MSE here")
    a = ap.parse_args()
    # One core, as popcode and numpy run (OPENBLAS_NUM_THREADS=1): XLA's CPU backend would
    # otherwise spread its work over every core.
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    import jax
    jax.config.update("jax_enable_x64", a.precision == "float64")
    import jax.numpy as jnp
    dtype = jnp.float64 if a.precision == "float64" else jnp.float32

    n_train, n_test, batch, lr, sigma = 2000, 500, 64, 0.1, 0.18
    X_np, lat_np = base.dipoles(n_train, a.seed)
    Xt_np, _ = base.dipoles(n_test, a.seed + 1000)
    p = {k: jnp.asarray(v, dtype) for k, v in base.init_model(a.seed, 225, 3, 64).items()}
    X, Xt = jnp.asarray(X_np, dtype), jnp.asarray(Xt_np, dtype)
    target = jnp.asarray(np.column_stack([lat_np[:, 0], lat_np[:, 1], np.cos(2 * lat_np[:, 2]),
                                          np.sin(2 * lat_np[:, 2])]), dtype)

    def forward(p, X):
        h = jnp.tanh(X @ p["W1"] + p["b1"])
        m = 1.0 / (1.0 + jnp.exp(-jnp.clip(h @ p["W2"] + p["b2"], -50, 50)))
        diff = p["mu"][None, :, :] - m[:, None, :]
        bump = jnp.exp(-(diff ** 2).sum(axis=2) / (2.0 * sigma ** 2))
        return m, bump @ p["Wd"] + p["bd"]

    def loss(p, Xb):
        err = forward(p, Xb)[1] - Xb
        return 0.5 * (err ** 2).sum() / Xb.shape[0]

    def sgd(p, Xb):
        value, g = jax.value_and_grad(loss)(p, Xb)
        return jax.tree_util.tree_map(lambda w, d: w - lr * d, p, g), value

    full = n_train // batch

    @jax.jit
    def epoch(p, order):
        batches = X[order[:full * batch]].reshape(full, batch, X.shape[1])
        p, losses = jax.lax.scan(sgd, p, batches)
        total = (losses * batch).sum() / n_train
        if n_train % batch:
            rest = X[order[full * batch:]]
            p, last = sgd(p, rest)
            total = total + last * rest.shape[0] / n_train
        return p, total

    @jax.jit
    def history(p):
        m, xh = forward(p, X)
        mse = ((xh - X) ** 2).mean()
        sse = ((xh - X) ** 2).sum(axis=1)
        s = base.SIGMA_RECON
        data = sse / (2.0 * s ** 2 * math.log(2.0)) + 0.5 * X.shape[1] * math.log2(2.0 * math.pi * s ** 2)
        dl = (data + 3 * math.log2(1.0 / sigma)).mean()
        P = jnp.column_stack([jnp.ones(m.shape[0], dtype), m])
        coef = jnp.linalg.lstsq(P, target)[0]
        r2 = 1.0 - ((target - P @ coef) ** 2).sum(axis=0) / jnp.maximum(
            ((target - target.mean(axis=0)) ** 2).sum(axis=0), 1e-12)
        return mse, dl, r2.mean()

    rng = np.random.default_rng(a.seed)
    hist = {"loss": [], "mse": [], "dl_bits": [], "r2_linear_mean": []}
    t0 = time.perf_counter()
    for _ in range(a.epochs):
        p, total = epoch(p, jnp.asarray(rng.permutation(n_train)))
        mse, dl, r2 = history(p)
        for key, value in zip(hist, (total, mse, dl, r2)):
            hist[key].append(value)
    hist = {k: [float(v) for v in vs] for k, vs in hist.items()}  # waits for the last epoch
    seconds = time.perf_counter() - t0
    test_mse = float(((forward(p, Xt)[1] - Xt) ** 2).mean())
    print(f"jax {a.precision} seed {a.seed}: {seconds:.2f} s  test_mse {test_mse:.4f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"train_seconds": seconds, "test_mse": test_mse, "history": hist}, f)


if __name__ == "__main__":
    main()
