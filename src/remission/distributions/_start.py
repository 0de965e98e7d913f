"""Data-driven starting values: linearised fits to the Kaplan-Meier curve."""
from __future__ import annotations

import numpy as np


def km_points(time, event, weights=None):
    """(t, S) at the distinct event times, with S strictly inside (0, 1).

    A plain weighted Kaplan-Meier (ties: events before censorings); only used for starts.
    """
    t = np.asarray(time, dtype=float)
    d = np.asarray(event, dtype=bool)
    w = np.ones_like(t) if weights is None else np.asarray(weights, dtype=float)
    if t.size > 20000:  # starting values need no more than a systematic subsample
        step = t.size // 20000
        t, d, w = t[::step], d[::step], w[::step]
    order = np.argsort(t, kind="stable")
    t, d, w = t[order], d[order], w[order]
    ut, inv = np.unique(t, return_inverse=True)
    n_ev = np.bincount(inv, weights=w * d, minlength=ut.size)
    n_all = np.bincount(inv, weights=w, minlength=ut.size)
    at_risk = n_all[::-1].cumsum()[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.cumprod(np.where(at_risk > 0, 1 - n_ev / at_risk, 1.0))
    keep = (n_ev > 0) & (s > 0) & (s < 1) & (ut > 0)
    if keep.sum() < 2:  # too few: use the empirical distribution of the times
        ut = np.unique(t[t > 0])
        s = 1 - (np.arange(1, ut.size + 1) - 0.5) / ut.size
        return ut, s
    return ut[keep], s[keep]


def line(x, y):
    """Least-squares (intercept, slope) of y on x; slope 1 when x has no spread."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size < 2 or np.ptp(x) == 0:
        return (float(np.mean(y)) if y.size else 0.0), 1.0
    slope, icpt = np.polyfit(x, y, 1)
    return float(icpt), float(slope)


def exponential_rate(time, event, weights=None) -> float:
    t = np.asarray(time, dtype=float)
    d = np.asarray(event, dtype=float)
    w = np.ones_like(t) if weights is None else np.asarray(weights, dtype=float)
    D = float(np.sum(w * d))
    T = float(np.sum(w * t))
    return max(D, 0.5) / max(T, 1e-300)
