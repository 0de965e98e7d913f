r"""Simulation primitives of follow-up planning: the per-M null samples of the Maller-Zhou
tests, one chunk of simulated trials on the planning grid, Monte Carlo p-values, the batched
Yuen-Musta (asymptotic) rejection, the isotonic fit and the drop-out hazard.

Common random numbers: each simulated trial uses the same uniforms (patients, cure status,
event times, entry pattern) for every M (:func:`~.simulate.draw_trials`), and only the cut-off
moves.  Null samples are seeded by M itself, so a grid holding M gives the same numbers at M.
"""
from __future__ import annotations

from functools import partial

import numpy as np


def isotonic_increasing(y) -> np.ndarray:
    """Pool-adjacent-violators fit of a non-decreasing sequence (equal weights).

    >>> isotonic_increasing([0.1, 0.3, 0.2, 0.5]).tolist()
    [0.1, 0.25, 0.25, 0.5]
    """
    vals: list[float] = []
    counts: list[int] = []
    for v in np.asarray(y, dtype=float):
        vals.append(v)
        counts.append(1)
        while len(vals) > 1 and vals[-2] > vals[-1]:
            c = counts[-2] + counts[-1]
            v2 = (vals[-2] * counts[-2] + vals[-1] * counts[-1]) / c
            vals[-2:] = [v2]
            counts[-2:] = [c]
    return np.repeat(vals, counts)


def dropout_hazard(dropout: float, time_unit: str | None) -> float:
    """Per-time-unit hazard of a yearly loss-to-follow-up fraction ``dropout``."""
    from ..data.units import DAYS_PER_UNIT
    from ..errors import OptionError

    dropout = float(dropout)
    if not 0 <= dropout < 1:
        raise OptionError(f"--dropout must be a fraction per year in [0, 1) (got {dropout:g})")
    if dropout == 0:
        return 0.0
    if time_unit not in DAYS_PER_UNIT:
        raise OptionError("--dropout is a fraction per year: give the data's time unit "
                          "(--time-unit)")
    return -np.log1p(-dropout) * DAYS_PER_UNIT[time_unit] / 365.25


def grid_nulls(t, e, grid, pattern, *, seed, null_reps, eps, chunk_size=250, progress=False):
    """Sorted null samples for every M of ``grid``: the presence statistic KM(t_(n)) under
    the fitted no-cure Weibull, (null_reps, len(grid)), and q_n under the boundary null
    F_u(tau_G + M) = 1 - eps fitted to today's data, (null_reps, len(grid)); the boundary
    null model at M = grid[0]."""
    from ..parallel import map_chunks
    from .lrt import fit_cure_weibull
    from .simulate import CureModel, fit_boundary_null, null_chunk

    _, f0 = fit_cure_weibull(t, e)
    s0, c0 = (float(np.ravel(v)[0]) for v in f0.natural_parameters())
    n = t.size
    null_fn = partial(null_chunk, model=CureModel(0.0, s0, c0), pattern=pattern, n=n,
                      extra=grid)
    # cheap (one vectorised pass per chunk): always in process, so that a Dask cluster is
    # started once, for the trials; the numbers do not depend on where chunks run
    null = np.array(map_chunks(null_fn, null_reps, seed=np.random.SeedSequence([seed, 1]),
                               chunk_size=chunk_size, scheduler="sync", progress=progress,
                               description="null simulation"))[:, :, 0]
    tg = float(t.max())
    boundaries = [fit_boundary_null(t, e, eps, tau_g=tg + m) for m in grid]
    qnull = np.empty((null_reps, len(grid)))
    for j, (m, bnd) in enumerate(zip(grid, boundaries)):
        bfn = partial(null_chunk, model=bnd, pattern=pattern, n=n, extra=(m,))
        key = int(round(m * 1e6))  # seeded by M itself: common to every grid holding M
        qnull[:, j] = np.array(map_chunks(bfn, null_reps,
                                          seed=np.random.SeedSequence([seed, 2, key]),
                                          chunk_size=chunk_size, scheduler="sync",
                                          progress=progress,
                                          description=f"boundary null, M = {m:g}"))[:, 0, 1]
    return np.sort(null, axis=0), np.sort(qnull, axis=0), boundaries[0]


def yuen_musta_x_alpha(alpha: float) -> float:
    """Critical value of the asymptotic Yuen-Musta law: P(D > x) <= alpha iff x >= x_alpha."""
    from scipy.optimize import brentq

    from .followup_tests import brownian_lcm_slope_sf

    return brentq(lambda x: brownian_lcm_slope_sf(x) - alpha, 1e-6, 10.0, xtol=1e-10)


def grid_chunk(chunk, model, pattern, n, grid, null_sorted, qnull_sorted, alpha, x_alpha,
               eps):
    """Per trial and per M: [MZ sufficient reject (bootstrap), presence reject, CI width,
    cure estimate, Yuen-Musta reject, MZ alpha_n <= alpha]."""
    from .maller_zhou import batch_statistics
    from .simulate import draw_trials, observe

    t_ev, fu = draw_trials(chunk, model, pattern, n)
    out = np.empty((chunk.size, len(grid), 6))
    for j, m in enumerate(grid):
        t, e = observe(t_ev, fu.at(m))
        st = batch_statistics(t, e)
        cure = st["cure"]
        # Monte Carlo p-value of the presence test against this M's null sample
        p_pres = mc_pvalue(null_sorted[:, j], cure)
        width = np.where(cure > 0, st["upper"] - st["lower"], 0.0)
        out[:, j, 0] = mc_pvalue(qnull_sorted[:, j], st["n_n"] / n) <= alpha
        out[:, j, 5] = st["alpha_n"] <= alpha
        out[:, j, 1] = p_pres <= alpha
        out[:, j, 2] = width
        out[:, j, 3] = cure
        out[:, j, 4] = ym_reject_batch(t, e, x_alpha, eps)
    return list(out)


def mc_pvalue(null_sorted: np.ndarray, stat) -> np.ndarray:
    """Monte Carlo p-values (1 + #{null >= stat}) / (B + 1) for an array of statistics, from a
    sorted null sample (values within 1e-12 count as ties, i.e. as extreme).

    >>> mc_pvalue(np.array([0.1, 0.2, 0.2, 0.5]), np.array([0.2, 0.6, 0.0])).tolist()
    [0.8, 0.2, 1.0]
    """
    b = null_sorted.shape[0]
    n_ge = b - np.searchsorted(null_sorted, np.asarray(stat) - 1e-12, side="left")
    return (1 + n_ge) / (b + 1)


def ym_reject_batch(times, events, x_alpha, eps, a=0.34):
    """Yuen-Musta rejections (p <= alpha, i.e. x >= x_alpha) for the rows of (B, n) arrays
    without tied event times, tau = 2 tau_G, c = tau_G.

    The Grenander slope at u is computed by the min-max formula of the least concave
    majorant, slope(u) = min_{x_s < u} max_{x_v >= u} (y_v - y_s) / (x_v - x_s), vectorised
    over the rows; tests/evidence/test_plan.py checks it against a one-sample hull oracle
    and :func:`~.followup_tests.yuen_musta_test`.
    """
    from .maller_zhou import sorted_rows

    ts, es, at_risk = sorted_rows(times, events)
    b, n = ts.shape
    surv = np.cumprod(np.where(es, 1.0 - 1.0 / at_risk, 1.0), axis=1)
    csurv = np.cumprod(np.where(~es, 1.0 - 1.0 / at_risk, 1.0), axis=1)
    tg = ts[:, -1]
    x = np.concatenate((np.zeros((b, 1)), ts), axis=1)
    y = np.concatenate((np.zeros((b, 1)), 1.0 - surv), axis=1)
    u = tg * (1.0 - n ** (-a))
    left = x < u[:, None]
    # only the last m columns can hold points with x >= u (rows are sorted)
    m = int((~left).sum(axis=1).max())
    xv, yv, right = x[:, -m:], y[:, -m:], ~left[:, -m:]
    with np.errstate(divide="ignore", invalid="ignore"):
        sl = (yv[:, None, :] - y[:, :, None]) / (xv[:, None, :] - x[:, :, None])  # [s, v]
    sl = np.where(right[:, None, :], sl, -np.inf)
    sl = np.where(np.isnan(sl), -np.inf, sl)
    mx = sl.max(axis=2)                         # max over v >= u, for each s
    stat = np.where(left, mx, np.inf).min(axis=1)
    stat = np.maximum(stat, 0.0)
    thr = eps * (1.0 - surv[:, -1]) / tg        # tau - tau_G = tau_G
    before = (ts < tg[:, None]).sum(axis=1)     # observations strictly before tau_G
    sc = np.where(before > 0, np.take_along_axis(csurv, np.maximum(before - 1, 0)[:, None],
                                                 axis=1)[:, 0], 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        xval = (thr - stat) * n ** (0.5 * (1 - a)) * np.sqrt(tg * sc) / np.sqrt(stat)
    rej = np.where(stat <= 0, thr > 0, xval >= x_alpha)
    return np.where(es.any(axis=1), rej, False)
