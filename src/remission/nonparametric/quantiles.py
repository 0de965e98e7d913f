"""Quantiles of a step survival curve and their confidence limits, as R's quantile.survfit.

The p-quantile is where a horizontal line at 1 - p meets the curve; where the curve is
flat exactly at that level (within sqrt(machine epsilon)) the midpoint rule of the usual
median is used.  Limits are the same quantile of the lower and upper confidence curves
(Brookmeyer and Crowley's construction, as R reports it).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TOL = np.sqrt(np.finfo(float).eps)


@dataclass(frozen=True)
class Estimate:
    """A point estimate with confidence limits; any of them may be None (not reached)."""

    estimate: float | None
    lower: float | None
    upper: float | None

    def as_dict(self) -> dict:
        return {"estimate": self.estimate, "lower": self.lower, "upper": self.upper}


def _findq(x: np.ndarray, y: np.ndarray, p: float, tol: float = TOL) -> float | None:
    """x: times with a leading start time; y: cumulative distribution 1 - S (leading 0)."""
    ok = ~np.isnan(y)
    if not ok.any() or np.nanmax(y) < p:
        return None
    xmax = x[-1]
    # drop repeated levels (censorings), keeping where each level is first reached
    keep = np.ones(y.size, dtype=bool)
    yy = np.where(np.isnan(y), np.inf, y)  # NaN compare: treat runs of NaN as duplicates
    keep[1:] = yy[1:] != yy[:-1]
    x, y = x[keep], y[keep]
    idx = np.arange(y.size)
    valid = ~np.isnan(y)
    yv, iv = y[valid], idx[valid]

    def first_at_or_above(level_shift: float):
        # approx(y + shift, idx, p, method="constant", f=1): first index with y+shift >= p,
        # NA when p lies outside the range of y + shift.
        ys = yv + level_shift
        if p < ys[0] or p > ys[-1]:
            return None
        j = int(np.searchsorted(ys, p, side="left"))
        return int(iv[j])

    i1 = first_at_or_above(tol)
    i2 = first_at_or_above(-tol)
    if p == 0:
        return float(x[0])
    last = y[-1]
    if not np.isnan(last) and abs(p - last) < tol and i1 is not None:
        return float((x[i1] + xmax) / 2.0)
    if i1 is None or i2 is None:
        return None
    return float((x[i1] + x[i2]) / 2.0)


def curve_quantile(time, surv, p: float, start: float = 0.0) -> float | None:
    """The p-quantile (p in [0, 1]) of the event-time distribution of a step survival curve."""
    x = np.concatenate(([start], np.asarray(time, dtype=float)))
    y = np.concatenate(([0.0], 1.0 - np.asarray(surv, dtype=float)))
    return _findq(x, y, p)


def km_quantile(time, surv, lower, upper, p: float, start: float = 0.0) -> Estimate:
    """Quantile with limits from the confidence curves (lower time from the lower curve)."""
    return Estimate(curve_quantile(time, surv, p, start),
                    curve_quantile(time, lower, p, start),
                    curve_quantile(time, upper, p, start))
