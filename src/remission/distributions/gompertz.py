"""Gompertz distribution (flexsurv's shape/rate); a negative shape gives a plateau (cure)."""
from __future__ import annotations

import numpy as np
from scipy.special import exp1

from ._start import exponential_rate
from .base import Distribution
from .constraints import positive, real


def _e(x):
    """expm1(x) / x, with E(0) = 1."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < 1e-5
    xs = np.where(small, 1.0, x)
    return np.where(small, 1 + x / 2 + x * x / 6, np.expm1(xs) / xs)


def _de(x):
    """d/dx [expm1(x) / x]."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < 1e-3
    xs = np.where(small, 1.0, x)
    big = (xs * np.exp(xs) - np.expm1(xs)) / (xs * xs)
    return np.where(small, 0.5 + x / 3 + x * x / 8 + x ** 3 / 30, big)


class Gompertz(Distribution):
    r"""Gompertz: h(t) = rate exp(shape t),  H(t) = (rate / shape) (exp(shape t) - 1),
    S(t) = exp(-H(t))  (H = rate t when shape = 0).

    Parameters ``shape`` (real) and ``rate`` (> 0, the location: covariates act on log rate,
    proportional hazards).  With ``shape < 0`` the hazard falls to zero and survival levels
    off at the long-term survival S(inf) = exp(rate / shape) (see :meth:`long_term_survival`);
    quantiles below that level are infinite and so is the mean.
    R: ``flexsurvreg(Surv(time, status) ~ 1, dist = "gompertz")``.

    >>> round(float(Gompertz().long_term_survival([-0.5, 0.1])), 6)
    0.818731
    """

    name = "gompertz"
    parameters = ("shape", "rate")
    constraints = (real, positive)
    location = "rate"
    r_equivalent = 'flexsurvreg(Surv(time, status) ~ 1, dist = "gompertz")'

    def log_hazard(self, params, t):
        a, b = params
        return np.log(b) + a * np.asarray(t, dtype=float)

    def cumulative_hazard(self, params, t):
        a, b = params
        t = np.asarray(t, dtype=float)
        with np.errstate(over="ignore", invalid="ignore"):
            return b * t * _e(a * t)

    def derivatives(self, params, t):
        a, b = (np.asarray(p, dtype=float) for p in params)
        t = np.asarray(t, dtype=float)
        x = a * t
        with np.errstate(over="ignore", invalid="ignore"):
            H = b * t * _e(x)
            dH_a = b * t * t * _de(x)
        logh = np.log(b) + x
        return logh, H, [t + 0 * a, 1.0 / b + 0 * t], [dH_a, H / b]

    def long_term_survival(self, params):
        a, b = (np.asarray(p, dtype=float) for p in params)
        with np.errstate(divide="ignore", over="ignore"):
            out = np.where(a < 0, np.exp(b / np.where(a < 0, a, -1.0)), 0.0)
        return out if out.shape else float(out)

    def quantile(self, params, p):
        a, b = (np.asarray(x, dtype=float) for x in params)
        q = -np.log1p(-np.asarray(p, dtype=float))
        y = a * q / b
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(np.abs(a) < 1e-12, q / b, np.log1p(np.where(y > -1, y, 0.0)) / np.where(a == 0, 1.0, a))
            t = np.where(y <= -1, np.inf, t)
        return t if t.shape else float(t)

    def mean(self, params):
        a, b = (np.asarray(p, dtype=float) for p in params)
        shape = np.broadcast(a, b).shape
        a, b = np.broadcast_to(a, shape).ravel(), np.broadcast_to(b, shape).ravel()
        out = np.empty(a.size)
        for i in range(a.size):
            c = b[i] / a[i] if a[i] != 0 else np.inf
            if a[i] < 0:
                out[i] = np.inf
            elif a[i] == 0 or c > 700:
                out[i] = super().mean([a[i], b[i]])
            else:
                out[i] = np.exp(c) * exp1(c) / a[i]
        return out.reshape(shape) if shape else float(out[0])

    def start(self, time, event, weights=None):
        lam = exponential_rate(time, event, weights)
        tmax = float(np.max(time))
        return [(0.0, lam), (1.0 / tmax, lam * 0.5), (-1.0 / tmax, lam * 1.5)]
