"""Log-normal distribution."""
from __future__ import annotations

import numpy as np
from scipy.special import log_ndtr, ndtr, ndtri

from ._start import km_points, line
from .base import Distribution
from .constraints import positive, real

_LOG_SQRT_2PI = 0.5 * np.log(2 * np.pi)


class LogNormal(Distribution):
    r"""Log-normal: with z = (log t - meanlog) / sdlog,

    S(t) = Phi(-z),  H(t) = -log Phi(-z),  h(t) = phi(z) / (sdlog t Phi(-z)).

    Parameters ``meanlog`` (real, the location) and ``sdlog`` (> 0).  R: ``flexsurvreg(...,
    dist = "lnorm")``, or ``survreg(..., dist = "lognormal")`` with ``meanlog = intercept``
    and ``sdlog = survreg$scale``.

    >>> float(LogNormal().median([0.0, 1.0]))
    1.0
    """

    name = "lognormal"
    parameters = ("meanlog", "sdlog")
    constraints = (real, positive)
    location = "meanlog"
    r_equivalent = 'flexsurvreg(Surv(time, status) ~ 1, dist = "lnorm")'

    def _z(self, params, t):
        mu, s = params
        with np.errstate(divide="ignore"):
            return (np.log(t) - mu) / s

    def log_hazard(self, params, t):
        mu, s = params
        z = self._z(params, t)
        with np.errstate(divide="ignore"):
            return -0.5 * z * z - _LOG_SQRT_2PI - np.log(s) - np.log(t) - log_ndtr(-z)

    def cumulative_hazard(self, params, t):
        return -log_ndtr(-self._z(params, t))

    def derivatives(self, params, t):
        mu, s = (np.asarray(p, dtype=float) for p in params)
        with np.errstate(divide="ignore"):
            lt = np.log(t)
        z = (lt - mu) / s
        logS = log_ndtr(-z)
        logphi = -0.5 * z * z - _LOG_SQRT_2PI
        m = np.exp(logphi - logS)  # phi(z) / Phi(-z)
        logh = logphi - np.log(s) - lt - logS
        H = -logS
        dH_mu = -m / s
        dH_s = -m * z / s
        dlogh_mu = z / s + dH_mu
        dlogh_s = (z * z - 1) / s + dH_s
        return logh, H, [dlogh_mu, dlogh_s], [dH_mu, dH_s]

    def fast_loglik(self, params, fd, gradient=False):
        """Intercept-only log-likelihood from precomputed sums (see models.likelihood)."""
        mu, s = params
        D = fd.D
        # events: sum w d [-z^2/2 - log sqrt(2 pi) - log s - log t], z = (log t - mu) / s
        S2 = fd.SL2 - 2 * mu * fd.SL + mu * mu * D  # sum w d (log t - mu)^2
        ll = -0.5 * S2 / (s * s) - D * (_LOG_SQRT_2PI + np.log(s)) - fd.SL
        zc = (fd.logt[fd.ce] - mu) / s
        wc = fd.w[fd.ce]
        logS = log_ndtr(-zc)
        ll += float(wc @ logS)
        if fd.elogt is not None:
            ze = (fd.elogt - mu) / s
            logSe = log_ndtr(-ze)
            ll -= float(fd.ew @ logSe)
        if not gradient:
            return ll, None
        S1 = fd.SL - mu * D  # sum w d (log t - mu)
        gmu = S1 / (s * s)
        gs = S2 / s ** 3 - D / s
        m = np.exp(-0.5 * zc * zc - _LOG_SQRT_2PI - logS)
        gmu += float(wc @ m) / s
        gs += float(wc @ (m * zc)) / s
        if fd.elogt is not None:
            me = np.exp(-0.5 * ze * ze - _LOG_SQRT_2PI - logSe)
            gmu -= float(fd.ew @ me) / s
            gs -= float(fd.ew @ (me * ze)) / s
        return ll, [gmu, gs]

    def quantile(self, params, p):
        mu, s = params
        return np.exp(mu + s * ndtri(np.asarray(p, dtype=float)))

    def mean(self, params):
        mu, s = (np.asarray(p, dtype=float) for p in params)
        return np.exp(mu + 0.5 * s * s)

    def rmst(self, params, tau):
        mu, s = (np.asarray(p, dtype=float) for p in params)
        tau = np.asarray(tau, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (np.log(tau) - mu) / s
            tail = np.where(np.isinf(tau), 0.0, tau * ndtr(-z))
        return tail + np.exp(mu + 0.5 * s * s) * ndtr(z - s)

    def start(self, time, event, weights=None):
        t, s = km_points(time, event, weights)
        icpt, slope = line(np.log(t), ndtri(1 - s))
        if slope <= 0:
            lt = np.log(np.asarray(time, dtype=float)[np.asarray(time) > 0])
            return [(float(lt.mean()), float(max(lt.std(), 0.1)))]
        sd = 1.0 / slope
        return [(float(-icpt * sd), float(np.clip(sd, 0.05, 20)))]
