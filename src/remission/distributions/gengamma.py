"""Generalized gamma in Prentice's (1974) stable parameterisation (flexsurv's gengamma)."""
from __future__ import annotations

import numpy as np
from scipy.special import gammaincinv, log_ndtr, ndtri

from ._special import expm1mx, log_gammainc, log_gammaincc, stirlerr
from .base import Distribution, _generic_quantile
from .constraints import positive, real
from .lognormal import LogNormal
from .weibull import Weibull

_HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)
#: below this |Q| the log-normal limit is used (the gamma forms lose accuracy there)
Q_LOGNORMAL = 1e-9
#: below this |Q| (shape k = Q^-2 > 1e6) S comes from Temme's uniform asymptotic expansion:
#: scipy's incomplete gamma loses accuracy in the tails for such shapes
Q_TEMME = 1e-3


def _temme_log_survival(Q, w):
    """log S for small |Q|: Temme's expansion Q(a, x) = Phi(-z) + phi(z) c0(eta) / sqrt(a)
    with a = Q^-2, x = a exp(Q w); the neglected terms are O(|Q|^3) (DLMF 8.12)."""
    x = Q * w
    eta = np.sign(x) * np.sqrt(2 * expm1mx(x))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(x == 0, w, eta / Q)
        small = np.abs(eta) < 1e-2
        es = np.where(small, 1.0, eta)
        c0 = np.where(small, -1 / 3 + eta / 12 - 2 * eta ** 2 / 135 + eta ** 3 / 864,
                      1 / np.expm1(np.where(small, 1.0, x)) - 1 / es)
        logS = log_ndtr(-z)
        mills = np.exp(-0.5 * z * z - _HALF_LOG_2PI - logS)
        return logS + np.log1p(mills * c0 * Q)


class GeneralizedGamma(Distribution):
    r"""Generalized gamma (Prentice): with w = (log t - mu) / sigma, k = Q^-2, u = k exp(Q w),

    f(t) = |Q| k^k exp(k (Q w - exp(Q w))) / (sigma t Gamma(k)),
    S(t) = Q(k, u) for Q > 0, P(k, u) for Q < 0 (regularised incomplete gamma),
    S(t) = Phi(-w) for Q = 0 (log-normal);  H = -log S,  h = f / S.

    Q = 1 is the Weibull (shape 1/sigma, scale exp(mu)), Q = 0 the log-normal (meanlog mu,
    sdlog sigma), Q = sigma the gamma.  The log density is computed as
    -log(sigma t) - log sqrt(2 pi) - stirlerr(k) - (exp(Qw) - 1 - Qw) / Q^2, which is stable
    as Q -> 0.  Parameters ``mu`` (real, location), ``sigma`` (> 0), ``Q`` (real).
    R: ``flexsurvreg(Surv(time, status) ~ 1, dist = "gengamma")``.

    >>> g = GeneralizedGamma(); w = Weibull()
    >>> bool(np.isclose(g.survival([np.log(10.0), 0.5, 1.0], 7.0), w.survival([2.0, 10.0], 7.0)))
    True
    """

    name = "gengamma"
    parameters = ("mu", "sigma", "Q")
    constraints = (real, positive, real)
    location = "mu"
    r_equivalent = 'flexsurvreg(Surv(time, status) ~ 1, dist = "gengamma")'
    multimodal = True

    def _parts(self, params, t):
        mu, s, Q = np.broadcast_arrays(*(np.asarray(p, dtype=float) for p in params),
                                       np.asarray(t, dtype=float))[:3]
        t = np.asarray(t, dtype=float)
        with np.errstate(divide="ignore"):
            lt = np.log(t)
        w = (lt - mu) / s
        return mu, s, Q, lt, w

    def log_survival(self, params, t):
        mu, s, Q, lt, w = self._parts(params, t)
        ln = np.abs(Q) < Q_LOGNORMAL
        near = np.abs(Q) < Q_TEMME
        Qs = np.where(near, 1.0, Q)
        k = 1.0 / (Qs * Qs)
        with np.errstate(over="ignore", invalid="ignore"):
            u = k * np.exp(Qs * w)
            out = np.where(Qs > 0, log_gammaincc(k, u), log_gammainc(k, u))
        if np.any(near & ~ln):
            out = np.where(near, _temme_log_survival(np.where(ln, 1e-3, Q), w), out)
        out = np.where(ln, log_ndtr(-w), out)
        return out if out.shape else float(out)

    def cumulative_hazard(self, params, t):
        return -self.log_survival(params, t)

    def log_density(self, params, t):
        mu, s, Q, lt, w = self._parts(params, t)
        ln = np.abs(Q) < Q_LOGNORMAL
        Qs = np.where(ln, 1.0, Q)
        with np.errstate(over="ignore", invalid="ignore"):
            bd0 = np.where(ln, 0.5 * w * w, expm1mx(Qs * w) / (Qs * Qs))
            st = np.where(ln, 0.0, stirlerr(1.0 / (Qs * Qs)))
        return -np.log(s) - lt - _HALF_LOG_2PI - st - bd0

    def log_hazard(self, params, t):
        return self.log_density(params, t) - self.log_survival(params, t)

    def quantile(self, params, p):
        mu, s, Q = (np.asarray(x, dtype=float) for x in params)
        p = np.asarray(p, dtype=float)
        mu, s, Q, p = np.broadcast_arrays(mu, s, Q, p)
        ln = np.abs(Q) < Q_LOGNORMAL
        Qs = np.where(ln, 1.0, Q)
        k = 1.0 / (Qs * Qs)
        pp = np.where(Qs > 0, p, 1 - p)  # P(k, u) = p for Q > 0; = 1 - p for Q < 0
        u = gammaincinv(k, pp)
        with np.errstate(divide="ignore"):
            w = np.log(u / k) / Qs
        out = np.where(ln, np.exp(mu + s * ndtri(p)), np.exp(mu + s * w))
        near = (np.abs(Q) < Q_TEMME) & ~ln
        if np.any(near):
            out = np.array(out, dtype=float)
            out[near] = _generic_quantile(self, [mu[near], s[near], Q[near]], p[near])
        return out if out.shape else float(out)

    def start(self, time, event, weights=None):
        (mu, sd), = LogNormal().start(time, event, weights)
        (a, b), = Weibull().start(time, event, weights)
        return [(np.log(b), 1.0 / a, 1.0), (mu, sd, 0.0), (0.5 * (mu + np.log(b)), 0.5 * (sd + 1 / a), 0.5)]
