"""Diagnostic figures of NICE DSU TSD 14 (interactive, plotly dicts like
:mod:`remission.plots.interactive`): the smoothed empirical hazard against each model's
hazard, and log cumulative hazard against log time (straight lines: Weibull; parallel lines
between arms: proportional hazards)."""
from __future__ import annotations

import numpy as np

from .style import esc


def _layout(xtitle, ytitle, height=420, xlog=False) -> dict:
    return {"height": height, "margin": {"l": 64, "r": 16, "t": 16, "b": 48},
            "xaxis": {"title": {"text": xtitle}, **({"type": "log"} if xlog else {})},
            "yaxis": {"title": {"text": ytitle}},
            "legend": {"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"}}


def _line(label, x, y, color, dash=None, width=2):
    return {"type": "scatter", "mode": "lines", "name": esc(label),
            "x": [float(v) for v in x], "y": [None if not np.isfinite(v) else float(v) for v in y],
            "line": {"color": color, "width": width, **({"dash": dash} if dash else {})}}


def loglog_points(t, s):
    """(t, log(-log S)) where both are defined (t > 0, 0 < S < 1): the one transform of the
    log-cumulative-hazard diagnostic, shared by the report and ``remission plot loglog``."""
    t, s = np.asarray(t, float), np.asarray(s, float)
    ok = (t > 0) & (s > 0) & (s < 1)
    return t[ok], np.log(-np.log(s[ok]))


def hazard_grid(time, n: int = 120) -> np.ndarray:
    """The time grid of the hazard diagnostic: ``n`` points from a 200th of the longest
    follow-up to it."""
    tmax = float(np.max(time))
    return np.linspace(tmax / 200, tmax, n)


def hazard_figure(grid, empirical, models, unit) -> dict:
    """``empirical``: the smoothed hazard on ``grid``; ``models``: [(label, hazard, color)]."""
    u = f" ({unit})" if unit else ""
    data = [_line("smoothed empirical hazard (Epanechnikov kernel)", grid, empirical, "#222",
                  width=3)]
    data += [_line(lab, grid, h, col, "dash") for lab, h, col in models]
    return {"data": data, "layout": _layout(f"Time{u}", f"Hazard per {unit or 'time unit'}")}


def loglog_figure(curves, models, unit) -> dict:
    """``curves``: [(label, t, S)] of Kaplan-Meier steps; ``models``: [(label, t, S, color)];
    plotted as log(-log S) against t on a log axis."""
    u = f" ({unit}, log scale)" if unit else " (log scale)"
    ll = loglog_points
    data = []
    for lab, t, s in curves:
        x, y = ll(t, s)
        tr = _line(f"Kaplan-Meier {lab}".strip(), x, y, "#222", width=3)
        tr["line"]["shape"] = "hv"
        data.append(tr)
    for lab, t, s, col in models:
        x, y = ll(t, s)
        data.append(_line(lab, x, y, col, "dash"))
    return {"data": data, "layout": _layout(f"Time{u}", "log(-log S(t))", xlog=True)}
