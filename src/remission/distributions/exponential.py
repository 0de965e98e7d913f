"""Exponential distribution (constant hazard)."""
from __future__ import annotations

import numpy as np

from ._start import exponential_rate
from .base import Distribution
from .constraints import positive


class Exponential(Distribution):
    r"""Exponential: h(t) = rate, H(t) = rate t, S(t) = exp(-rate t).

    Parameter ``rate`` (> 0, the location: covariates act on log rate, a proportional-hazards
    model).  R: ``flexsurvreg(Surv(t, d) ~ 1, dist = "exp")``; ``survreg(..., dist =
    "exponential")`` reports ``intercept = -log(rate)``.

    >>> round(float(Exponential().median([0.1])), 9)
    6.931471806
    """

    name = "exponential"
    parameters = ("rate",)
    constraints = (positive,)
    location = "rate"
    r_equivalent = 'flexsurvreg(Surv(time, status) ~ 1, dist = "exp")'

    def log_hazard(self, params, t):
        (rate,) = params
        return np.log(rate) + np.zeros_like(np.asarray(t, dtype=float))

    def cumulative_hazard(self, params, t):
        (rate,) = params
        return rate * np.asarray(t, dtype=float)

    def derivatives(self, params, t):
        (rate,) = params
        t = np.asarray(t, dtype=float)
        rate = np.asarray(rate, dtype=float)
        return (np.log(rate) + np.zeros_like(t), rate * t, [1.0 / rate + np.zeros_like(t)], [t + 0 * rate])

    def quantile(self, params, p):
        (rate,) = params
        return -np.log1p(-np.asarray(p, dtype=float)) / rate

    def mean(self, params):
        return 1.0 / np.asarray(params[0], dtype=float)

    def rmst(self, params, tau):
        rate = np.asarray(params[0], dtype=float)
        return -np.expm1(-rate * np.asarray(tau, dtype=float)) / rate

    def start(self, time, event, weights=None):
        return [(exponential_rate(time, event, weights),)]
