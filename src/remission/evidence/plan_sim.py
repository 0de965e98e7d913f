r"""Two small pieces of follow-up planning: the isotonic (non-decreasing) fit of simulated
power over M, and the per-time-unit hazard of a yearly loss to follow-up.

(The simulation itself: :mod:`.simulate` draws trials with common random numbers across M,
:mod:`.decide` decides them, :mod:`.plan_search` runs the passes.)
"""
from __future__ import annotations

import numpy as np


def isotonic_increasing(y) -> np.ndarray:
    """Pool-adjacent-violators fit of a non-decreasing sequence (equal weights).

    >>> isotonic_increasing([0.1, 0.3, 0.2, 0.5]).tolist()
    [0.1, 0.25, 0.25, 0.5]
    """
    vals: list[float] = []
    counts: list[int] = []
    for v in np.asarray(y, dtype=float):
        vals.append(v)
        counts.append(1)
        while len(vals) > 1 and vals[-2] > vals[-1]:
            c = counts[-2] + counts[-1]
            v2 = (vals[-2] * counts[-2] + vals[-1] * counts[-1]) / c
            vals[-2:] = [v2]
            counts[-2:] = [c]
    return np.repeat(vals, counts)


def dropout_hazard(dropout: float, time_unit: str | None) -> float:
    """Per-time-unit hazard of a yearly loss-to-follow-up fraction ``dropout``."""
    from ..data.units import DAYS_PER_UNIT
    from ..errors import OptionError

    dropout = float(dropout)
    if not 0 <= dropout < 1:
        raise OptionError(f"--dropout must be a fraction per year in [0, 1) (got {dropout:g})")
    if dropout == 0:
        return 0.0
    if time_unit not in DAYS_PER_UNIT:
        raise OptionError("--dropout is a fraction per year: give the data's time unit "
                          "(--time-unit)")
    return -np.log1p(-dropout) * DAYS_PER_UNIT[time_unit] / 365.25
