"""Weibull distribution (flexsurv's shape/scale parameterisation)."""
from __future__ import annotations

import numpy as np
from scipy.special import gamma as gamma_fn, gammainc

from ._start import km_points, line
from .base import Distribution
from .constraints import positive


class Weibull(Distribution):
    r"""Weibull: with u = shape (log t - log scale),

    h(t) = (shape / t) exp(u),  H(t) = (t / scale)^shape = exp(u),  S(t) = exp(-(t/scale)^shape).

    Parameters ``shape`` (> 0) and ``scale`` (> 0, the location: covariates act on log scale,
    an accelerated-failure-time model).  R: ``flexsurvreg(..., dist = "weibull")``, or
    ``survreg(..., dist = "weibull")`` with ``scale = exp(intercept)`` and ``shape =
    1 / survreg$scale``.

    >>> round(float(Weibull().median([2.0, 10.0])), 6)
    8.325546
    """

    name = "weibull"
    parameters = ("shape", "scale")
    constraints = (positive, positive)
    location = "scale"
    r_equivalent = 'flexsurvreg(Surv(time, status) ~ 1, dist = "weibull")'

    def log_hazard(self, params, t):
        a, b = params
        with np.errstate(divide="ignore"):
            lt = np.log(t)
        return np.log(a) - lt + a * (lt - np.log(b))

    def cumulative_hazard(self, params, t):
        a, b = params
        with np.errstate(divide="ignore"):
            return np.exp(a * (np.log(t) - np.log(b)))

    def derivatives(self, params, t):
        a, b = (np.asarray(p, dtype=float) for p in params)
        with np.errstate(divide="ignore"):
            lt = np.log(t)
        z = lt - np.log(b)
        u = a * z
        H = np.exp(u)
        logh = np.log(a) - lt + u
        ab = a / b
        return logh, H, [1.0 / a + z, -ab + 0 * z], [H * z, -ab * H]

    def fast_loglik(self, params, fd, gradient=False):
        """Intercept-only log-likelihood from precomputed sums (see models.likelihood)."""
        a, b = params
        lb = np.log(b)
        H = np.exp(a * (fd.logt - lb))
        sH = float(np.dot(fd.w, H))
        ll = fd.D * (np.log(a) - lb) + (a - 1) * (fd.SL - fd.D * lb) - sH
        if fd.elogt is not None:
            He = np.exp(a * (fd.elogt - lb))
            sHe = float(np.dot(fd.ew, He))
            ll += sHe
        if not gradient:
            return ll, None
        sHz = float(np.dot(fd.w, H * fd.logt)) - lb * sH
        ga = fd.D / a + (fd.SL - fd.D * lb) - sHz
        gb = -fd.D * a / b + a / b * sH
        if fd.elogt is not None:
            ga += float(np.dot(fd.ew, He * fd.elogt)) - lb * sHe
            gb -= a / b * sHe
        return ll, [ga, gb]

    def quantile(self, params, p):
        a, b = params
        return b * (-np.log1p(-np.asarray(p, dtype=float))) ** (1.0 / np.asarray(a, dtype=float))

    def mean(self, params):
        a, b = (np.asarray(p, dtype=float) for p in params)
        return b * gamma_fn(1 + 1 / a)

    def rmst(self, params, tau):
        a, b = (np.asarray(p, dtype=float) for p in params)
        x = (np.asarray(tau, dtype=float) / b) ** a
        return b * gamma_fn(1 + 1 / a) * gammainc(1 / a, x)

    def start(self, time, event, weights=None):
        t, s = km_points(time, event, weights)
        icpt, slope = line(np.log(t), np.log(-np.log(s)))
        a = float(np.clip(slope, 0.05, 20))
        b = float(np.exp(-icpt / slope)) if slope > 0 else float(np.median(t))
        return [(a, b)]
