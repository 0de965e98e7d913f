"""Derived quantities of a cure fit, evaluated for many coefficient vectors at once.

Every quantity is a function ``fn(theta, at)`` of the natural-scale parameters (arrays that
broadcast against ``at``).  :func:`evaluate` computes it for a stack of coefficient vectors
(R, p) and the prediction profiles in one vectorised call, which serves both the delta method
(the estimate and 2p perturbed coefficient vectors) and the bootstrap (one row per replicate).

Intervals are built on a scale that keeps them in range:

* survival-type quantities (S, S_u): log(-log S) ("log-cumulative-hazard");
* probabilities pi / S(t): logit (delta method).  ``CureFit.probability_cured`` instead
  uses :func:`projection_prediction` (the extremes over the coefficients' Wald ellipsoid),
  whose bounds rise with t as every fitted curve does;
* the cure fraction: the model's own link scale (an interval for the linear predictor);
* times (medians, time to 90% / 95% probability of cure): log.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..prediction import (TRANSFORMS, Prediction, delta_method, percentile_interval,
                          transform_for, z_value)
from ..result import evaluate


@dataclass(frozen=True)
class Quantity:
    """A derived quantity: name, function of (theta, at) and interval scale."""

    what: str
    fn: object
    scale: str
    #: optional fn on the interval scale, computed without rounding to the ends of the range
    #: (e.g. log-odds of a probability that rounds to 1); used by the projection interval
    scaled: object = None


def delta_prediction(fit, q: Quantity, at, Xs, m, link=None, conf_level=0.95, average=False,
                     scale=None) -> Prediction:
    """Estimate and delta-method interval (:func:`remission.models.prediction.delta_method`)
    on the quantity's scale (or ``scale``); with ``average`` the quantity is averaged over the
    m profiles (one row)."""
    at = np.atleast_1d(np.asarray(at, dtype=float))

    def value(rows):
        vals = evaluate(fit, q.fn, at, rows, Xs, m)
        return vals.mean(axis=1, keepdims=True) if average else vals
    tr = transform_for(scale or q.scale, link)
    est, lo, up, se = delta_method(value, fit.coef, fit.vcov, conf_level, tr)
    return Prediction(q.what, at, est, lo, up, se, tr[2], conf_level)


def projection_prediction(fit, q: Quantity, at, Xs, m, conf_level=0.95) -> Prediction:
    """Estimate and the interval [min, max] of the quantity over the Wald confidence
    ellipsoid {b : (b - b_hat)' V^-1 (b - b_hat) <= z^2} of the coefficients.

    For a quantity linear in the coefficients this is exactly the delta-method interval; it
    does not linearise, so it is invariant to the scale and stays in range; and because every
    coefficient vector enters with the same region at every ``at``, a quantity monotone in
    ``at`` for each coefficient vector (P(cured | event-free at t)) gets monotone bounds.
    """
    from scipy.optimize import minimize

    at = np.atleast_1d(np.asarray(at, dtype=float))
    est = evaluate(fit, q.fn, at, fit.coef[None, :], Xs, m)[0]
    lo = np.full(est.shape, np.nan)
    up = np.full(est.shape, np.nan)
    z = z_value(conf_level)
    V = np.asarray(fit.vcov, dtype=float)
    k = fit.coef.size
    if k == 0 or not np.all(np.isfinite(V)):
        return Prediction(q.what, at, est, lo, up, np.full(est.shape, np.nan),
                          "confidence-ellipsoid projection", conf_level)
    w, U = np.linalg.eigh((V + V.T) / 2)
    L = U * np.sqrt(np.clip(w, 0, None))  # V = L L'
    fwd, _, _ = TRANSFORMS[q.scale]

    scaled = q.scaled or (lambda th, a: fwd(q.fn(th, a)))
    h = 1e-6
    E = np.vstack([np.zeros(k), h * np.eye(k), -h * np.eye(k)])

    def g(u, i, j, sign):
        # the objective on the quantity's interval scale (a monotone map: same argmin), which
        # keeps the optimiser away from the flat ends at 0 and 1; value and central-difference
        # gradient in u from one vectorised evaluation
        b = fit.coef + z * (u + E) @ L.T
        with np.errstate(all="ignore"):
            f = evaluate(fit, scaled, at[j:j + 1], b, Xs, m)[:, i, 0]
        if not np.all(np.isfinite(f)):
            return sign * 1e300 * (1 if f[0] > 0 else -1), np.zeros(k)
        return sign * float(f[0]), sign * (f[1:k + 1] - f[k + 1:]) / (2 * h)

    cons = ({"type": "ineq", "fun": lambda u: 1.0 - u @ u, "jac": lambda u: -2.0 * u},)
    # the objective need not be convex on the ellipsoid: start the local optimiser from the
    # best of a fixed (seeded, so reproducible) spread of points on its surface
    sphere = np.random.default_rng(0).normal(size=(256 * k, k))
    sphere /= np.linalg.norm(sphere, axis=1)[:, None]
    with np.errstate(all="ignore"):
        cloud = evaluate(fit, scaled, at, fit.coef + z * sphere @ L.T, Xs, m)
    cloud = np.where(np.isnan(cloud), 0.0, cloud)
    for i in range(m):
        for j in range(at.size):
            if not np.isfinite(est[i, j]):
                continue
            ends = []
            for sign in (1.0, -1.0):
                u0 = 0.99 * sphere[int(np.argmin(sign * cloud[:, i, j]))]
                r = minimize(g, u0, args=(i, j, sign), jac=True, method="SLSQP",
                             constraints=cons, options={"ftol": 1e-10, "maxiter": 200})
                u = r.x / max(1.0, float(np.linalg.norm(r.x)))
                if g(u, i, j, sign)[0] > g(u0, i, j, sign)[0]:  # the optimiser lost ground
                    u = u0
                v = float(evaluate(fit, q.fn, at[j:j + 1], (fit.coef + z * (L @ u))[None, :],
                                   Xs, m)[0, i, 0])
                ends.append(min(v, est[i, j]) if sign > 0 else max(v, est[i, j]))
            lo[i, j], up[i, j] = ends
    return Prediction(q.what, at, est, lo, up, np.full(est.shape, np.nan),
                      "confidence-ellipsoid projection", conf_level)


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
    lo, up, se = percentile_interval(vals, conf_level)
    return Prediction(q.what, at, est, lo, up, se, "bootstrap percentile", conf_level)


# ---------------------------------------------------------------------- the quantities
def cure_fraction_q(dist) -> Quantity:
    return Quantity("cure_fraction", lambda th, at: th[0] * np.ones_like(at), "link")


def survival_q(dist) -> Quantity:
    return Quantity("survival", dist.survival, "loglog")


def uncured_survival_q(dist) -> Quantity:
    return Quantity("uncured_survival", lambda th, at: dist.base.survival(th[1:], at), "loglog")


def quantile_q(dist) -> Quantity:
    """Quantiles of the overall survival (parameters and p broadcast to one shape first)."""
    def fn(th, p):
        shape = np.broadcast(*th, p).shape
        return dist.quantile([np.broadcast_to(x, shape) for x in th], np.broadcast_to(p, shape))
    return Quantity("quantile", fn, "log")


def uncured_quantile_q(dist) -> Quantity:
    return Quantity("uncured_quantile", lambda th, p: dist.base.quantile(th[1:], p), "log")


def probability_cured_q(dist) -> Quantity:
    """P(cured | event-free at t) = pi / S(t)."""
    def fn(th, at):
        return np.clip(th[0] / dist.survival(th, at), 0.0, 1.0)

    def log_odds(th, at):
        # pi / S(t) on the logit scale without rounding at 1: for the mixture model
        # log(pi / (S - pi)) = logit(pi) + H_u(t); for the non-mixture model pi / S = pi^S_u
        pi = th[0]
        Hu = dist.base.cumulative_hazard(th[1:], at)
        if getattr(dist, "kind", "") == "mixture":
            return np.log(pi) - np.log1p(-pi) + Hu
        lp = np.exp(-Hu) * np.log(pi)  # log P(cured | T > t)
        return lp - np.log(-np.expm1(lp))
    return Quantity("probability_cured", fn, "logit", log_odds)


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
