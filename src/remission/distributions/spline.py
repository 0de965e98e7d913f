"""Royston-Parmar flexible parametric models: natural cubic splines in log time."""
from __future__ import annotations

import numpy as np
from scipy.special import expit, log_ndtr, ndtri

from ._start import km_points, line
from .base import Distribution
from .constraints import real

_HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)
SCALES = ("hazard", "odds", "normal")


#: internal knots at most (flexsurvspline sets no limit; beyond a handful the fit only chases
#: noise, and more knots than distinct event times cannot be placed)
MAX_KNOTS = 10


def default_knots(time, event, k: int) -> np.ndarray:
    """flexsurvspline's default knots on the log-time scale: boundary knots at the smallest and
    largest log event time, ``k`` internal knots at equally spaced quantiles of the log event
    times (R's default ``quantile`` type 7)."""
    t = np.asarray(time, dtype=float)[np.asarray(event, dtype=bool)]
    lt = np.log(t[t > 0])
    if lt.size < 2:
        raise ValueError("spline models need at least two positive event times")
    probs = np.linspace(0, 1, k + 2)
    return np.quantile(lt, probs)


def basis(knots, x):
    """Royston-Parmar natural cubic spline basis [1, x, v_1(x), ..., v_m(x)] and its derivative.

    v_j(x) = (x - k_j)_+^3 - lam_j (x - k_min)_+^3 - (1 - lam_j) (x - k_max)_+^3,
    lam_j = (k_max - k_j) / (k_max - k_min)   (flexsurv's ``basis`` / ``dbasis``).
    """
    x = np.asarray(x, dtype=float)
    kmin, kmax = knots[0], knots[-1]
    b = [np.ones_like(x), x]
    db = [np.zeros_like(x), np.ones_like(x)]
    for kj in knots[1:-1]:
        lam = (kmax - kj) / (kmax - kmin)
        p = lambda c: np.maximum(x - c, 0.0)  # noqa: E731
        b.append(p(kj) ** 3 - lam * p(kmin) ** 3 - (1 - lam) * p(kmax) ** 3)
        db.append(3 * (p(kj) ** 2 - lam * p(kmin) ** 2 - (1 - lam) * p(kmax) ** 2))
    return b, db


class RoystonParmar(Distribution):
    r"""Royston-Parmar spline model: s(x) = sum_j gamma_j b_j(x), x = log t, a natural cubic
    spline with ``k`` internal knots (0 to 10; see :func:`basis`) on one of three scales:

    * ``hazard``: log H(t) = s(x);          H = exp(s),  h = s'(x) exp(s) / t
    * ``odds``:   log(1/S(t) - 1) = s(x);    H = log(1 + exp(s)),  h = s'(x) expit(s) / t
    * ``normal``: -Phi^-1(S(t)) = s(x);      H = -log Phi(-s),  h = s'(x) phi(s) / (t Phi(-s))

    With k = 0 the hazard scale is the Weibull, odds the log-logistic, normal the log-normal.
    Parameters ``gamma0`` ... ``gamma{k+1}`` (real; ``gamma0`` is the location, so covariates
    give proportional hazards / odds on the first two scales).  Knots are placed as
    ``flexsurvspline`` does by default when fitted (:meth:`setup`).  A parameter vector with
    s'(x) <= 0 somewhere has no valid hazard there (log h = nan).
    R: ``flexsurvspline(Surv(time, status) ~ 1, k = k, scale = "hazard")``.
    """

    name = "spline"
    location = "gamma0"
    constraints = ()
    multimodal = True

    def __init__(self, k: int = 1, scale: str = "hazard", knots=None):
        if scale not in SCALES:
            raise ValueError(f"unknown spline scale {scale!r} (choose from {', '.join(SCALES)})")
        if not 0 <= int(k) <= MAX_KNOTS:
            raise ValueError(f"spline models take 0 to {MAX_KNOTS} internal knots")
        self.k = int(k)
        self.scale = scale
        self.knots = None if knots is None else np.asarray(knots, dtype=float)
        if self.knots is not None and self.knots.size != self.k + 2:
            raise ValueError("knots must hold the two boundary knots and k internal knots")
        self.parameters = tuple(f"gamma{j}" for j in range(self.k + 2))
        self.constraints = (real,) * (self.k + 2)
        self.r_equivalent = (f'flexsurvspline(Surv(time, status) ~ 1, k = {self.k}, '
                             f'scale = "{self.scale}")')

    def __repr__(self) -> str:
        kn = "" if self.knots is None else f", knots={np.round(self.knots, 6).tolist()}"
        return f"RoystonParmar(k={self.k}, scale={self.scale!r}{kn})"

    def setup(self, time, event, weights=None) -> "RoystonParmar":
        if self.knots is not None:
            return self
        return RoystonParmar(self.k, self.scale, default_knots(time, event, self.k))

    # s, s' -------------------------------------------------------------
    def _s(self, params, t):
        if self.knots is None:
            raise ValueError("spline knots are not set: call setup(time, event) first")
        with np.errstate(divide="ignore"):
            x = np.log(np.asarray(t, dtype=float))
        b, db = basis(self.knots, x)
        s = sum(g * bj for g, bj in zip(params, b))
        ds = sum(g * dj for g, dj in zip(params, db))
        # below the smallest time the spline is linear: b_j = 0 for j >= 2 there
        return x, b, db, s, ds

    def _G(self, s):
        """H = G(s), log G'(s) and d/ds log G'(s), for the scale."""
        if self.scale == "hazard":
            with np.errstate(over="ignore"):
                H = np.exp(s)
            return H, s, np.ones_like(s), H
        if self.scale == "odds":
            H = np.logaddexp(0.0, s)
            sig = expit(s)
            return H, -np.logaddexp(0.0, -s), 1 - sig, sig
        logS = log_ndtr(-s)
        logphi = -0.5 * s * s - _HALF_LOG_2PI
        m = np.exp(logphi - logS)
        return -logS, logphi - logS, -s + m, m

    def cumulative_hazard(self, params, t):
        _, _, _, s, _ = self._s(params, t)
        return self._G(np.asarray(s, dtype=float))[0]

    def log_hazard(self, params, t):
        x, _, _, s, ds = self._s(params, t)
        _, logGp, _, _ = self._G(np.asarray(s, dtype=float))
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(ds > 0, np.log(np.where(ds > 0, ds, 1.0)), np.nan) - x + logGp

    def derivatives(self, params, t):
        x, b, db, s, ds = self._s(params, t)
        s = np.asarray(s, dtype=float)
        H, logGp, dlogGp, Gp = self._G(s)
        with np.errstate(invalid="ignore", divide="ignore"):
            pos = ds > 0
            logh = np.where(pos, np.log(np.where(pos, ds, 1.0)), np.nan) - x + logGp
            inv = 1.0 / ds
        dlogh = [dj * inv + dlogGp * bj for bj, dj in zip(b, db)]
        dH = [Gp * bj for bj in b]
        return logh, H, dlogh, dH

    def start(self, time, event, weights=None):
        t, s = km_points(time, event, weights)
        y = {"hazard": np.log(-np.log(s)), "odds": np.log(1 / s - 1), "normal": ndtri(1 - s)}[self.scale]
        icpt, slope = line(np.log(t), y)
        slope = float(np.clip(slope, 0.05, 20))
        base = (float(icpt), slope) + (0.0,) * self.k
        return [base, (float(icpt) + 0.1, slope * 0.9) + (0.0,) * self.k]
