"""Imitate a person digitising a published Kaplan-Meier plot, to test reconstructions.

:func:`digitise` turns an exact step curve into what a digitiser returns: a thinned set of
step corners, each off by a pixel or so in both directions, in click order rather than time
order, optionally as percentages, with a stray point or two before time zero and some
duplicated clicks.  :func:`risk_table` gives the numbers at risk a publication would print.
"""
from __future__ import annotations

import numpy as np


def digitise(time, survival, rng, *, keep: float = 0.85, big_step: float = 0.01,
             time_jitter: float = 0.001, surv_jitter: float = 0.002, percent: bool = False,
             shuffle: bool = True, before_zero: int = 2, duplicates: int = 3):
    """Digitised points (time, survival) of the step curve through (``time``, ``survival``).

    ``keep``: fraction of the corners of small steps that are clicked (steps of ``big_step``
    or more are plain to see, and both their corners are always clicked); ``time_jitter``: SD
    of the time error as a fraction of the last time (0.001 is about half a pixel on a
    600-pixel-wide plot); ``surv_jitter``: SD of the survival error.
    """
    t = np.asarray(time, float)
    s = np.asarray(survival, float)
    tmax = t.max()
    prev = np.r_[1.0, s[:-1]]
    drop = s < prev
    # both corners of every step, and the end of the curve
    ct = np.r_[t[drop], t[drop], tmax]
    cs = np.r_[prev[drop], s[drop], s[-1]]
    big = np.r_[(prev - s)[drop], (prev - s)[drop], 1.0] >= big_step
    pick = (rng.random(ct.size) < keep) | big
    pick[-1] = True
    ct, cs = ct[pick], cs[pick]
    ct = ct + rng.normal(0, time_jitter * tmax, ct.size)
    cs = cs + rng.normal(0, surv_jitter, cs.size)
    if duplicates:
        j = rng.integers(0, ct.size, duplicates)
        ct, cs = np.r_[ct, ct[j]], np.r_[cs, cs[j]]
    if before_zero:
        ct = np.r_[ct, -rng.uniform(0, 0.01 * tmax, before_zero)]
        cs = np.r_[cs, 1 + rng.uniform(-0.003, 0.003, before_zero)]
    if shuffle:
        o = rng.permutation(ct.size)
        ct, cs = ct[o], cs[o]
    else:
        o = np.argsort(ct, kind="stable")
        ct, cs = ct[o], cs[o]
    return ct, (cs * 100 if percent else cs)


def risk_table(time, times) -> np.ndarray:
    """Numbers at risk (time >= t) at each of ``times``, as printed under a KM plot."""
    s = np.sort(np.asarray(time, float))
    return s.size - np.searchsorted(s, np.asarray(times, float), side="left")
