"""An approximate dataset from published landmarks alone (no curve to digitise).

Publications often give only a few Kaplan-Meier landmark estimates (say at 12, 24 and 36
months), a median, the number of patients and the median follow-up.  This module builds
individual patient data whose Kaplan-Meier estimate passes through every landmark (to within
the resolution 1/n at risk allows) and crosses 0.5 at the median:

* the survival curve between landmarks has a constant hazard (log-linear interpolation);
* every patient has a potential follow-up (administrative censoring time) from uniform
  accrual: spread evenly over ``followup = (shortest, longest)``, or centred on the median
  follow-up (the reverse Kaplan-Meier median of potential follow-up is the centre of that
  window);
* interval by interval, the number of events is the whole number that brings the
  reconstructed Kaplan-Meier estimate closest to the landmark (for the median: the fewest that
  bring it to 0.5 or below, the last of them exactly at the median), at times spread by the
  interval's constant hazard; which patient has each event is decided by a seeded random
  order, independent of follow-up;
* after the last landmark the hazard is ``tail_hazard`` (default: that of the last interval).

The result is labelled approximate: it reproduces what was published, nothing more.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import DataError, OptionError
from .quality import assess
from .result import Reconstruction


@dataclass(frozen=True)
class Landmark:
    """A published point of a survival curve: a KM estimate (``kind="km"``) or the median
    (``kind="median"``, survival 0.5)."""

    time: float
    survival: float
    kind: str = "km"


def _landmarks(landmarks, median) -> list[Landmark]:
    if isinstance(landmarks, dict):
        landmarks = list(landmarks.items())
    out = []
    for lm in landmarks or ():
        if not isinstance(lm, Landmark):
            t, s = lm
            lm = Landmark(float(t), float(s))
        if lm.kind not in ("km", "median"):
            raise OptionError(f"unknown landmark kind {lm.kind!r}: use km or median")
        out.append(Landmark(float(lm.time), 0.5 if lm.kind == "median" else float(lm.survival),
                            lm.kind))
    if median is not None:
        out.append(Landmark(float(median), 0.5, "median"))
    if not out:
        raise DataError("no landmarks given", column="survival")
    out.sort(key=lambda x: (x.time, -x.survival))
    for lm in out:
        if not np.isfinite(lm.time) or lm.time <= 0:
            raise DataError(f"landmark time {lm.time:g} must be positive", column="time")
        if not (0 <= lm.survival <= 1):
            raise DataError(f"landmark survival {lm.survival:g} at {lm.time:g} is outside "
                            "[0, 1]", column="survival")
    for a, b in zip(out, out[1:]):
        if a.time == b.time:
            raise DataError(f"two landmarks at time {a.time:g}", column="time")
        if b.survival > a.survival:
            what = "the median" if "median" in (a.kind, b.kind) else "landmarks"
            raise DataError(f"{what} inconsistent: survival {a.survival:g} at {a.time:g} but "
                            f"{b.survival:g} later at {b.time:g}", column="survival")
    return out


def _event_times(a, b, lam, d, at_end):
    """``d`` event times in (a, b] spread by a constant hazard ``lam``; with ``at_end`` the
    last is exactly at ``b``."""
    q = (np.arange(1, d + 1) / d) if at_end else (np.arange(1, d + 1) - 0.5) / d
    w = b - a
    if lam * w < 1e-9:
        x = q * w
    else:
        x = -np.log1p(-q * (-np.expm1(-lam * w))) / lam
    x = np.minimum(x, w)
    if at_end and d:
        x[-1] = w
    return a + x


class _Builder:
    """Assign patients interval by interval (state: KM value, who is still unassigned)."""

    def __init__(self, C: np.ndarray, priority: np.ndarray):
        self.C = C                        # potential follow-up, per patient
        self.rank = priority              # lower = chosen first for an event
        self.T = np.full(C.size, np.nan)  # observed time
        self.E = np.zeros(C.size, bool)
        self.km = 1.0

    def _simulate(self, taus):
        """Apply events at ``taus`` to a copy of the state; return (km, T, E)."""
        T, E, km = self.T.copy(), self.E.copy(), self.km
        free = np.isnan(T)
        for tau in taus:
            cens = free & (self.C < tau)
            T[cens] = self.C[cens]
            free &= ~cens
            r = int(free.sum())
            if r == 0:
                break
            idx = np.flatnonzero(free)
            who = idx[np.argmin(self.rank[idx])]
            T[who], E[who] = tau, True
            free[who] = False
            km *= 1.0 - 1.0 / r
        return km, T, E

    def n_free_after(self, t) -> int:
        return int(np.sum(np.isnan(self.T) & (self.C >= t)))

    def interval(self, a, b, lam, target, kind):
        r = self.n_free_after(a)
        if r == 0 or target >= self.km:
            self._censor_until(b)
            return
        at_end = kind == "median"

        def km_for(d):
            return self._simulate(_event_times(a, b, lam, d, at_end))

        # smallest d with KM(b) <= target, by bisection (KM(b) falls as d grows)
        lo, hi = 0, r
        if km_for(hi)[0] > target:
            d = hi
        else:
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if km_for(mid)[0] <= target:
                    hi = mid
                else:
                    lo = mid
            d = hi
            if kind != "median" and d > 0:
                if abs(km_for(d - 1)[0] - target) < abs(km_for(d)[0] - target):
                    d -= 1
        self.km, self.T, self.E = km_for(d)
        self._censor_until(b)

    def _censor_until(self, b):
        cens = np.isnan(self.T) & (self.C <= b)
        self.T[cens] = self.C[cens]

    def tail(self, start, lam, rng):
        free = np.flatnonzero(np.isnan(self.T))
        free = free[np.argsort(self.rank[free])]
        u = rng.random(free.size)
        if lam > 0:
            tt = start + (-np.log1p(-u)) / lam
        else:
            tt = np.full(free.size, np.inf)
        ev = tt <= self.C[free]
        self.T[free] = np.where(ev, tt, self.C[free])
        self.E[free] = ev


def followup_times(n: int, lo: float, hi: float) -> np.ndarray:
    """Potential follow-up under uniform accrual: ``n`` values spread evenly over [lo, hi]."""
    return lo + (hi - lo) * (np.arange(n) + 0.5) / n


def reconstruct_landmarks(landmarks, n: int, *, median: float | None = None,
                          followup: tuple[float, float] | None = None,
                          median_followup: float | None = None, accrual: float | None = None,
                          tail_hazard: float | None = None, seed: int = 0,
                          label: str | None = None) -> Reconstruction:
    """Approximate patients consistent with landmark estimates, a median and follow-up.

    ``landmarks``: (time, survival) pairs, a dict, or :class:`Landmark` objects.
    ``median``: time at which the KM estimate reaches 0.5.  Follow-up: either ``followup``
    = (shortest, longest) potential follow-up, or ``median_followup`` with the accrual
    duration ``accrual`` (window median +- accrual/2); by default every patient is followed to
    the last landmark.  ``tail_hazard``: constant hazard after the last landmark (default: the
    last interval's).  ``seed`` fixes which patients have the events.

    >>> r = reconstruct_landmarks({12: 0.8, 24: 0.6}, n=100, median=30, followup=(36, 48))
    >>> [round(float(x), 2) for x in r.kaplan_meier().survival_at([12, 24])]
    [0.8, 0.6]
    """
    if int(n) != n or n <= 0:
        raise OptionError(f"the number of patients must be a positive whole number, not {n}")
    n = int(n)
    lms = _landmarks(landmarks, median)
    if followup is not None and median_followup is not None:
        raise OptionError("give the follow-up window or the median follow-up, not both")
    if median_followup is not None:
        if accrual is None:
            raise OptionError("the median follow-up needs the accrual duration (accrual=...)")
        if accrual < 0 or median_followup - accrual / 2 < 0:
            raise OptionError("accrual must be >= 0 and at most twice the median follow-up")
        followup = (median_followup - accrual / 2, median_followup + accrual / 2)
    if followup is None:
        followup = (lms[-1].time, lms[-1].time)
    lo, hi = (float(x) for x in followup)
    if not (0 <= lo <= hi):
        raise OptionError(f"follow-up window ({lo:g}, {hi:g}) must satisfy 0 <= shortest <= "
                          "longest")
    rng = np.random.default_rng(seed)
    C = followup_times(n, lo, hi)
    b = _Builder(C, rng.permutation(n))
    a, s_prev, lam = 0.0, 1.0, 0.0
    notes = []
    for lm in lms:
        if lm.time > hi:
            notes.append(f"landmark at {lm.time:g} is after the longest follow-up {hi:g}; "
                         "not used")
            continue
        lam = 0.0 if lm.survival >= s_prev else (
            np.inf if lm.survival == 0 else np.log(s_prev / lm.survival) / (lm.time - a))
        b.interval(a, lm.time, min(lam, 1e6), lm.survival, lm.kind)
        a, s_prev = lm.time, lm.survival
    b.tail(a, lam if tail_hazard is None else float(tail_hazard), rng)
    used = [lm for lm in lms if lm.time <= hi]
    q = assess(b.T, b.E, [lm.time for lm in used], [lm.survival for lm in used],
               landmarks=[(lm.time, lm.survival) for lm in used])
    km_med = Reconstruction(time=b.T, event=b.E, method="landmarks",
                            quality=q).kaplan_meier().median().estimate
    meta = {"followup_window": [lo, hi], "seed": seed,
            "tail_hazard": float(lam if tail_hazard is None else tail_hazard)}
    med = [lm for lm in used if lm.kind == "median"]
    if med:
        meta["median"] = {"target": med[0].time,
                          "reconstructed": None if km_med is None else float(km_med)}
    o = np.lexsort((~b.E, b.T))
    return Reconstruction(time=b.T[o], event=b.E[o], method="landmarks", quality=q, arm=label,
                          notes=tuple(notes), meta=meta)
