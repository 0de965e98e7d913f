"""Kaplan-Meier speed: remission vs lifelines, scikit-survival and a plain stable argsort.

Run: python benchmarks/bench_km.py [--sizes 1e5,1e6,1e7] [--repeat 3] [--seed 1]

Data: integer "day" times from an exponential with mean 1000 (so many ties), ~30 %
censoring, the same arrays for every contender.  Each timing is the best of ``--repeat``
runs (one run at 1e7).  R's ``survfit(Surv(t, e) ~ 1)`` (survival package, when Rscript is on
the PATH) is timed inside R with ``system.time`` on the same arrays passed as binary files, so
R start-up and reading are excluded.  remission's time includes validation (SurvivalData) and the
log-log confidence limits; lifelines' and scikit-survival's include what their calls do by
default (lifelines: CIs; sksurv: the estimate only).  A peer is skipped at a size when its
time extrapolated from the previous size (linearly in n, times 1.2) exceeds 60 s.
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np


def make(n: int, seed: int):
    rng = np.random.default_rng(seed)
    t = np.floor(rng.exponential(1000.0, n)) + 1.0
    e = rng.random(n) >= 0.30
    return t, e


def best(fn, repeat: int) -> float:
    out = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t0)
    return out


def contenders():
    from remission.nonparametric import kaplan_meier

    c = {"argsort": lambda t, e: np.argsort(t, kind="stable"),
         "remission": lambda t, e: kaplan_meier(t, e)}
    try:
        from lifelines import KaplanMeierFitter

        c["lifelines"] = lambda t, e: KaplanMeierFitter().fit(t, e)
    except ImportError:  # pragma: no cover
        pass
    try:
        from sksurv.nonparametric import kaplan_meier_estimator

        c["sksurv"] = lambda t, e: kaplan_meier_estimator(e, t)
    except ImportError:  # pragma: no cover
        pass
    return c


def r_survfit_seconds(t, e, repeat: int) -> float | None:
    """Best-of-``repeat`` time of survfit inside R, or None without Rscript/survival."""
    import os
    import shutil
    import subprocess
    import tempfile

    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as d:
        tf, ef = os.path.join(d, "t.bin"), os.path.join(d, "e.bin")
        t.astype("<f8").tofile(tf)
        e.astype("<i4").tofile(ef)
        n = t.size
        code = (f"suppressMessages(library(survival)); t <- readBin('{tf}', 'double', {n}); "
                f"e <- readBin('{ef}', 'integer', {n}); s <- Surv(t, e); "
                f"b <- Inf; for (i in 1:{repeat}) "
                "b <- min(b, system.time(survfit(s ~ 1))[['elapsed']]); "
                "cat(b)")
        p = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True)
        if p.returncode != 0:
            return None
        return float(p.stdout.strip())


def check_agreement(t, e):
    """The contenders compute the same curve (else the timing comparison is meaningless)."""
    from remission.nonparametric import kaplan_meier

    km = kaplan_meier(t, e)
    try:
        from sksurv.nonparametric import kaplan_meier_estimator

        x, s = kaplan_meier_estimator(e, t)
        np.testing.assert_allclose(km.survival_at(x), s, rtol=1e-10)
    except ImportError:  # pragma: no cover
        pass


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1e5,1e6,1e7")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    sizes = [int(float(s)) for s in a.sizes.split(",")]
    warnings.simplefilter("ignore")
    c = contenders()
    check_agreement(*make(20_000, a.seed))
    for fn in c.values():  # warm up imports and caches
        fn(*make(1000, a.seed))
    import shutil

    names_r = ["R survfit"] if shutil.which("Rscript") else []
    res: dict[int, dict[str, float | None]] = {}
    prev: dict[str, tuple[int, float]] = {}
    notes = []
    for n in sizes:
        t, e = make(n, a.seed)
        rep = a.repeat if n < 10_000_000 else 1
        res[n] = {}
        for name, fn in c.items():
            if name in prev and prev[name][1] * n / prev[name][0] * 1.2 > 60:
                res[n][name] = None
                notes.append(f"{name} skipped at n={n:.0e}: extrapolated "
                             f"{prev[name][1] * n / prev[name][0]:.0f} s > 60 s")
                continue
            res[n][name] = best(lambda: fn(t, e), rep)
            prev[name] = (n, res[n][name])
        if "R survfit" in names_r:
            res[n]["R survfit"] = r_survfit_seconds(t, e, rep)
    names = list(c) + names_r
    print(f"{'n':>10}  " + "  ".join(f"{k + ' (s)':>15}" for k in names)
          + "  " + "  ".join(f"{'/' + k:>11}" for k in names if k != "remission"))
    for n in sizes:
        r = res[n]
        ours = r["remission"]
        cells = [f"{r[k]:15.4f}" if r[k] is not None else f"{'skipped':>15}" for k in names]
        ratios = [f"{ours / r[k]:11.2f}" if r[k] else f"{'-':>11}" for k in names
                  if k != "remission"]
        print(f"{n:>10.0e}  " + "  ".join(cells) + "  " + "  ".join(ratios))
    print("ratio columns: remission time / contender time (< 1: remission faster)")
    for note in notes:
        print("note:", note)


if __name__ == "__main__":
    main()
