"""What every fitted model predicts with: the :class:`Prediction` value, the interval scales,
the one delta method and the bootstrap percentile interval.

Every prediction of every fitted model (:class:`~remission.models.protocol.FittedModel`) is a
:class:`Prediction`: an estimate and pointwise confidence limits of shape (profiles, points).
Its interval is built in one of two ways:

* :func:`delta_method`: the estimate and 2k central-difference perturbations of the k
  coefficients are evaluated in one batched call; the gradient on an interval scale
  (:data:`TRANSFORMS`: log(-log S) for survival, log for times and hazards, logit for
  probabilities, or a cure model's own link) meets the coefficient covariance, and the
  interval is mapped back, so it respects the quantity's range;
* :func:`percentile_interval`: percentiles over bootstrap replicates.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ..table import json_number as _num


@dataclass(frozen=True, eq=False)
class Prediction:
    """Point estimates and pointwise confidence limits: arrays of shape (profiles, points).

    ``at`` holds the times (or probabilities, or horizons) predicted at; ``scale`` names the
    scale on which the interval was built (e.g. ``log-cumulative-hazard``, ``bootstrap
    percentile``); ``se`` is the standard error on that scale (NaN when not defined).
    """

    what: str
    at: np.ndarray
    estimate: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    se: np.ndarray
    scale: str
    conf_level: float

    def records(self, profile: int = 0, key: str = "time") -> list[dict]:
        def num(v):
            v = float(v)
            return v if np.isfinite(v) else None
        return [{key: float(a), self.what: num(e), "estimate": num(e), "lower": num(lo),
                 "upper": num(up)}
                for a, e, lo, up in zip(self.at, self.estimate[profile], self.lower[profile],
                                        self.upper[profile])]

    def triple(self, profile: int = 0, point: int = 0) -> dict:
        """``{"estimate", "lower", "upper"}`` of one cell (non-finite -> None)."""
        return {"estimate": _num(self.estimate[profile, point]),
                "lower": _num(self.lower[profile, point]),
                "upper": _num(self.upper[profile, point])}


def _logit(p):
    from scipy.special import logit

    return logit(p)


def _expit(g):
    from scipy.special import expit

    return expit(g)


#: interval scales: name -> (forward, inverse, description); intervals are built on forward
TRANSFORMS = {
    "loglog": (lambda s: np.log(-np.log(s)), lambda g: np.exp(-np.exp(g)),
               "log-cumulative-hazard"),
    "log": (np.log, np.exp, "log"),
    "logit": (_logit, _expit, "logit"),
    "identity": (lambda x: x, lambda x: x, "identity"),
}


def transform_for(name: str, link=None):
    """(forward, inverse, description) of the interval scale ``name``; ``"link"`` is a cure
    model's own link (an interval for its linear predictor; identity clipped to [0, 1])."""
    if name == "link":
        if link.name == "identity":
            return (lambda x: x, lambda x: np.clip(x, 0.0, 1.0), "identity (clipped to [0, 1])")
        return (link.inverse, link.forward, f"{link.name} link")
    return TRANSFORMS[name]


def z_value(conf_level: float) -> float:
    """The two-sided normal quantile of ``conf_level`` (1.96 for 0.95)."""
    from scipy.special import ndtri

    return float(ndtri(0.5 + conf_level / 2))


def delta_method(value, coef, vcov, conf_level: float, transform, *, step: float = 1e-6):
    """The delta method, once for every model and quantity.

    ``value(rows)`` evaluates the quantity for coefficient rows (R, k) and returns an array
    (R, ...); it is called once with the estimate and the 2k central-difference
    perturbations (step ``step * (1 + |coef_i|)``).  ``transform`` is (forward, inverse,
    description) of the interval scale.  Returns (estimate, lower, upper, se on that scale).

    Where the scale is undefined at a finite estimate (S = 1 at t = 0 on the log(-log) scale)
    the interval is the point; a non-finite covariance (a singular information matrix) gives
    no interval (NaN), never a zero-width one.
    """
    coef = np.asarray(coef, dtype=float)
    k = coef.size
    steps = step * (1 + np.abs(coef))
    rows = [coef]
    for i in range(k):
        e = np.zeros(k)
        e[i] = steps[i]
        rows += [coef + e, coef - e]
    vals = np.asarray(value(np.array(rows).reshape(2 * k + 1, k)), dtype=float)
    est = vals[0]
    fwd, inv, _ = transform
    z = z_value(conf_level)
    with np.errstate(all="ignore"):
        g = fwd(vals)
        J = np.stack([(g[1 + 2 * i] - g[2 + 2 * i]) / (2 * steps[i]) for i in range(k)]) \
            if k else np.zeros((0,) + est.shape)
        var = np.einsum("i...,ij,j...->...", J, np.asarray(vcov, dtype=float), J)
        se = np.sqrt(np.clip(var, 0, None))
        a = inv(g[0] - z * se)
        b = inv(g[0] + z * se)
    lo, up = np.minimum(a, b), np.maximum(a, b)
    bad = ~np.isfinite(g[0]) | ~np.isfinite(se)
    lo = np.where(bad, np.nan, lo)
    up = np.where(bad, np.nan, up)
    deg = ~np.isfinite(g[0]) & np.isfinite(est)
    return est, np.where(deg, est, lo), np.where(deg, est, up), se


def percentile(v, q):
    """np.quantile over axis 0 that treats +inf as a value (inf - inf interpolation -> inf)."""
    v = np.asarray(v, dtype=float)
    with np.errstate(invalid="ignore"):
        r = np.quantile(v, q, axis=0)
        hi = np.quantile(np.where(np.isinf(v), np.finfo(float).max, v), q, axis=0)
    return np.where(np.isnan(r) & (hi >= np.finfo(float).max), np.inf, r)


def percentile_interval(vals, conf_level):
    """Percentile interval and SE over replicate values (axis 0); NaN replicates (e.g. a median
    never reached) count as +inf, a legitimate order statistic."""
    alpha = 1 - conf_level
    with np.errstate(all="ignore"):
        v = np.where(np.isnan(vals), np.inf, vals)
        lo, up = percentile(v, alpha / 2), percentile(v, 1 - alpha / 2)
        fin = np.where(np.isfinite(vals), vals, np.nan)
        ok = np.sum(np.isfinite(fin), axis=0) > 1  # nanstd warns on fewer than 2 values
        se = np.full(vals.shape[1:], np.nan)
        if vals.shape[0] > 1 and np.any(ok):
            se = np.where(ok, np.nanstd(np.where(ok, fin, 0.0), axis=0, ddof=1), np.nan)
    return lo, up, se
