"""Nelson-Aalen cumulative hazard (R's survfit ``cumhaz`` with the default ctype=1)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._counts import risk_table
from .kaplan_meier import _unpack


@dataclass(frozen=True, eq=False)
class NelsonAalen:
    time: np.ndarray
    n_risk: np.ndarray
    n_event: np.ndarray
    cumhaz: np.ndarray
    std_err: np.ndarray  # sqrt(sum d / n^2), R's std.chaz

    def cumhaz_at(self, t) -> np.ndarray:
        i = np.searchsorted(self.time, np.asarray(t, dtype=float), side="right")
        return np.concatenate(([0.0], self.cumhaz))[i]


def nelson_aalen(time, event=None, *, entry=None, weights=None) -> NelsonAalen:
    """Nelson-Aalen estimate of the cumulative hazard at every distinct observed time.

    >>> nelson_aalen([1, 2, 3], [1, 1, 1]).cumhaz.round(4).tolist()
    [0.3333, 0.8333, 1.8333]
    """
    t, e, en, w = _unpack(time, event, entry, weights)
    rt = risk_table(t, e, en, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        inc = np.where(rt.n_risk > 0, rt.n_event / rt.n_risk, 0.0)
        vinc = np.where(rt.n_risk > 0, rt.n_event / rt.n_risk ** 2, 0.0)
    return NelsonAalen(rt.time, rt.n_risk, rt.n_event, np.cumsum(inc), np.sqrt(np.cumsum(vinc)))
