"""The one censored likelihood, written once in terms of log h and H for every family.

For observation i with exit time t_i, event indicator d_i, entry (left-truncation) time e_i,
weight w_i and optional background hazard b_i (relative survival: the model is for the
excess hazard, the total hazard is b_i + h(t_i))::

    loglik = sum_i w_i [ d_i log(b_i + h(t_i)) - H(t_i) + H(e_i) ]

Without b and e this is sum log f(t) over events plus sum log S(t) over censorings, the "full"
log-likelihood that R's ``survreg`` and ``flexsurvreg`` report.  (With b the background
cumulative hazard, which does not depend on the parameters, is left out, as flexsurv does.)

Families never see censoring, truncation or weights: they only provide ``derivatives``
(log h, H and their derivatives with respect to each natural-scale parameter).  Parameters
depend on coefficients through linear predictors on the unconstrained scale,
``theta_j = bijection_j(X_j @ beta_j)``; see :class:`Layout`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..distributions.base import Distribution
from ..errors import DataError


@dataclass(frozen=True, eq=False)
class SurvivalArrays:
    """The numeric arrays the likelihood reads (validated once)."""

    time: np.ndarray
    event: np.ndarray  # float 0/1
    entry: np.ndarray | None = None  # None or all > 0 somewhere
    weights: np.ndarray | None = None
    bhazard: np.ndarray | None = None

    @classmethod
    def build(cls, time, event, entry=None, weights=None, bhazard=None) -> "SurvivalArrays":
        t = np.asarray(time, dtype=float).ravel()
        d = np.asarray(event, dtype=float).ravel()
        if t.size == 0:
            raise DataError("no observations to fit", column="time")
        if d.size != t.size:
            raise DataError("event and time have different lengths", column="event")
        bad = np.flatnonzero(~np.isfinite(t) | (t <= 0))
        if bad.size:
            raise DataError(f"parametric models need positive, finite times (got {t[bad[0]]:g})",
                            column="time", row=int(bad[0]) + 1)
        if not np.any(d > 0):
            raise DataError("no events: a parametric model cannot be fitted", column="event")
        e = None
        if entry is not None:
            e = np.asarray(entry, dtype=float).ravel()
            if np.any(e > t) or np.any(e < 0):
                i = int(np.flatnonzero((e > t) | (e < 0))[0])
                raise DataError("entry time must lie in [0, time]", column="entry", row=i + 1)
            if not np.any(e > 0):
                e = None
        w = None if weights is None else np.asarray(weights, dtype=float).ravel()
        b = None if bhazard is None else np.asarray(bhazard, dtype=float).ravel()
        if b is not None:
            bad = np.flatnonzero(~np.isfinite(b) | (b < 0))
            if bad.size:
                raise DataError("background hazard must be finite and non-negative",
                                column="bhazard", row=int(bad[0]) + 1)
        return cls(t, d, e, w, b)

    @property
    def n(self) -> int:
        return int(self.time.size)

    @property
    def fast(self) -> "FastData":
        """Precomputed sums for families' intercept-only fast paths (built once, cached)."""
        fd = self.__dict__.get("_fast")
        if fd is None:
            fd = FastData.build(self)
            object.__setattr__(self, "_fast", fd)
        return fd

    @property
    def total_weight(self) -> float:
        return float(self.n if self.weights is None else self.weights.sum())


@dataclass(frozen=True, eq=False)
class Layout:
    """How a coefficient vector ``beta`` maps to the parameters of a distribution.

    ``designs[j]`` is the design matrix (n x p_j, first column the intercept) of parameter j,
    or None for an intercept-only parameter (its linear predictor is a scalar).  ``fixed[j]``
    is a natural-scale value that is held fixed (no coefficients), or None.
    """

    dist: Distribution
    designs: tuple
    fixed: tuple
    names: tuple  # coefficient names, "param" or "param:covariate"
    slices: tuple = field(default=())

    @classmethod
    def build(cls, dist, designs=None, names=None, fixed=None) -> "Layout":
        designs = dict(designs or {})
        names = dict(names or {})
        fixed = dict(fixed or {})
        unknown = (set(designs) | set(fixed)) - set(dist.parameters)
        if unknown:
            raise ValueError(f"unknown parameters {sorted(unknown)} for {dist.name}")
        ds, fx, nm, sl = [], [], [], []
        pos = 0
        for p in dist.parameters:
            if p in fixed:
                ds.append(None)
                fx.append(float(fixed[p]))
                sl.append(slice(pos, pos))
                continue
            X = designs.get(p)
            X = None if X is None else np.asarray(X, dtype=float)
            if X is not None and X.ndim == 1:
                X = X[:, None]
            width = 1 if X is None else X.shape[1]
            cn = names.get(p) or (["(Intercept)"] + [f"x{i}" for i in range(1, width)])
            nm.extend([p if c == "(Intercept)" else f"{p}:{c}" for c in cn])
            ds.append(X)
            fx.append(None)
            sl.append(slice(pos, pos + width))
            pos += width
        return cls(dist, tuple(ds), tuple(fx), tuple(nm), tuple(sl))

    @property
    def n_coef(self) -> int:
        return len(self.names)

    def linear_predictors(self, B, designs=None) -> list:
        """The coefficient-to-parameter map, once for every use (fitting, batched refits and
        predictions): the unconstrained linear predictor of each parameter for coefficient
        rows ``B`` (R, p), an (R, 1) array for a fixed or intercept-only parameter and (R, m)
        for one with a design (``designs``: per-parameter matrices of m prediction profiles,
        default the fitting designs).  Columns are summed one at a time (no BLAS), so a row's
        value is bitwise the same whatever else is in the batch."""
        B = np.atleast_2d(np.asarray(B, dtype=float))
        R = B.shape[0]
        designs = self.designs if designs is None else designs
        out = []
        for X, f, s, b in zip(designs, self.fixed, self.slices, self.dist.bijections()):
            if f is not None:
                e = np.full((R, 1), float(b.inverse(f)))
            elif X is None:
                e = B[:, s.start][:, None]
            else:
                e = np.zeros((R, X.shape[0]))
                for c in range(X.shape[1]):
                    e = e + B[:, s.start + c][:, None] * X[:, c][None, :]
            out.append(e)
        return out

    def eta(self, beta):
        """Unconstrained linear predictor per parameter of one coefficient vector (a float,
        or a length-n array for a parameter with a design)."""
        return [float(e[0, 0]) if X is None else e[0]
                for X, e in zip(self.designs, self.linear_predictors(beta))]

    def natural(self, beta):
        return [b.forward(e) for b, e in zip(self.dist.bijections(), self.eta(beta))]

    def start_from(self, natural_start) -> np.ndarray:
        """Coefficients whose intercepts give ``natural_start`` and other coefficients 0."""
        beta = np.zeros(self.n_coef)
        for j, (f, s, b) in enumerate(zip(self.fixed, self.slices, self.dist.bijections())):
            if f is None:
                beta[s.start] = float(b.inverse(natural_start[j]))
        return beta


@dataclass(frozen=True, eq=False)
class FastData:
    """Log times, weights and event sums precomputed once for scalar-parameter fast paths.

    ``w`` is the weight array (ones when unweighted); ``ev``/``ce`` index events/censorings;
    ``D`` = sum of event weights, ``SL`` = sum w d log t, ``SL2`` = sum w d (log t)^2;
    ``elogt``/``ew`` are log entry times and weights of the truncated rows (or None).
    """

    logt: np.ndarray
    w: np.ndarray
    ev: np.ndarray
    ce: np.ndarray
    D: float
    SL: float
    SL2: float
    elogt: np.ndarray | None
    ew: np.ndarray | None

    @classmethod
    def build(cls, data: "SurvivalArrays") -> "FastData":
        lt = np.log(data.time)
        w = np.ones_like(lt) if data.weights is None else data.weights
        d = data.event > 0
        wd = w * data.event
        elogt = ew = None
        if data.entry is not None:
            m = data.entry > 0
            elogt, ew = np.log(data.entry[m]), w[m]
        return cls(lt, w, np.flatnonzero(d), np.flatnonzero(~d), float(wd.sum()),
                   float(wd @ lt), float(wd @ (lt * lt)), elogt, ew)


def loglik(layout: Layout, beta, data: SurvivalArrays, gradient: bool = False):
    """Censored log-likelihood at coefficients ``beta`` (and its gradient when asked).

    Returns ``ll`` or ``(ll, grad)``; ``ll`` is -inf (gradient nan) where the model gives an
    invalid hazard.

    The optimiser legitimately probes extreme coefficients (exp overflow in a bijection,
    inf * 0 in a derivative at a censored time, ...); those floating-point conditions are
    silenced here, locally, and any non-finite log-likelihood or gradient is returned as -inf
    (gradient nan), which the optimiser treats as an infeasible step.
    """
    with np.errstate(all="ignore"):
        return _loglik(layout, beta, data, gradient)


def contributions(dist, theta, t, d, entry=None, bhazard=None, gradient=False):
    """Per-observation terms of the censored log-likelihood, before weights.

    ``term_i = d_i log(b_i + h(t_i)) - H(t_i) + H(e_i)`` (the entry term only where e_i > 0)
    and, with ``gradient``, for each natural-scale parameter j the list entry
    ``d term_i / d theta_j``.  Parameters and times may have any broadcastable shapes: the
    fits pass scalars or (n,) arrays, the batched bootstrap (R, 1) or (R, n) rows of replicates.
    Returns ``(terms, scores)`` (``scores`` None without ``gradient``).  The caller silences
    floating-point warnings and turns non-finite sums into an infeasible point.
    """
    if gradient:
        logh, H, dlogh, dH = dist.derivatives(theta, t)
    else:
        logh = dist.log_hazard(theta, t)
        H = dist.cumulative_hazard(theta, t)
    logh = np.asarray(logh, dtype=float)
    H = np.asarray(H, dtype=float)
    if bhazard is not None:
        h = np.exp(logh)
        tot = h + bhazard
        logtot = np.log(tot)
        share = np.where(tot > 0, h / tot, 0.0)
    else:
        logtot = logh
    terms = np.where(d > 0, d * logtot, 0.0) - H
    if entry is not None:
        has = entry > 0
        # rows without delayed entry are evaluated at their exit time (a valid point for
        # every family) and masked out
        e = np.where(has, entry, t)
        if gradient:
            _, He, _, dHe = dist.derivatives(theta, e)
        else:
            He = dist.cumulative_hazard(theta, e)
        terms = terms + np.where(has, He, 0.0)
    if not gradient:
        return terms, None
    scores = []
    for j in range(len(dH)):
        dl = dlogh[j] if bhazard is None else dlogh[j] * share
        g = np.where(d > 0, d * dl, 0.0) - dH[j]
        if entry is not None:
            g = g + np.where(has, dHe[j], 0.0)
        scores.append(g)
    return terms, scores


def _loglik(layout: Layout, beta, data: SurvivalArrays, gradient: bool):
    dist = layout.dist
    eta = layout.eta(beta)
    bij = dist.bijections()
    theta = [b.forward(e) for b, e in zip(bij, eta)]
    if (data.bhazard is None and hasattr(dist, "fast_loglik")
            and all(X is None for X in layout.designs)
            and (data.event.dtype == bool or np.all((data.event == 0) | (data.event == 1)))):
        with np.errstate(all="ignore"):
            # numpy scalars: 1 / 0 is inf (silenced), not a Python ZeroDivisionError
            ll, gnat = dist.fast_loglik([np.float64(x) for x in theta], data.fast, gradient)
        if not np.isfinite(ll):
            return (-np.inf, np.full(layout.n_coef, np.nan)) if gradient else -np.inf
        if not gradient:
            return float(ll)
        grad = np.zeros(layout.n_coef)
        for j, (f, s) in enumerate(zip(layout.fixed, layout.slices)):
            if f is None:
                grad[s] = gnat[j] * float(bij[j].jacobian(eta[j], theta[j]))
        if not np.all(np.isfinite(grad)):
            return -np.inf, np.full(layout.n_coef, np.nan)
        return float(ll), grad
    t, d, w = data.time, data.event, data.weights
    with np.errstate(all="ignore"):
        terms, scores = contributions(dist, theta, t, d, data.entry, data.bhazard, gradient)
        terms = np.broadcast_to(terms, t.shape)
        ll = float(np.sum(terms if w is None else w * terms))
    if not np.isfinite(ll):
        return (-np.inf, np.full(layout.n_coef, np.nan)) if gradient else -np.inf
    if not gradient:
        return ll
    grad = np.zeros(layout.n_coef)
    for j, (X, f, s) in enumerate(zip(layout.designs, layout.fixed, layout.slices)):
        if f is not None:
            continue
        g = np.broadcast_to(scores[j], t.shape)
        if w is not None:
            g = w * g
        jac = bij[j].jacobian(eta[j], theta[j])
        if X is None:
            grad[s] = float(np.sum(g)) * float(jac)
        else:
            grad[s] = X.T @ (g * jac)
    if not np.all(np.isfinite(grad)):
        return -np.inf, np.full(layout.n_coef, np.nan)
    return ll, grad
