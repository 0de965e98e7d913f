"""The declarative distribution object every parametric and cure model builds on.

A family is a small object: a ``name``, ordered ``parameters``, one constraint per
parameter (see :mod:`remission.distributions.constraints`), the parameter that covariates
act on by default (``location``), and two vectorised functions of natural-scale parameters
and time:

* ``log_hazard(params, t)``        log h(t)
* ``cumulative_hazard(params, t)`` H(t)

``params`` is a sequence with one entry per parameter, in the order of ``parameters``;
each entry is a float or an array broadcastable against ``t`` (so each observation may have
its own parameter values, e.g. from a linear predictor).  Everything else derives from these
two: survival S = exp(-H), density f = h S, quantiles (root of H(t) = -log(1 - p)), the mean
and the restricted mean (integrals of S).  A family overrides a derived function only where a
closed form exists.  ``derivatives`` returns d log h / d theta and d H / d theta (natural
scale) for the likelihood's gradient; the default uses central differences per observation,
families with closed forms override it.

Combinators (cure, relative survival) are themselves distributions: they implement
``log_hazard`` / ``cumulative_hazard`` in terms of a base family's.
"""
from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np

from .constraints import Constraint, biject_to

Params = Sequence  # one float/array per parameter, natural scale


class Distribution:
    """Base class of parametric survival families (see the module docstring)."""

    #: short registry name, e.g. ``"weibull"``
    name: str = ""
    #: ordered parameter names
    parameters: tuple[str, ...] = ()
    #: one constraint per parameter
    constraints: tuple[Constraint, ...] = ()
    #: the parameter covariates act on by default (flexsurv's "location")
    location: str = ""
    #: the R call fitting the same model
    r_equivalent: str = ""
    #: True when the family's fit can have several local optima (use multi-start)
    multimodal: bool = False

    # ------------------------------------------------------------------ to implement
    def log_hazard(self, params: Params, t):
        raise NotImplementedError

    def cumulative_hazard(self, params: Params, t):
        raise NotImplementedError

    def start(self, time, event, weights=None) -> list[tuple[float, ...]]:
        """Data-driven starting values (natural scale): a list of candidate tuples."""
        raise NotImplementedError

    # ------------------------------------------------------------------ set-up
    def setup(self, time, event, weights=None) -> "Distribution":
        """A copy bound to data-dependent settings (e.g. spline knots); default: self."""
        return self

    @property
    def n_parameters(self) -> int:
        return len(self.parameters)

    def bijections(self):
        return [biject_to(c) for c in self.constraints]

    def to_unconstrained(self, params) -> np.ndarray:
        return np.array([float(b.inverse(p)) for b, p in zip(self.bijections(), params)])

    def to_natural(self, eta) -> tuple:
        return tuple(b.forward(e) for b, e in zip(self.bijections(), eta))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    # ------------------------------------------------------------------ derived functions
    def hazard(self, params, t):
        return np.exp(self.log_hazard(params, t))

    def log_survival(self, params, t):
        return -np.asarray(self.cumulative_hazard(params, t), dtype=float)

    def survival(self, params, t):
        return np.exp(self.log_survival(params, t))

    def cdf(self, params, t):
        return -np.expm1(self.log_survival(params, t))

    def log_density(self, params, t):
        return self.log_hazard(params, t) + self.log_survival(params, t)

    def density(self, params, t):
        return np.exp(self.log_density(params, t))

    def long_term_survival(self, params):
        """S(infinity): 0 for proper distributions, the plateau for improper ones."""
        shape = np.broadcast(*[np.asarray(p) for p in params]).shape
        return np.zeros(shape) if shape else 0.0

    def quantile(self, params, p):
        """Time t with F(t) = p (S(t) = 1 - p); ``inf`` where survival never gets that low."""
        return _generic_quantile(self, params, p)

    def median(self, params):
        return self.quantile(params, 0.5)

    def mean(self, params):
        """E[T] = integral of S over [0, inf) (``inf`` for improper or heavy-tailed cases)."""
        return self.rmst(params, np.inf)

    def rmst(self, params, tau):
        """Restricted mean survival time: integral of S over [0, tau]."""
        return _generic_rmst(self, params, tau)

    # ------------------------------------------------------------------ gradient support
    def derivatives(self, params, t):
        """(log h, H, [d log h / d theta_j], [d H / d theta_j]) at natural-scale ``params``.

        Default: central differences per observation (step ~ eps**(1/3) relative), which costs
        4 * n_parameters evaluations of the vectorised functions; families override it with
        closed forms.
        """
        params = [np.asarray(p, dtype=float) for p in params]
        logh = np.asarray(self.log_hazard(params, t), dtype=float)
        H = np.asarray(self.cumulative_hazard(params, t), dtype=float)
        dlogh, dH = [], []
        for j, c in enumerate(self.constraints):
            pj = params[j]
            if c.name == "positive":
                h = 6e-6 * pj
            elif c.name == "unit_interval":
                h = 6e-6 * np.minimum(pj, 1 - pj)
            else:
                h = 6e-6 * np.maximum(1.0, np.abs(pj))
            up = list(params)
            dn = list(params)
            up[j] = pj + h
            dn[j] = pj - h
            dlogh.append((self.log_hazard(up, t) - self.log_hazard(dn, t)) / (2 * h))
            dH.append((self.cumulative_hazard(up, t) - self.cumulative_hazard(dn, t)) / (2 * h))
        return logh, H, dlogh, dH


# ---------------------------------------------------------------------- generic numerics
def _broadcast_params(params, *others):
    arrs = np.broadcast_arrays(*[np.asarray(p, dtype=float) for p in params],
                               *[np.asarray(o, dtype=float) for o in others])
    return arrs[: len(params)], arrs[len(params):]


def _generic_quantile(dist: Distribution, params, p):
    """Vectorised bisection on log t for H(t) = -log(1 - p)."""
    (ps, (pp,)) = _broadcast_params(params, p)
    shape = pp.shape
    ps = [a.ravel() for a in ps]
    pp = pp.ravel()
    target = -np.log1p(-pp)
    out = np.full(pp.shape, np.nan)
    out[pp == 0] = 0.0
    todo = (pp > 0) & (pp < 1)
    out[pp >= 1] = np.inf
    if not todo.any():
        return out.reshape(shape) if shape else float(out[0])
    idx = np.flatnonzero(todo)
    sub = [a[idx] for a in ps]
    q = target[idx]

    def H(x):
        with np.errstate(all="ignore"):
            return np.asarray(dist.cumulative_hazard(sub, np.exp(x)), dtype=float) * np.ones_like(x)

    lo = np.full(idx.size, -2.0)
    hi = np.full(idx.size, 2.0)
    for _ in range(60):  # expand the bracket downwards
        bad = H(lo) >= q
        if not bad.any():
            break
        lo = np.where(bad, lo - 4.0, lo)
    for _ in range(200):  # and upwards; beyond exp(700) the quantile is infinite
        bad = ~(H(hi) >= q) & (hi < 700)
        if not bad.any():
            break
        hi = np.where(bad, hi + 4.0, hi)
    never = ~(H(hi) >= q)
    for _ in range(90):
        mid = 0.5 * (lo + hi)
        above = H(mid) >= q
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    res = np.exp(0.5 * (lo + hi))
    res[never] = np.inf
    out[idx] = res
    return out.reshape(shape) if shape else float(out[0])


def _generic_rmst(dist: Distribution, params, tau):
    """Integral of S over [0, tau] (tau may be inf) by adaptive quadrature, per parameter set."""
    from scipy import integrate  # here, not at import: it costs ~0.1-0.3 s of CLI start-up

    (ps, (tt,)) = _broadcast_params(params, tau)
    shape = tt.shape
    flat = [a.ravel() for a in ps]
    tt = tt.ravel()
    out = np.empty(tt.size)
    for i in range(tt.size):
        pr = [float(a[i]) for a in flat]
        T = float(tt[i])
        if np.isinf(T) and np.any(dist.long_term_survival(pr) > 0):
            out[i] = np.inf
            continue
        f = lambda x: float(dist.survival(pr, x))  # noqa: E731
        # split at the median so quad sees where the mass is
        m = float(dist.quantile(pr, 0.5))
        if not np.isfinite(m) or m <= 0:
            m = 1.0
        a = min(m, T)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", integrate.IntegrationWarning)
            v1 = integrate.quad(f, 0.0, a, epsabs=0, epsrel=1e-11, limit=200)[0]
            v2 = 0.0
            if T > a:
                v2 = integrate.quad(f, a, T, epsabs=0, epsrel=1e-11, limit=200)[0]
        out[i] = v1 + v2
    return out.reshape(shape) if shape else float(out[0])
