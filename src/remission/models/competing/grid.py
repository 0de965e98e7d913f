"""The time grid and the curve pieces both competing-risks documents share
(``competing_risks_parametric`` of :mod:`.fit`, ``competing_risks_mixture`` of :mod:`.mixture`):
landmarks up to the horizon, the plotting grid that holds them, and a :class:`Prediction`
rendered as landmark rows and as a curve."""
from __future__ import annotations

import numpy as np

from ...table import json_number as num


def landmark_times(tmax: float, time_unit, times=None, horizon=None) -> list[float]:
    """The requested ``times`` (default: ``summary``'s landmarks) within [0, horizon], and the
    horizon (default three times the last follow-up time)."""
    from ...nonparametric.summary import default_landmarks

    h = float(horizon or 3.0 * tmax)
    tl = list(times) if times else default_landmarks(tmax, time_unit)
    return sorted({float(x) for x in tl if 0 <= x <= h} | {h})


def time_grid(horizon: float, landmarks, points: int = 60):
    """``points`` equal steps from 0 to the horizon with the landmarks added, and where each
    landmark sits in it."""
    grid = np.unique(np.concatenate([np.linspace(0.0, horizon, points + 1), landmarks]))
    return grid, np.searchsorted(grid, landmarks)


def landmark_rows(p, grid, pos) -> list[dict]:
    return [{"time": float(grid[i]), "estimate": num(p.estimate[0, i]), "se": num(p.se[0, i]),
             "lower": num(p.lower[0, i]), "upper": num(p.upper[0, i])} for i in pos]


def curve(p, grid) -> dict:
    return {"time": grid.tolist(), "estimate": [num(v) for v in p.estimate[0]],
            "lower": [num(v) for v in p.lower[0]], "upper": [num(v) for v in p.upper[0]]}
