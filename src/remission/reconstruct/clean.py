"""Tidy a digitised Kaplan-Meier curve and a numbers-at-risk table, saying what was changed.

Digitisers (WebPlotDigitizer, DigitizeIt, Engauge) return points in click order, with
jitter: points a little before time zero, survival slightly above 1 or below the previous
point, percentages instead of fractions, two points at the same time for a vertical step.
:func:`clean_curve` turns that into a right-continuous, non-increasing step curve starting at
(0, 1) and lists every change in plain words, so that nothing happens silently.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import DataError, OptionError

#: survival values this far outside [0, 1] (after scaling) are clipped; further out is an error
CLIP_TOLERANCE = 0.05
#: points before time zero by at most this fraction of the last time are dropped, not an error
NEGATIVE_TIME_TOLERANCE = 0.05


@dataclass(frozen=True)
class CleanCurve:
    """A tidy step curve: strictly increasing ``time`` from 0, non-increasing ``survival``
    from 1.  ``changes`` says, one sentence each, what was done to the input."""

    time: np.ndarray
    survival: np.ndarray
    changes: tuple = field(default_factory=tuple)

    def at(self, t) -> np.ndarray:
        """Value of the step curve at ``t`` (right-continuous)."""
        i = np.searchsorted(self.time, np.asarray(t, dtype=float), side="right") - 1
        return self.survival[np.clip(i, 0, None)]


def _isotonic_decreasing(y: np.ndarray) -> np.ndarray:
    """Least-squares non-increasing fit (pool-adjacent-violators)."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for v in y:
        blocks.append([float(v), 1.0, 1])
        while len(blocks) > 1 and blocks[-2][0] < blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            w = w1 + w2
            blocks.append([(m1 * w1 + m2 * w2) / w, w, c1 + c2])
    return np.concatenate([np.full(c, m) for m, _, c in blocks])


def clean_curve(time, survival, *, scale: str = "auto", rows=None) -> CleanCurve:
    """Sort, rescale, clip and make monotone a digitised survival curve.

    ``scale`` is ``"auto"`` (percentages when values exceed 1.5, unless the values above 1.5
    are a minority that does not come first in time: typos among fractions, an error naming
    the first), ``"percent"`` or
    ``"fraction"``.  ``rows`` (1-based source-file row numbers) are used in error messages.

    >>> c = clean_curve([5, 0.01, 10, 10, -0.2], [80, 99, 62, 70, 100])
    >>> c.time.tolist(), c.survival.round(2).tolist()
    ([0.0, 0.01, 5.0, 10.0], [1.0, 0.99, 0.8, 0.62])
    """
    if scale not in ("auto", "percent", "fraction"):
        raise OptionError(f"unknown survival scale {scale!r}: use auto, percent or fraction")
    t = np.asarray(time, dtype=float).ravel()
    s = np.asarray(survival, dtype=float).ravel()
    rows = np.arange(1, t.size + 1) if rows is None else np.asarray(rows)
    if t.size != s.size:
        raise DataError(f"curve has {t.size} times but {s.size} survival values", column="survival")
    for name, a in (("time", t), ("survival", s)):
        bad = np.flatnonzero(~np.isfinite(a))
        if bad.size:
            raise DataError("missing or non-finite value in the digitised curve", column=name,
                            row=int(rows[bad[0]]))
    if t.size < 2:
        raise DataError("the digitised curve needs at least two points", column="time")
    changes: list[str] = []

    # -- scale
    smax = float(s.max())
    if scale == "auto" and smax > 1.5 and float(np.median(s)) <= 1.5:
        # mostly small values: a percentage curve that falls to low percentages has its large
        # values first in time; large values among fractions later on are typos
        big = s[np.argsort(t, kind="stable")] > 1.5
        if not np.all(big[:int(big.sum())]):
            i = int(np.flatnonzero(s > 1.5)[0])
            raise DataError(f"survival value {s[i]:g} is above 1 but most values are "
                            "fractions; correct it, or give --scale percent if the curve is "
                            "in percent", column="survival", row=int(rows[i]))
    if scale == "percent" or (scale == "auto" and smax > 1.5):
        s = s / 100.0
        changes.append(f"survival read as percentages (largest value {smax:g}); divided by 100")
    hi = np.flatnonzero(s > 1 + CLIP_TOLERANCE)
    if hi.size:
        unit = "%" if scale == "percent" or smax > 1.5 else ""
        raise DataError(f"survival value {s[hi[0]] * (100 if unit else 1):g}{unit} is above "
                        f"{'100%' if unit else '1'}; give fractions in [0, 1] or percentages "
                        f"in [0, 100]", column="survival", row=int(rows[hi[0]]))
    lo = np.flatnonzero(s < -CLIP_TOLERANCE)
    if lo.size:
        raise DataError(f"negative survival value {s[lo[0]]:g}", column="survival",
                        row=int(rows[lo[0]]))

    # -- times before zero
    tmax = float(t.max())
    if tmax <= 0:
        raise DataError("all times of the digitised curve are zero or negative", column="time")
    far = np.flatnonzero(t < -NEGATIVE_TIME_TOLERANCE * tmax)
    if far.size:
        raise DataError(f"time {t[far[0]]:g} is well before zero (the curve ends at {tmax:g}); "
                        "is the time column right?", column="time", row=int(rows[far[0]]))
    neg = t < 0
    if neg.any():
        changes.append(f"dropped {int(neg.sum())} point(s) digitised just before time 0")
        t, s, rows = t[~neg], s[~neg], rows[~neg]

    # -- order
    order = np.lexsort((-s, t))
    if np.any(order != np.arange(t.size)):
        moved = int(np.sum(order != np.arange(t.size)))
        changes.append(f"sorted the points by time ({moved} were out of order)")
    t, s = t[order], s[order]

    # -- clip to [0, 1]
    n_clip = int(np.sum((s > 1) | (s < 0)))
    if n_clip:
        s = np.clip(s, 0.0, 1.0)
        changes.append(f"clipped {n_clip} survival value(s) to [0, 1]")

    # -- start at (0, 1): any point at time 0 is the start of the curve
    at0 = t == 0
    if at0.any() and np.any(s[at0] < 1):
        changes.append(f"set survival at time 0 to 1 (digitised as {s[at0].min():.4g})")
    t, s = t[~at0], s[~at0]
    if not at0.any():
        changes.append("added the point (0, 1)")
    t = np.concatenate(([0.0], t))
    s = np.concatenate(([1.0], s))

    # -- monotone non-increasing
    iso = _isotonic_decreasing(s)
    moved = np.abs(iso - s) > 1e-12
    if moved.any():
        changes.append(f"made the curve non-increasing: adjusted {int(moved.sum())} point(s), "
                       f"largest change {np.abs(iso - s).max():.4f} (isotonic regression)")
        s = iso
    s[0] = 1.0

    # -- one point per time: the lowest (the curve is right-continuous)
    keep = np.r_[t[1:] != t[:-1], True]
    if not keep.all():
        changes.append(f"merged {int((~keep).sum())} point(s) sharing a time with another "
                       "(kept the value after the step)")
        t, s = t[keep], s[keep]
    if t.size < 2:
        raise DataError("the digitised curve has no point after time 0", column="time")
    return CleanCurve(time=t, survival=s, changes=tuple(changes))


@dataclass(frozen=True)
class RiskTable:
    """Published numbers at risk, sorted, starting at time 0."""

    time: np.ndarray
    n_risk: np.ndarray
    changes: tuple = field(default_factory=tuple)


def clean_risk_table(time, n_risk, *, n: int | None = None, curve_end: float | None = None,
                     rows=None) -> RiskTable:
    """Check and sort a numbers-at-risk table; add time 0 from ``n`` where missing.

    Rows after the end of the digitised curve (``curve_end``) carry no information about the
    curve's shape and are left out (said in ``changes``).
    """
    t = np.asarray(time, dtype=float).ravel()
    r = np.asarray(n_risk, dtype=float).ravel()
    rows = np.arange(1, t.size + 1) if rows is None else np.asarray(rows)
    changes: list[str] = []
    for name, a in (("time", t), ("n_risk", r)):
        bad = np.flatnonzero(~np.isfinite(a))
        if bad.size:
            raise DataError("missing or non-finite value in the numbers at risk", column=name,
                            row=int(rows[bad[0]]))
    bad = np.flatnonzero(t < 0)
    if bad.size:
        raise DataError(f"negative time {t[bad[0]]:g} in the numbers at risk", column="time",
                        row=int(rows[bad[0]]))
    bad = np.flatnonzero((r < 0) | (np.abs(r - np.round(r)) > 1e-9))
    if bad.size:
        raise DataError(f"number at risk {r[bad[0]]:g} is not a whole number >= 0",
                        column="n_risk", row=int(rows[bad[0]]))
    r = np.round(r).astype(np.int64)
    order = np.argsort(t, kind="stable")
    t, r, rows = t[order], r[order], rows[order]
    dup = np.flatnonzero(t[1:] == t[:-1])
    if dup.size:
        raise DataError(f"time {t[dup[0] + 1]:g} appears twice in the numbers at risk",
                        column="time", row=int(rows[dup[0] + 1]))
    up = np.flatnonzero(r[1:] > r[:-1])
    if up.size:
        k = up[0]
        raise DataError(f"numbers at risk must not increase over time: {r[k]} at {t[k]:g} "
                        f"then {r[k + 1]} at {t[k + 1]:g}", column="n_risk", row=int(rows[k + 1]))
    if n is not None:
        n = int(n)
        if t.size and t[0] == 0 and r[0] != n:
            raise OptionError(f"--n {n} disagrees with the {r[0]} at risk at time 0")
        if t.size == 0 or t[0] > 0:
            if t.size and r[0] > n:
                raise OptionError(f"--n {n} is smaller than the {r[0]} at risk at time {t[0]:g}")
            t, r = np.r_[0.0, t], np.r_[n, r]
            changes.append(f"took the number at risk at time 0 from n = {n}")
    if t.size == 0 or t[0] > 0:
        raise DataError("the number at risk at time 0 is needed: add a row at time 0 or give "
                        "the number of patients (--n)", column="n_risk")
    if r[0] <= 0:
        raise DataError("no patients at risk at time 0", column="n_risk")
    if curve_end is not None:
        late = t > curve_end
        if late.any():
            changes.append(f"left out {int(late.sum())} number(s) at risk after the end of the "
                           f"digitised curve ({curve_end:g})")
            t, r = t[~late], r[~late]
    return RiskTable(time=t, n_risk=r, changes=tuple(changes))
