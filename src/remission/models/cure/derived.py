"""Derived quantities of a cure fit, evaluated for many coefficient vectors at once.

Every quantity is a function ``fn(theta, at)`` of the natural-scale parameters (arrays that
broadcast against ``at``).  :func:`evaluate` computes it for a stack of coefficient vectors
(R, p) and the prediction profiles in one vectorised call, which serves both the delta method
(the estimate and 2p perturbed coefficient vectors) and the bootstrap (one row per replicate).

Intervals are built on a scale that keeps them in range:

* survival-type quantities (S, S_u): log(-log S) ("log-cumulative-hazard");
* probabilities pi / S(t): logit;
* the cure fraction: the model's own link scale (an interval for the linear predictor);
* times (medians, time to 90% / 95% probability of cure): log.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, logit

from ..result import Prediction

_TRANSFORMS = {
    "loglog": (lambda s: np.log(-np.log(s)), lambda g: np.exp(-np.exp(g)),
               "log-cumulative-hazard"),
    "log": (np.log, np.exp, "log"),
    "logit": (logit, expit, "logit"),
    "identity": (lambda x: x, lambda x: x, "identity"),
}


def transform_for(name, link=None):
    """(forward, inverse, description) of the interval scale ``name`` ("link" = the cure link)."""
    if name == "link":
        if link.name == "identity":
            return (lambda x: x, lambda x: np.clip(x, 0.0, 1.0), "identity (clipped to [0, 1])")
        return (link.inverse, link.forward, f"{link.name} link")
    return _TRANSFORMS[name]


def theta_stack(fit, coefs, Xs, m):
    """Natural parameters for coefficient rows ``coefs`` (R, p): list of (R, m) arrays."""
    coefs = np.atleast_2d(np.asarray(coefs, dtype=float))
    R = coefs.shape[0]
    out = []
    for X, s, f, b in zip(Xs, fit.layout.slices, fit.layout.fixed, fit.dist.bijections()):
        if f is not None:
            eta = np.full((R, m), float(b.inverse(f)))
        elif X is None:
            eta = np.repeat(coefs[:, s.start][:, None], m, axis=1)
        else:
            eta = coefs[:, s] @ X.T
        with np.errstate(all="ignore"):
            out.append(b.forward(eta))
    return out


def evaluate(fit, fn, at, coefs, Xs, m):
    """fn for every coefficient row: array (R, m, len(at))."""
    at = np.atleast_1d(np.asarray(at, dtype=float))
    th = [t[:, :, None] for t in theta_stack(fit, coefs, Xs, m)]
    with np.errstate(all="ignore"):
        v = np.asarray(fn(th, at[None, None, :]), dtype=float)
    return v * np.ones((th[0].shape[0], m, at.size))


@dataclass(frozen=True)
class Quantity:
    """A derived quantity: name, function of (theta, at) and interval scale."""

    what: str
    fn: object
    scale: str


def delta_prediction(fit, q: Quantity, at, Xs, m, link=None, conf_level=0.95, average=False,
                     scale=None) -> Prediction:
    """Estimate and delta-method interval on the quantity's scale (or ``scale``); with
    ``average`` the quantity is averaged over the m profiles (one row)."""
    from scipy.stats import norm

    at = np.atleast_1d(np.asarray(at, dtype=float))
    k = fit.coef.size
    free = np.ones(k, bool)
    steps = 1e-6 * (1 + np.abs(fit.coef))
    rows = [fit.coef]
    for i in range(k):
        e = np.zeros(k)
        e[i] = steps[i]
        rows += [fit.coef + e, fit.coef - e]
    vals = evaluate(fit, q.fn, at, np.array(rows), Xs, m)
    if average:
        vals = vals.mean(axis=1, keepdims=True)
    est = vals[0]
    fwd, inv, desc = transform_for(scale or q.scale, link)
    z = float(norm.ppf(0.5 + conf_level / 2))
    with np.errstate(all="ignore"):
        g = fwd(vals)
        J = np.stack([(g[1 + 2 * i] - g[2 + 2 * i]) / (2 * steps[i]) for i in range(k)]) \
            if k else np.zeros((0,) + est.shape)
        V = np.where(np.isfinite(fit.vcov), fit.vcov, 0.0) if free.any() else fit.vcov
        var = np.einsum("i...,ij,j...->...", J, V, J)
        se = np.sqrt(np.clip(var, 0, None))
        a = inv(g[0] - z * se)
        b = inv(g[0] + z * se)
    lo, up = np.minimum(a, b), np.maximum(a, b)
    bad = ~np.isfinite(g[0]) | ~np.isfinite(se)
    lo = np.where(bad, np.nan, lo)
    up = np.where(bad, np.nan, up)
    # where the transformation is degenerate (e.g. S = 1 at t = 0) the interval is the point
    deg = ~np.isfinite(g[0]) & np.isfinite(est)
    lo = np.where(deg, est, lo)
    up = np.where(deg, est, up)
    return Prediction(q.what, at, est, lo, up, se, desc, conf_level)


def bootstrap_prediction(fit, q: Quantity, at, Xs, m, coefs, conf_level=0.95,
                         average=False) -> Prediction:
    """Estimate at the full-data fit and percentile interval over replicate coefficients."""
    at = np.atleast_1d(np.asarray(at, dtype=float))
    est = evaluate(fit, q.fn, at, fit.coef[None, :], Xs, m)
    vals = evaluate(fit, q.fn, at, coefs, Xs, m)
    if average:
        est = est.mean(axis=1, keepdims=True)
        vals = vals.mean(axis=1, keepdims=True)
    est = est[0]
    alpha = 1 - conf_level
    with np.errstate(all="ignore"):
        # an infinite replicate (e.g. a median never reached) is a legitimate order statistic
        v = np.where(np.isnan(vals), np.inf, vals)
        lo = percentile(v, alpha / 2)
        up = percentile(v, 1 - alpha / 2)
        fin = np.where(np.isfinite(vals), vals, np.nan)
        se = np.nanstd(fin, axis=0, ddof=1) if coefs.shape[0] > 1 else np.full(est.shape, np.nan)
    return Prediction(q.what, at, est, lo, up, se, "bootstrap percentile", conf_level)


def percentile(v, q):
    """np.quantile over axis 0 that treats +inf as a value (inf - inf interpolation -> inf)."""
    v = np.asarray(v, dtype=float)
    with np.errstate(invalid="ignore"):
        r = np.quantile(v, q, axis=0)
        hi = np.quantile(np.where(np.isinf(v), np.finfo(float).max, v), q, axis=0)
    return np.where(np.isnan(r) & (hi >= np.finfo(float).max), np.inf, r)


# ---------------------------------------------------------------------- the quantities
def cure_fraction_q(dist) -> Quantity:
    return Quantity("cure_fraction", lambda th, at: th[0] * np.ones_like(at), "link")


def survival_q(dist) -> Quantity:
    return Quantity("survival", dist.survival, "loglog")


def uncured_survival_q(dist) -> Quantity:
    return Quantity("uncured_survival", lambda th, at: dist.base.survival(th[1:], at), "loglog")


def uncured_quantile_q(dist) -> Quantity:
    return Quantity("uncured_quantile", lambda th, p: dist.base.quantile(th[1:], p), "log")


def probability_cured_q(dist) -> Quantity:
    """P(cured | event-free at t) = pi / S(t)."""
    def fn(th, at):
        return np.clip(th[0] / dist.survival(th, at), 0.0, 1.0)
    return Quantity("probability_cured", fn, "logit")


def cure_time_q(dist) -> Quantity:
    """Time at which pi / S(t) reaches ``q`` (S(t) = pi / q): F(t) = 1 - pi / q."""
    def fn(th, q):
        pi = th[0]
        p = 1.0 - pi / q
        shape = np.broadcast(*th, q).shape
        p = np.broadcast_to(p, shape)
        thb = [np.broadcast_to(x, shape) for x in th]
        out = np.asarray(dist.quantile(thb, np.clip(p, 0.0, 1.0)), dtype=float)
        return np.where(p <= 0, 0.0, np.where(pi > 0, out, np.inf))
    return Quantity("cure_time", fn, "log")
