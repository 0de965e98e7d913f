"""Cure models: remission vs lifelines' MixtureCureFitter, in one run, reported as ratios.

    python benchmarks/bench_cure.py [--n 100000] [--reps 1000] [--lifelines-refits 20]

1. One Weibull mixture cure fit on ``--n`` simulated rows (pi = 0.3, Weibull shape 1.3,
   scale 10, uniform censoring on [20, 40]); best of ``--repeat`` runs of the fit alone.
2. A ``--reps``-replicate nonparametric bootstrap of the Weibull mixture cure model on the
   bundled CARTITUDE-1 PFS reconstruction (n = 97): remission's batched refits (in process,
   one core) vs lifelines, whose bootstrap is a loop of refits; lifelines is timed on
   ``--lifelines-refits`` resamples and extrapolated linearly to ``--reps`` (said so in the
   output).  The log-likelihoods of the full-data fits must agree.
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np


def simulate(n, seed=1):
    rng = np.random.default_rng(seed)
    cured = rng.random(n) < 0.3
    t = np.where(cured, np.inf, 10 * rng.weibull(1.3, n))
    c = rng.uniform(20, 40, n)
    return np.minimum(t, c), (t <= c).astype(int)


def best(fn, repeat):
    out, times = None, []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def ours(t, d):
    from remission.distributions import get_distribution
    from remission.models import fit_distribution
    from remission.models.cure import MixtureCure

    f = fit_distribution(MixtureCure(get_distribution("weibull")), t, d)
    return f.loglik, f.parameters()[0]["estimate"]


def lifelines_fit(t, d):
    from lifelines import MixtureCureFitter, WeibullFitter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = MixtureCureFitter(base_fitter=WeibullFitter()).fit(t, d)
    return f.log_likelihood_, float(f.params_["cured_fraction_"])


def cartitude():
    from importlib import resources

    import pandas as pd

    from remission.data import SurvivalData

    with resources.files("remission.datasets").joinpath(
            "cartitude1-pfs-approx.csv.gz").open("rb") as f:
        df = pd.read_csv(f, compression="gzip")
    return SurvivalData.from_arrays(df.time, df.event)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--lifelines-refits", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)

    # 1. single fit
    t, d = simulate(a.n)
    ours(t[:1000], d[:1000])  # warm up imports
    t_ours, (ll_ours, pi_ours) = best(lambda: ours(t, d), a.repeat)
    t_ll, (ll_ll, pi_ll) = best(lambda: lifelines_fit(t, d), 1 if a.n >= 100_000 else a.repeat)
    print(f"single fit, n = {a.n:,}: remission {t_ours:.3f} s, lifelines {t_ll:.3f} s, "
          f"ratio {t_ll / t_ours:.1f}x")
    print(f"  loglik remission {ll_ours:.4f} lifelines {ll_ll:.4f}; cure fraction "
          f"{pi_ours:.5f} vs {pi_ll:.5f}")

    # 2. bootstrap
    from remission.models.cure import bootstrap_cure, fit_cure_model

    data = cartitude()
    fit = fit_cure_model(data, "weibull", "mixture")
    bootstrap_cure(fit, data, reps=50, seed=0, scheduler="sync")  # warm up
    t_boot, b = best(lambda: bootstrap_cure(fit, data, reps=a.reps, seed=1, scheduler="sync"),
                     a.repeat)
    rng = np.random.default_rng(1)
    k = a.lifelines_refits
    idx = [rng.integers(0, data.n, data.n) for _ in range(k)]
    t0 = time.perf_counter()
    for i in idx:
        lifelines_fit(data.time[i], data.event[i].astype(int))
    t_lk = time.perf_counter() - t0
    t_lext = t_lk / k * a.reps
    print(f"bootstrap, {a.reps} replicates, n = {data.n}: remission {t_boot:.3f} s "
          f"({b.n_failed} failed, {b.n_boundary} at the boundary); lifelines {k} refits "
          f"{t_lk:.2f} s -> extrapolated {t_lext:.1f} s for {a.reps}; ratio "
          f"{t_lext / t_boot:.0f}x")
    print(f"  full-data loglik remission {fit.loglik:.4f} lifelines "
          f"{lifelines_fit(data.time, data.event.astype(int))[0]:.4f}")


if __name__ == "__main__":
    main()
