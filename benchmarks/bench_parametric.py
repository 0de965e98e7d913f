"""Parametric fits: remission vs lifelines (and R survreg when Rscript is installed).

    python benchmarks/bench_parametric.py [--sizes 100000,1000000] [--no-r]

Weibull and log-normal fits on simulated right-censored data (Weibull shape 1.3, scale 10,
~30% uniform censoring).  Each timing is the best of ``--repeat`` runs of the fit alone (data
generation and file I/O excluded; for R the data are read first and only survreg is timed
with system.time inside R).  Prints times, ratios and the log-likelihoods (which must agree).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
import warnings

import numpy as np


def simulate(n, seed=1):
    rng = np.random.default_rng(seed)
    t = 10 * rng.weibull(1.3, n)
    c = rng.uniform(0, 25, n)
    return np.minimum(t, c) + 1e-9, (t <= c)


def best(fn, repeat):
    out, times = None, []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def ours(dist, t, d):
    from remission.distributions import get_distribution
    from remission.models import fit_distribution

    return fit_distribution(get_distribution(dist), t, d).loglik


def lifelines_fit(dist, t, d):
    from lifelines import LogNormalFitter, WeibullFitter

    f = (WeibullFitter if dist == "weibull" else LogNormalFitter)()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f.fit(t, d)
    return f.log_likelihood_


def r_fit(dist, t, d, repeat):
    path = tempfile.mktemp(suffix=".csv")
    np.savetxt(path, np.column_stack([t, d.astype(int)]), delimiter=",", header="time,status",
               comments="", fmt=["%.17g", "%d"])
    rdist = "weibull" if dist == "weibull" else "lognormal"
    code = (f'suppressMessages(library(survival)); x <- read.csv("{path}"); best <- Inf; '
            f'for (i in 1:{repeat}) {{ s <- system.time(f <- survreg(Surv(time, status) ~ 1, '
            f'data = x, dist = "{rdist}"))[["elapsed"]]; best <- min(best, s) }}; '
            f'cat(best, f$loglik[2], "\\n")')
    out = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True, check=True)
    os.unlink(path)
    sec, ll = out.stdout.split()
    return float(sec), float(ll)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-r", action="store_true")
    args = ap.parse_args()
    have_r = shutil.which("Rscript") is not None and not args.no_r
    print(f"{'dist':<10}{'n':>9}{'remission s':>13}{'lifelines s':>13}{'ratio':>8}"
          f"{'R survreg s':>13}{'ratio':>8}   loglik (ours / lifelines / R)")
    ours("weibull", *simulate(1000))  # warm up imports
    for n in [int(float(s)) for s in args.sizes.split(",")]:
        t, d = simulate(n)
        for dist in ("weibull", "lognormal"):
            s_ours, ll_ours = best(lambda: ours(dist, t, d), args.repeat)
            s_ll, ll_ll = best(lambda: lifelines_fit(dist, t, d), max(1, args.repeat - 1))
            if have_r:
                s_r, ll_r = r_fit(dist, t, d, args.repeat)
                rcols = f"{s_r:>13.3f}{s_r / s_ours:>8.1f}"
            else:
                s_r, ll_r, rcols = None, float("nan"), f"{'-':>13}{'-':>8}"
            print(f"{dist:<10}{n:>9}{s_ours:>13.3f}{s_ll:>13.3f}{s_ll / s_ours:>8.1f}{rcols}"
                  f"   {ll_ours:.4f} / {ll_ll:.4f} / {ll_r:.4f}", flush=True)


if __name__ == "__main__":
    main()
