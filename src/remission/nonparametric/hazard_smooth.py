"""Kernel-smoothed hazard (Ramlau-Hansen 1983): the Nelson-Aalen increments smoothed with an
Epanechnikov kernel, h(t) = sum_i K((t - t_i) / b) dN_i / (b Y_i), the empirical hazard that
NICE DSU TSD 14 asks to set against each fitted model's hazard (no boundary correction: the
estimate is biased down within b of 0 and of the last time; the figures say so)."""
from __future__ import annotations

import numpy as np

from .nelson_aalen import nelson_aalen


def smoothed_hazard(time, event, grid, bandwidth: float | None = None) -> np.ndarray:
    """The smoothed hazard at ``grid``; ``bandwidth`` defaults to a fifth of the longest
    follow-up (a plain, documented choice, wide enough for a few dozen events)."""
    na = nelson_aalen(np.asarray(time, float), np.asarray(event, float))
    b = float(bandwidth) if bandwidth else float(np.max(time)) / 5.0
    dl = np.asarray(na.n_event, float) / np.asarray(na.n_risk, float)
    u = (np.asarray(grid, float)[:, None] - na.time[None, :]) / b
    k = np.where(np.abs(u) < 1, 0.75 * (1 - u ** 2), 0.0)
    return (k * dl[None, :]).sum(axis=1) / b
