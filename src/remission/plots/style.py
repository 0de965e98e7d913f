"""What the static and the interactive figures share: colours, time-axis ticks, the
step-curve geometry, and the escaping of labels that come from the data."""
from __future__ import annotations

import html as _html
import math

import numpy as np

#: one colour per group (or model), in order; the static and the interactive figures agree
PALETTE = ["#1f5fa8", "#c4432b", "#2e8b57", "#8e44ad", "#d4860b", "#17a2b8", "#6c757d",
           "#a0522d"]
#: the colour of a model by its cure kind (None = no cure)
MODEL_COLORS = {None: "#1f5fa8", "mixture": "#c4432b", "non-mixture": "#2e8b57"}


def esc(s) -> str:
    """Escape any user-supplied text (file, column and group names) for HTML."""
    return _html.escape("" if s is None else str(s), quote=True)


def nice_ticks(tmax: float, n: int = 6) -> list[float]:
    """Round, evenly spaced tick times from 0 to at least ``tmax``."""
    tmax = float(tmax)
    if tmax <= 0:
        return [0.0]
    raw = tmax / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 3, 5, 6, 10) if m * mag >= raw)
    k = int(math.floor(tmax / step + 1e-9))
    return [round(i * step, 10) for i in range(k + 1)]


def unit_ticks(tmax: float, unit: str | None, n: int = 6) -> list[float]:
    """Ticks at whole years/months where the unit allows (months: multiples of 6 or 12)."""
    if unit == "months" and tmax >= 12:
        for step in (6, 12, 24, 60):
            if tmax / step <= n + 2:
                return [float(i * step) for i in range(int(tmax // step) + 1)]
    return nice_ticks(tmax, n)


def axis_title(unit) -> str:
    """The time axis' title: "Time (months)", or "Time" when the unit is unknown."""
    return f"Time ({unit})" if unit else "Time"


def step(time, surv, start=0.0):
    """Coordinates of a survival step curve starting at (``start``, 1)."""
    t = np.concatenate(([start], np.asarray(time, float)))
    s = np.concatenate(([1.0], np.asarray(surv, float)))
    return t, s
