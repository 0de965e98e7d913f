"""Gamma distribution (shape/rate)."""
from __future__ import annotations

import numpy as np
from scipy.special import gamma as gamma_fn, gammainc, gammaincinv, gammaln

from ._special import log_gammaincc
from ._start import exponential_rate
from .base import Distribution
from .constraints import positive
from .weibull import Weibull


class Gamma(Distribution):
    r"""Gamma: f(t) = rate^shape t^(shape-1) exp(-rate t) / Gamma(shape),
    S(t) = Q(shape, rate t) (regularised upper incomplete gamma), H(t) = -log S(t),
    h(t) = f(t) / S(t).

    Parameters ``shape`` (> 0) and ``rate`` (> 0, the location).
    R: ``flexsurvreg(Surv(time, status) ~ 1, dist = "gamma")``.

    >>> round(float(Gamma().mean([2.0, 0.5])), 12)
    4.0
    """

    name = "gamma"
    parameters = ("shape", "rate")
    constraints = (positive, positive)
    location = "rate"
    r_equivalent = 'flexsurvreg(Surv(time, status) ~ 1, dist = "gamma")'
    multimodal = True

    def cumulative_hazard(self, params, t):
        a, b = params
        return -log_gammaincc(a, b * np.asarray(t, dtype=float))

    def log_hazard(self, params, t):
        a, b = (np.asarray(p, dtype=float) for p in params)
        t = np.asarray(t, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            logf = a * np.log(b) + (a - 1) * np.log(t) - b * t - gammaln(a)
        return logf + self.cumulative_hazard(params, t)

    def quantile(self, params, p):
        a, b = params
        return gammaincinv(a, np.asarray(p, dtype=float)) / b

    def mean(self, params):
        a, b = (np.asarray(p, dtype=float) for p in params)
        return a / b

    def rmst(self, params, tau):
        a, b = (np.asarray(p, dtype=float) for p in params)
        tau = np.asarray(tau, dtype=float)
        with np.errstate(invalid="ignore"):
            tail = np.where(np.isinf(tau), 0.0, tau * self.survival(params, np.where(np.isinf(tau), 1.0, tau)))
        return tail + a / b * gammainc(a + 1, b * tau)

    def start(self, time, event, weights=None):
        lam = exponential_rate(time, event, weights)
        (aw, bw), = Weibull().start(time, event, weights)
        m = bw * gamma_fn(1 + 1 / aw)
        cv2 = gamma_fn(1 + 2 / aw) / gamma_fn(1 + 1 / aw) ** 2 - 1
        shape = float(np.clip(1 / cv2, 0.05, 50))
        return [(1.0, lam), (shape, shape / m)]
