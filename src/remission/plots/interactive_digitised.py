"""The Guyot round trip drawn for the report: the Kaplan-Meier curve of patients reconstructed
from a figure over the curve digitised from it (``reconstruct --figure``)."""
from __future__ import annotations

import numpy as np

from .interactive import PALETTE, TOP_LEGEND, _layout, km_traces
from .style import esc


def roundtrip_figure(pairs, unit, xmax, ticks=None, colors=None) -> dict:
    """``pairs``: (label, KaplanMeier of the reconstructed patients or None, (times,
    survivals) corners of the digitised curve). Each digitised curve is a thick pale line,
    the reconstructed Kaplan-Meier curve a thin line of the same colour on top of it;
    ``colors``: one CSS colour per pair (e.g. each curve's colour in the figure; default the
    report's palette)."""
    traces = []
    u = f" {unit}" if unit else ""
    colors = list(colors or [PALETTE[i % len(PALETTE)] for i in range(len(pairs))])
    for i, (label, _k, (t, s)) in enumerate(pairs):
        color = colors[i]
        traces.append({
            "type": "scatter", "mode": "lines", "x": np.asarray(t, float),
            "y": np.asarray(s, float), "name": esc(f"{label}: digitised"),
            "legendgroup": f"rt-{i}", "opacity": 0.35,
            "line": {"color": color, "width": 7},
            "hovertemplate": ("t = %{x:.3~f}" + u + "<br>S(t) = %{y:.3f}"
                              "<extra>digitised</extra>")})
    curves = [(f"{label}: reconstructed", k) for label, k, _c in pairs if k is not None]
    traces += km_traces(curves, unit, show_ci=False,
                        colors=[c for c, (_l, k, _c) in zip(colors, pairs) if k is not None])
    lay = _layout("Survival probability", unit, xmax, ticks, legend=TOP_LEGEND, height=420,
                  margin={"l": 64, "r": 16, "t": 36, "b": 56})
    return {"data": traces, "layout": lay}
