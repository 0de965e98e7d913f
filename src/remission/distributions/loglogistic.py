"""Log-logistic distribution (flexsurv's llogis shape/scale)."""
from __future__ import annotations

import numpy as np
from scipy.special import expit

from ._start import km_points, line
from .base import Distribution
from .constraints import positive


def _softplus(u):
    return np.logaddexp(0.0, u)


class LogLogistic(Distribution):
    r"""Log-logistic: with u = shape (log t - log scale),

    S(t) = 1 / (1 + (t/scale)^shape),  H(t) = log(1 + exp(u)),
    h(t) = (shape / t) exp(u) / (1 + exp(u)).

    Parameters ``shape`` (> 0) and ``scale`` (> 0, the location; AFT).  R: ``flexsurvreg(...,
    dist = "llogis")``, or ``survreg(..., dist = "loglogistic")`` with ``scale =
    exp(intercept)`` and ``shape = 1 / survreg$scale``.

    >>> float(LogLogistic().median([3.0, 5.0]))
    5.0
    """

    name = "loglogistic"
    parameters = ("shape", "scale")
    constraints = (positive, positive)
    location = "scale"
    r_equivalent = 'flexsurvreg(Surv(time, status) ~ 1, dist = "llogis")'

    def log_hazard(self, params, t):
        a, b = params
        with np.errstate(divide="ignore"):
            lt = np.log(t)
        u = a * (lt - np.log(b))
        return np.log(a) - lt - _softplus(-u)

    def cumulative_hazard(self, params, t):
        a, b = params
        with np.errstate(divide="ignore"):
            return _softplus(a * (np.log(t) - np.log(b)))

    def derivatives(self, params, t):
        a, b = (np.asarray(p, dtype=float) for p in params)
        with np.errstate(divide="ignore"):
            lt = np.log(t)
        z = lt - np.log(b)
        u = a * z
        H = _softplus(u)
        logh = np.log(a) - lt + u - H
        s = expit(u)
        ab = a / b
        return logh, H, [1.0 / a + (1 - s) * z, -(1 - s) * ab], [s * z, -s * ab]

    def quantile(self, params, p):
        a, b = params
        p = np.asarray(p, dtype=float)
        return b * (p / (1 - p)) ** (1.0 / np.asarray(a, dtype=float))

    def mean(self, params):
        a, b = (np.asarray(p, dtype=float) for p in params)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(a > 1, b * (np.pi / a) / np.sin(np.pi / a), np.inf)

    def start(self, time, event, weights=None):
        t, s = km_points(time, event, weights)
        icpt, slope = line(np.log(t), np.log(1 / s - 1))
        a = float(np.clip(slope, 0.05, 20))
        b = float(np.exp(-icpt / slope)) if slope > 0 else float(np.median(t))
        return [(a, b)]
