r"""Kaplan-Meier of many samples at once: rows of (B, n) arrays, one sample per row.

Used wherever many simulated trials are analysed together (the evidence tests' null and
bootstrap simulations, follow-up planning).  One sample per row, each with the same size n.

Each row is sorted by time, events before censorings at equal times (the Kaplan-Meier
convention: a patient censored at t is at risk at t).  Every position is then one step:

* ``survival[:, k]`` = prod_{j <= k, event} (1 - 1 / (n - j)): the Kaplan-Meier estimate just
  after position k.  At a tie of d events among r at risk the per-position factors telescope,
  prod_{i<d} (r - i - 1)/(r - i) = (r - d)/r, so at the last position of every distinct time it
  equals the usual estimate (R's ``survfit``), ties included;
* ``greenwood[:, k]`` = sum_{j <= k, event} 1 / ((n - j)(n - j - 1)): the Greenwood sum
  sum d / (r (r - d)) (the same telescoping: sum_{i<d} 1/((r-i)(r-i-1)) = 1/(r-d) - 1/r);
  ``inf`` once the last patient at risk has an event (S = 0);
* ``censor_survival[:, k]``: the reverse Kaplan-Meier (censoring as the event; the censoring
  distribution's survival 1 - G) just after position k.  There, at a tie, the patients with an
  event at t are still at risk for censoring at t (they sort first), so a censoring at position
  k has n - k + (number of events at the same time) at risk.

tests/nonparametric/test_km_batch.py checks all three against :func:`kaplan_meier` to 1e-12.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class KMBatch:
    """Row-wise Kaplan-Meier: every array (B, n), rows sorted (see module doc)."""

    time: np.ndarray
    event: np.ndarray
    at_risk: np.ndarray
    survival: np.ndarray
    greenwood: np.ndarray
    censor_survival: np.ndarray

    @property
    def n(self) -> int:
        return self.time.shape[1]

    def last_of_time(self) -> np.ndarray:
        """(B, n) bool: the last position of each distinct time (where the curves equal the
        one-row-per-time estimate)."""
        t = self.time
        return np.concatenate((t[:, 1:] != t[:, :-1], np.ones((t.shape[0], 1), bool)), axis=1)

    def survival_at(self, u) -> np.ndarray:
        """S(u) per row (right-continuous; 1 before the first time).  ``u``: scalar or (B,)."""
        return _step_at(self.time, self.survival, u, side="right")

    def censor_survival_before(self, u) -> np.ndarray:
        """1 - G(u-): the reverse Kaplan-Meier just before ``u`` per row."""
        return _step_at(self.time, self.censor_survival, u, side="left")


def _step_at(t, values, u, side):
    b = t.shape[0]
    u = np.broadcast_to(np.asarray(u, dtype=float), (b,))
    idx = np.array([np.searchsorted(t[i], u[i], side=side) for i in range(b)]) - 1
    padded = np.concatenate((np.ones((b, 1)), values), axis=1)
    return padded[np.arange(b), idx + 1]


def sort_rows(times, events):
    """Rows of (B, n) ``times``/``events`` sorted by time, events first at ties:
    ``(ts, es, order)``."""
    times = np.atleast_2d(np.asarray(times, dtype=float))
    events = np.atleast_2d(np.asarray(events, dtype=bool))
    # a stable sort on events-first, then a stable sort on time keeps events first at ties
    o1 = np.argsort(~events, axis=1, kind="stable")
    t1 = np.take_along_axis(times, o1, axis=1)
    o2 = np.argsort(t1, axis=1, kind="stable")
    order = np.take_along_axis(o1, o2, axis=1)
    return (np.take_along_axis(times, order, axis=1),
            np.take_along_axis(events, order, axis=1), order)


def km_batch(times, events, *, presorted: bool = False) -> KMBatch:
    """Kaplan-Meier, Greenwood sums and reverse Kaplan-Meier of every row of (B, n) arrays.

    >>> km = km_batch([[1, 2, 2, 3]], [[1, 1, 0, 1]])
    >>> km.survival.round(4).tolist()   # 3/4, then 2/3 at 2 (3 at risk), censoring, then 0
    [[0.75, 0.5, 0.5, 0.0]]
    """
    if presorted:
        ts = np.atleast_2d(np.asarray(times, dtype=float))
        es = np.atleast_2d(np.asarray(events, dtype=bool))
    else:
        ts, es, _ = sort_rows(times, events)
    b, n = ts.shape
    r = (n - np.arange(n, dtype=float))[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(np.where(es, 1.0 - 1.0 / r, 1.0), axis=1)
        gw = np.cumsum(np.where(es, 1.0 / (r * (r - 1.0)), 0.0), axis=1)
    # reverse KM: events at the same time (sorted first) are still at risk for censoring
    new = np.concatenate((np.ones((b, 1), bool), ts[:, 1:] != ts[:, :-1]), axis=1)
    ce = np.cumsum(es, axis=1)
    ce_before_group = np.where(new, ce - es, 0)
    ce_before_group = np.maximum.accumulate(np.where(new, ce_before_group, -1), axis=1)
    ev_in_group_before = ce - es - ce_before_group  # events of the same time before k
    r_c = r + ev_in_group_before
    csurv = np.cumprod(np.where(~es, 1.0 - 1.0 / r_c, 1.0), axis=1)
    return KMBatch(ts, es, np.broadcast_to(r, (b, n)), surv, gw, csurv)
