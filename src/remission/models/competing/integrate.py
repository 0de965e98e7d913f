"""The cumulative incidences implied by cause-specific hazards, by quadrature.

F_k(t) = integral_0^t h_k(u) S(u) du with S = exp(-sum_k H_k): each H_k is the family's
closed form, so only the outer integral is numerical.  It is taken by Gauss-Legendre
quadrature (:data:`NODES` nodes) on panels whose ends are the requested times, the time from
which general-population mortality applies, a uniform grid to the horizon and a geometric
sequence towards 0 (a Weibull hazard with shape < 1 is infinite at 0 but integrable; on the
panels [2^-j-1 T, 2^-j T] its integrand is smooth, and the part below 2^-50 T is negligible).
Within a panel the error of 12-node Gauss-Legendre on a smooth integrand is far below 1e-10;
F at a panel end is the sum of the panels before it (tests/models/competing: equal to
``scipy.integrate.quad`` to 1e-9).

With general-population mortality (``floor``): for u >= ``start`` the hazard of the floored
cause is max(h_fit(u), smr h*_i(u)) for each subject i of the cohort (NICE DSU TSD 21's rule,
the ``max`` method of :mod:`remission.models.extrapolate`); its cumulative hazard is
H_fit + the integral of the excess max(0, smr h* - h_fit) from ``start``, integrated inside each
panel through the Gauss-Legendre integration matrix (the indefinite integral of the
interpolating polynomial at the nodes).  Life-table hazards are steps at whole years of age
and calendar time; those steps are panel ends (while subjects x steps stays within
:data:`MAX_BREAKS`), so only a crossing of the fitted and population hazards, a kink, is
inside a panel.  Each subject gets its own S_i and the cohort's F_k is the mean over subjects (as
:func:`remission.models.extrapolate.extrapolate` averages survival, R's ``survexp``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Gauss-Legendre nodes per panel
NODES = 12
#: uniform panels between 0 and the horizon (besides the requested times and the geometric
#: panels near 0)
UNIFORM = 200
#: geometric panels towards 0: ends at T 2^-j, j = 1..GEOMETRIC (T = the first uniform end)
GEOMETRIC = 50
#: life-table steps become panel ends while (subjects x steps) stays below this (the work
#: is subjects x panels; a large cohort of distinct ages and years has the panels alone,
#: where the steps inside panels move F by less than 1e-5: tests/models/competing)
MAX_BREAKS = 200_000


def _gauss():
    from numpy.polynomial import legendre as L

    x, w = L.leggauss(NODES)
    # integration matrix: A[i, j] = integral_{-1}^{x_i} of the j-th Lagrange basis polynomial
    coefs = np.linalg.inv(L.legvander(x, NODES - 1))  # column j: Legendre coefficients of l_j
    A = np.empty((NODES, NODES))
    for j in range(NODES):
        P = L.legint(coefs[:, j], lbnd=-1)
        A[:, j] = L.legval(x, P)
    return x, w, A


_X, _W, _A = _gauss()


@dataclass(frozen=True)
class Grid:
    """Panel ends ``ends`` (0 first) and the Gauss-Legendre nodes ``u`` (panels x NODES),
    weights ``w`` and the per-panel integration matrices (scaled ``A``)."""

    ends: np.ndarray
    u: np.ndarray
    w: np.ndarray
    half: np.ndarray

    @classmethod
    def build(cls, horizon: float, times=(), start=None, breaks=()) -> "Grid":
        horizon = float(horizon)
        h0 = horizon / UNIFORM
        pts = [np.linspace(0.0, horizon, UNIFORM + 1), h0 * 2.0 ** -np.arange(1, GEOMETRIC + 1),
               np.asarray(times, dtype=float), np.asarray(breaks, dtype=float)]
        if start is not None:
            pts.append([float(start)])
        e = np.unique(np.concatenate([np.ravel(p) for p in pts]))
        e = e[(e >= 0) & (e <= horizon)]
        e = np.unique(np.concatenate([[0.0], e, [horizon]]))
        a, b = e[:-1], e[1:]
        half = 0.5 * (b - a)
        u = 0.5 * (a + b)[:, None] + half[:, None] * _X[None, :]
        return cls(e, u, half[:, None] * _W[None, :], half)

    def index(self, times) -> np.ndarray:
        """Positions of ``times`` among the panel ends (each must be one)."""
        t = np.asarray(times, dtype=float)
        i = np.searchsorted(self.ends, t)
        i = np.minimum(i, self.ends.size - 1)
        return i

    def cumulative(self, f) -> np.ndarray:
        """Integral of ``f`` (..., panels, NODES) from 0 to every panel end: (..., ends)."""
        per = np.sum(f * self.w, axis=-1)
        return np.concatenate([np.zeros(per.shape[:-1] + (1,)), np.cumsum(per, axis=-1)],
                              axis=-1)

    def within(self, f) -> np.ndarray:
        """Integral of ``f`` (..., panels, NODES) from 0 to every node: same shape."""
        ends = self.cumulative(f)[..., :-1]
        inner = np.einsum("ij,...pj->...pi", _A, f) * self.half[:, None]
        return ends[..., None] + inner


def lifetable_breaks(background, horizon: float) -> np.ndarray:
    """Model times at which some subject's attained age or calendar year crosses a whole
    year, up to ``horizon`` (empty when subjects x steps exceeds :data:`MAX_BREAKS`)."""
    if background is None:
        return np.empty(0)
    ypu = background.years_per_unit
    span = float(horizon) * ypu
    fa = np.unique(np.round(np.ceil(background.age) - background.age, 12))
    fy = np.unique(np.round(np.ceil(background.year) - background.year, 12))
    firsts = np.unique(np.concatenate([fa, fy]))
    count = firsts.size * (int(span) + 2)
    if count * background.n > MAX_BREAKS:
        return np.empty(0)
    k = np.arange(int(span) + 2)
    yrs = (firsts[:, None] + k[None, :]).ravel()
    return np.unique(yrs[(yrs > 0) & (yrs < span)] / ypu)


def incidence(grid: Grid, nodes: dict, ends: dict, floor=None, chunk: int = 64):
    """Cumulative incidences, event-free survival and hazards on ``grid`` for R coefficient
    rows.

    ``nodes`` and ``ends``: {"h": [per cause (R, ...)], "H": [per cause (R, ...)]}, the
    hazards and cumulative hazards at the nodes (R, panels, NODES) and at the panel ends
    (R, ends).  ``floor``: None or (cause index j, start, smr x population hazard at the
    nodes (n_subjects, panels, NODES), the same at the ends (n_subjects, ends)).
    Returns (F: (causes, R, ends), S: (R, ends), the cohort's hazard of each cause at the
    ends (causes, R, ends)): with several subjects the marginal hazard sum_i S_i h_i /
    sum_i S_i, for one subject its own.
    """
    hs, hend = nodes["h"], ends["h"]
    K = len(hs)
    Htot = sum(nodes["H"])
    Hend = sum(ends["H"])
    if floor is None:
        S = np.exp(-Htot)
        F = np.stack([grid.cumulative(h * S) for h in hs])
        return F, np.exp(-Hend), np.stack(hend)
    j, start, pop, pop_end = floor
    R = hs[0].shape[0]
    after = grid.u >= start
    after_end = grid.ends >= start
    F = np.zeros((K, R, grid.ends.size))
    S = np.zeros((R, grid.ends.size))
    num = np.zeros((K, R, grid.ends.size))
    n = pop.shape[0]
    for a in range(0, n, chunk):
        p = pop[a:a + chunk][:, None]                                  # (m, 1, P, NODES)
        exc = np.where(after, np.maximum(0.0, p - hs[j][None]), 0.0)   # (m, R, P, NODES)
        Si = np.exp(-Htot[None] - grid.within(exc))
        Se = np.exp(-Hend[None] - grid.cumulative(exc))                # (m, R, ends)
        exc_end = np.where(after_end, np.maximum(0.0, pop_end[a:a + chunk][:, None]
                                                 - hend[j][None]), 0.0)
        for k in range(K):
            F[k] += grid.cumulative((hs[k][None] + (exc if k == j else 0.0)) * Si).sum(axis=0)
            num[k] += ((hend[k][None] + (exc_end if k == j else 0.0)) * Se).sum(axis=0)
        S += Se.sum(axis=0)
    with np.errstate(all="ignore"):
        marginal = num / S[None]
    return F / n, S / n, marginal
