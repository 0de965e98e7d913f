"""Risk-set counting at distinct times: the one pass every nonparametric estimator shares."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RiskTable:
    """Counts at each distinct observed exit time (events and censorings), ascending."""

    time: np.ndarray
    n_risk: np.ndarray
    n_event: np.ndarray
    n_censor: np.ndarray


def risk_table(time, event, entry=None, weights=None) -> RiskTable:
    """Numbers at risk, events and censorings at every distinct exit time, as R's survfit.

    Unweighted data without delayed entry take a fast path: two plain sorts (all times and
    event times) and binary searches, with no argsort and no Python loop.
    With ``entry`` (left truncation) a subject is at risk at t when entry < t <= time.
    """
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=bool)
    if weights is None:
        ts = np.sort(t, kind="quicksort")
        if ts.size == 0:
            z = np.zeros(0)
            return RiskTable(z, z, z, z)
        brk = np.flatnonzero(ts[1:] != ts[:-1]) + 1
        starts = np.concatenate(([0], brk))
        uniq = ts[starts]
        total = np.diff(np.concatenate((starts, [ts.size])))
        ev = np.sort(t[e], kind="quicksort")
        d = (np.searchsorted(ev, uniq, side="right") - np.searchsorted(ev, uniq, side="left"))
        n_exit_before = starts  # sorted position = number exiting strictly earlier
        if entry is None:
            n_risk = ts.size - n_exit_before
        else:
            en = np.sort(np.asarray(entry, dtype=float))
            n_risk = np.searchsorted(en, uniq, side="left") - n_exit_before
        return RiskTable(uniq, n_risk.astype(float), d.astype(float), (total - d).astype(float))
    w = np.asarray(weights, dtype=float)
    order = np.argsort(t, kind="stable")
    ts, es, ws = t[order], e[order], w[order]
    brk = np.flatnonzero(ts[1:] != ts[:-1]) + 1
    starts = np.concatenate(([0], brk))
    uniq = ts[starts]
    wsum = np.add.reduceat(ws, starts)
    d = np.add.reduceat(ws * es, starts)
    exit_before = np.concatenate(([0.0], np.cumsum(wsum)[:-1]))
    if entry is None:
        n_risk = ws.sum() - exit_before
    else:
        en = np.asarray(entry, dtype=float)
        eo = np.argsort(en, kind="stable")
        cw = np.concatenate(([0.0], np.cumsum(w[eo])))
        n_risk = cw[np.searchsorted(en[eo], uniq, side="left")] - exit_before
    return RiskTable(uniq, n_risk, d, wsum - d)
