"""Competing risks, stacked: the cumulative incidence of each cause with the event-free
probability on top (Aalen-Johansen; the layers add to one at every time).

:func:`stack` is the geometry both figures draw (this plotly figure for the report and
:func:`remission.plots.static_cif.cif_plot`); :func:`cif_stacked_figure` is a plain plotly
dict of *scatter* traces only (``fill="tonexty"`` stacks them), as the report's plotly.js
basic bundle draws (see :mod:`remission.plots.interactive`); so is
:func:`cif_overlay_figure`, the parametric incidences over the Aalen-Johansen steps.
"""
from __future__ import annotations

import numpy as np

from .interactive import TOP_LEGEND, _alpha, _layout
from .style import PALETTE, esc

__all__ = ["CAUSE_COLORS", "EVENT_FREE_COLOR", "stack", "cif_stacked_figure",
           "cif_overlay_figure"]

#: cause colours in stacking order (the cause of interest first, at the bottom)
CAUSE_COLORS = [PALETTE[1], PALETTE[4], PALETTE[3], PALETTE[5], PALETTE[7], PALETTE[6],
                PALETTE[0]]
EVENT_FREE_COLOR = PALETTE[2]


def color(i: int, state: str, event_free: str) -> str:
    return EVENT_FREE_COLOR if state == event_free else CAUSE_COLORS[i % len(CAUSE_COLORS)]


def stack(time, layers):
    """``layers``: [(state, estimate at each of ``time``), ...] bottom to top (the causes,
    then the event-free state).  Returns (t, [(state, own, lower edge, upper edge), ...]) on
    the time grid with 0 prepended (every cause starts at 0; the event-free state at 1): the
    upper edge of a layer is the sum of its own and all lower layers' probabilities, so the
    top edge is 1 wherever the estimates add to one."""
    t = np.concatenate(([0.0], np.asarray(time, float)))
    below = np.zeros(t.size)
    out = []
    for j, (state, est) in enumerate(layers):
        first = 1.0 if j == len(layers) - 1 else 0.0   # the event-free state, last
        own = np.concatenate(([first], np.asarray(est, float)))
        top = below + own
        out.append((state, own, below, top))
        below = top
    return t, out


def cif_stacked_figure(time, layers, unit, xmax, ticks=None, event_free="event-free",
                       height=400) -> dict:
    """Stacked areas (step shape) of ``layers`` (see :func:`stack`); the hover of a layer
    shows its own probability, not the height of the stack."""
    t, st = stack(time, layers)
    u = f" {unit}" if unit else ""
    traces = []
    for i, (state, own, _lo, top) in enumerate(st):
        c = color(i, state, event_free)
        name = esc(state)
        traces.append({"type": "scatter", "mode": "lines", "x": t, "y": top, "name": name,
                       "fill": "tozeroy" if i == 0 else "tonexty",
                       "fillcolor": _alpha(c, 0.55), "line": {"shape": "hv", "color": c,
                                                              "width": 1.2},
                       "customdata": own,
                       "hovertemplate": ("t = %{x:.3~f}" + u + "<br>" + name
                                         + ": %{customdata:.3f}<extra></extra>")})
    lay = _layout("Probability (stacked)", unit, xmax, ticks, height=height,
                  legend=TOP_LEGEND, margin={"l": 64, "r": 16, "t": 36, "b": 56})
    lay["yaxis"]["range"] = [0, 1.0]
    return {"data": traces, "layout": lay}


def cif_overlay_figure(steps, lines, unit, xmax, ticks=None, observed_max=None,
                       event_free="event-free", height=400) -> dict:
    """Nonparametric and parametric cumulative incidences on one axis (not stacked).

    ``steps``: [(state, time, estimate)] (Aalen-Johansen, drawn as steps from 0);
    ``lines``: [(state, time, estimate, lower, upper)] (the parametric curves, dashed, with
    a light pointwise band), extrapolated beyond the data to ``xmax``; ``observed_max``
    marks the end of follow-up.  A state keeps its colour in both (the stacked figure's)."""
    from .interactive import _band

    traces = []
    names = [s for s, *_ in steps]
    u = f" {unit}" if unit else ""
    for state, t, est, lo, up in lines:
        i = names.index(state) if state in names else len(names)
        c = color(i, state, event_free)
        t = np.asarray(t, float)
        traces.append(_band(t, np.asarray(lo, float), np.asarray(up, float), c,
                            esc(state), esc(state)))
        traces.append({"type": "scatter", "mode": "lines", "x": t, "y": np.asarray(est, float),
                       "name": f"{esc(state)} (parametric)", "legendgroup": esc(state),
                       "line": {"color": c, "width": 2, "dash": "dash"},
                       "hovertemplate": ("t = %{x:.3~f}" + u + "<br>" + esc(state)
                                         + " (parametric): %{y:.3f}<extra></extra>")})
    for i, (state, t, est) in enumerate(steps):
        c = color(i, state, event_free)
        first = 1.0 if state == event_free else 0.0
        traces.append({"type": "scatter", "mode": "lines",
                       "x": np.concatenate(([0.0], np.asarray(t, float))),
                       "y": np.concatenate(([first], np.asarray(est, float))),
                       "name": f"{esc(state)} (Aalen-Johansen)", "legendgroup": esc(state),
                       "line": {"color": c, "width": 1.5, "shape": "hv"},
                       "hovertemplate": ("t = %{x:.3~f}" + u + "<br>" + esc(state)
                                         + ": %{y:.3f}<extra></extra>")})
    lay = _layout("Probability", unit, xmax, ticks, height=height, legend=TOP_LEGEND,
                  margin={"l": 64, "r": 16, "t": 36, "b": 56})
    if observed_max is not None:
        lay["shapes"] = [{"type": "line", "x0": observed_max, "x1": observed_max, "y0": 0,
                          "y1": 1, "yref": "paper", "line": {"color": "#888", "width": 1,
                                                             "dash": "dot"}}]
    return {"data": traces, "layout": lay}
