"""Generative pieces shared by the presence test's null simulation and follow-up planning.

* :class:`CensoringPattern`: the trial's own potential follow-up distribution, the reverse
  Kaplan-Meier (censoring treated as the event).  It reflects staggered accrual and the data
  cut-off.  Mass the reverse KM leaves beyond the largest observed time (when that time is an
  event) is put at the largest observed time (the data cut-off).  Following the trial for M
  more months adds M to every patient's potential follow-up: today's censoring is treated as
  administrative.  With a ``dropout`` hazard (per time unit) a patient may also be lost during
  the extra follow-up: the extension is min(M, L) with L ~ Exponential(dropout).
  With a ``competing`` model (competing risks, :mod:`.competing`: the cause of interest, e.g.
  relapse, tested with the other causes censored) every simulated patient also gets a time D
  of death from the other causes, drawn independently (independent competing risks, the
  assumption of the cause-specific analysis) and after every other uniform, so that the
  stream without it is unchanged; follow-up for the cause then stops at min(C0 + M, D): a
  patient who dies without relapse stops contributing.  The pattern itself is then the
  reverse Kaplan-Meier of *true* censoring (an event of any cause is not censoring).
* :class:`CureModel`: a sampler of the mixture cure model pi + (1 - pi) S_u(t) with the
  package's Weibull latency (pi = 0: the no-cure Weibull).

Draws are made by inversion from uniforms so that a simulated trial can be followed for
several extra follow-up times with *common random numbers*: the same patients, cure status,
event times and entry pattern for every M; only the cut-off moves.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CensoringPattern:
    """Discrete distribution of potential follow-up: support ``times``, cumulative ``cdf``."""

    times: np.ndarray
    cdf: np.ndarray
    dropout: float = 0.0  # hazard of loss to follow-up after today's cut-off, per time unit
    #: competing risks: a model with ``event_times(u_cure, u_time)`` of the death from the
    #: other causes (inf = never), or None
    competing: object = None

    @classmethod
    def from_data(cls, time, event, dropout: float = 0.0,
                  competing=None) -> "CensoringPattern":
        """``event``: any event (with ``competing``, an event of any cause) - the rest is
        the censoring whose reverse Kaplan-Meier is the pattern."""
        from ..nonparametric import kaplan_meier

        t = np.asarray(time, dtype=float)
        e = np.asarray(event, dtype=bool)
        if not np.any(~e):
            # no censoring at all: everyone would have been followed to the cut-off
            return cls(np.array([t.max()]), np.array([1.0]), dropout, competing)
        rkm = kaplan_meier(t, ~e)
        keep = rkm.n_event > 0
        ts = rkm.time[keep]
        cdf = 1.0 - rkm.survival[keep]
        if ts[-1] < t.max():
            ts = np.append(ts, t.max())
            cdf = np.append(cdf, 1.0)
        cdf[-1] = 1.0
        return cls(ts, cdf, dropout, competing)

    def draw(self, u: np.ndarray) -> np.ndarray:
        """Inverse-cdf draws from uniforms ``u`` (any shape)."""
        idx = np.searchsorted(self.cdf, u, side="left")
        return self.times[np.minimum(idx, self.times.size - 1)]


@dataclass(frozen=True)
class CureModel:
    """Mixture cure model with Weibull latency, S(t) = cure + (1 - cure) S_u(t): a sampler of
    the package's own Weibull (:mod:`remission.distributions`; S_u(t) = exp(-(t/scale)^shape))
    with a cured fraction (cure = 0: the Weibull without cure)."""

    cure: float
    shape: float
    scale: float

    @property
    def latency(self):
        from ..distributions import get_distribution

        return get_distribution("weibull")

    def event_times(self, u_cure: np.ndarray, u_time: np.ndarray) -> np.ndarray:
        """Event times (inf for the cured) from two arrays of uniforms: S_u(T) = u_time."""
        with np.errstate(divide="ignore"):
            t = self.latency.quantile((self.shape, self.scale), 1.0 - np.asarray(u_time))
        return np.where(u_cure < self.cure, np.inf, t)

    def survival(self, t):
        t = np.asarray(t, dtype=float)
        return self.cure + (1 - self.cure) * self.latency.survival((self.shape, self.scale), t)

    def density(self, t):
        """Density of the (improper) event-time distribution: (1 - cure) f_u(t)."""
        t = np.asarray(t, dtype=float)
        return (1 - self.cure) * self.latency.density((self.shape, self.scale), t)


@dataclass(frozen=True)
class PotentialFollowup:
    """Censoring times of simulated trials for any extra follow-up M (common random numbers):
    ``at(M)`` = today's potential follow-up ``c0`` plus min(M, ``lost``), where ``lost`` is the
    time after today's cut-off at which each patient would be lost (None: nobody is), and at
    most ``death``, the time of death from a competing cause (None: no competing cause)."""

    c0: np.ndarray
    lost: np.ndarray | None = None
    death: np.ndarray | None = None

    def at(self, m: float) -> np.ndarray:
        c = self.c0 + (m if self.lost is None else np.minimum(m, self.lost))
        return c if self.death is None else np.minimum(c, self.death)


def observe(t_event: np.ndarray, c: np.ndarray):
    """Observed times and event indicators."""
    ev = t_event <= c
    return np.where(ev, t_event, c), ev


def draw_trials(chunk, model: CureModel, pattern: CensoringPattern, n: int):
    """One simulated trial per task of ``chunk``: event times (inf = cured), (tasks, n), and
    their :class:`PotentialFollowup` (with the competing deaths of ``pattern.competing``),
    from each task's own generator.  Extra follow-up M is
    then ``observe(t_event, followup.at(M))``: common random numbers across M."""
    rngs = list(chunk.rngs())
    u = np.stack([r.random((3, n)) for r in rngs])  # (tasks, 3, n)
    lost = None
    if pattern.dropout > 0:
        # drawn after the other uniforms: without drop-out the stream is unchanged
        v = np.stack([r.random(n) for r in rngs])
        lost = -np.log1p(-v) / pattern.dropout
    death = None
    if pattern.competing is not None:
        # drawn last, independently of the cause of interest (independent competing risks)
        w = np.stack([r.random((2, n)) for r in rngs])
        death = pattern.competing.event_times(w[:, 0], w[:, 1])
    return (model.event_times(u[:, 0], u[:, 1]),
            PotentialFollowup(pattern.draw(u[:, 2]), lost, death))


def null_chunk(chunk, model: CureModel, pattern: CensoringPattern, n: int,
               extra: tuple = (0.0,)):
    """One chunk of a null simulation: per task an array (len(extra), 2) of
    [KM(t_(n)), q_n] for each extra follow-up (common random numbers across them)."""
    from .mz_batch import batch_statistics

    t_ev, fu = draw_trials(chunk, model, pattern, n)
    out = np.empty((chunk.size, len(extra), 2))
    for j, m in enumerate(extra):
        t, e = observe(t_ev, fu.at(m))
        st = batch_statistics(t, e)
        out[:, j, 0] = st["cure"]
        out[:, j, 1] = st["n_n"] / n
    return list(out)


def null_presence_chunk(chunk, model, pattern, n, extra=(0.0,)):
    """KM(t_(n)) only (see :func:`null_chunk`)."""
    return [r[:, 0] for r in null_chunk(chunk, model, pattern, n, extra)]


def fit_boundary_null(time, event, eps: float = 0.01, tau_g: float | None = None) -> CureModel:
    """The Weibull mixture cure model fitted under the constraint F_u(tau_G) = 1 - eps.

    This is the boundary of the null hypothesis "follow-up is (practically) insufficient",
    q_{1-eps} >= tau_G (Yuen and Musta 2026): a fraction eps of the uncured would have their
    event after the largest observed time tau_G.  With F_u Weibull the constraint fixes
    scale = tau_G / (-log eps)^(1/shape).  The fit is the package's own Weibull mixture cure
    model (:class:`remission.models.cure.MixtureCure`, fitted by
    :func:`remission.models.fit_distribution` with shape and scale held fixed, so only the
    cure fraction is free), profiled over the shape: a grid of 13 log-shapes in [0.1, 20]
    brackets the best, then a bounded Brent search refines it.  ``tau_g`` moves the
    constraint to another time (planning: the cut-off after M more months, tau_G + M).
    Returns the sampler :class:`CureModel` of the fitted model.
    """
    from scipy.optimize import minimize_scalar

    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=bool)
    tg = float(t.max()) if tau_g is None else float(tau_g)
    big = -np.log(eps)
    profile = BoundaryProfile(t, e, tg, big)
    grid = np.linspace(np.log(0.1), np.log(20.0), 13)
    vals = [profile.nll(x) for x in grid]
    j = int(np.argmin(vals))
    lo, hi = grid[max(j - 1, 0)], grid[min(j + 1, grid.size - 1)]
    r = minimize_scalar(profile.nll, bounds=(lo, hi), method="bounded",
                        options={"xatol": 1e-9})
    x = r.x if r.fun <= vals[j] else grid[j]
    pi = profile.cure_at(x)
    k = float(np.exp(x))
    return CureModel(pi, k, tg / big ** (1.0 / k))


class BoundaryProfile:
    """Profile likelihood over the log-shape of the Weibull mixture cure model constrained to
    F_u(tau_G) = 1 - eps (cure fraction maximised by the package's own fit)."""

    def __init__(self, t, e, tg, big):
        from ..distributions import get_distribution
        from ..models.cure import MixtureCure

        self.t, self.e, self.tg, self.big = t, e, tg, big
        self.dist = MixtureCure(get_distribution("weibull"))
        self._fits = {}

    def fit(self, logk: float):
        from ..models import fit_distribution

        key = float(logk)
        if key not in self._fits:
            k = float(np.exp(logk))
            self._fits[key] = fit_distribution(
                self.dist, self.t, self.e, raise_on_failure=False,
                fixed={"shape": k, "scale": self.tg / self.big ** (1.0 / k)})
        return self._fits[key]

    def nll(self, logk: float) -> float:
        ll = float(self.fit(logk).loglik)
        return -ll if np.isfinite(ll) else 1e300

    def cure_at(self, logk: float) -> float:
        return float(np.ravel(self.fit(logk).natural_parameters()[0])[0])
