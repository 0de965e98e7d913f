"""Forest plot of the arm contrasts (plotly figure dict for the interactive report).

One row per contrast of a group against the reference group: the Cox hazard ratio
(:func:`remission.nonparametric.contrasts.hazard_ratios`, the summary's ``hazard_ratios``)
and the cure-fraction odds ratio of each cure kind (:func:`remission.models.arms.
cure_contrast`), on one log-scale axis with the line of no difference at 1.  Scatter traces
with ``error_x`` only (the report inlines the plotly.js *basic* bundle); labels come from the
data and are HTML-escaped as in :mod:`remission.plots.interactive`.
"""
from __future__ import annotations

import math

from .interactive import _layout
from .style import esc

__all__ = ["arm_contrast_rows", "forest_figure"]

#: colour of each kind of contrast
COLORS = {"hazard ratio": "#1f5fa8", "mixture": "#b2432f", "non-mixture": "#2f8f5b"}


def _finite(v) -> bool:
    return v is not None and isinstance(v, (int, float)) and math.isfinite(v) and v > 0


def arm_contrast_rows(hazard_ratios: dict | None, cure_contrasts=(), name=str) -> list[dict]:
    """Forest rows (label, measure, estimate, lower, upper, color) from the summary's
    ``hazard_ratios`` block and a list of cure contrasts (dicts with ``kind``, ``group``,
    ``reference`` and ``cure_fraction_odds_ratio``).  ``name`` maps a group level to its
    display name.  Contrasts without a finite positive estimate are left out (their tables say
    why)."""
    rows = []
    for c in (hazard_ratios or {}).get("contrasts", []):
        if _finite(c.get("estimate")):
            rows.append({"label": f"{name(c['group'])} vs {name(hazard_ratios['reference'])}: "
                                  "hazard ratio (Cox)",
                         "measure": "hazard ratio", "estimate": c["estimate"],
                         "lower": c.get("lower"), "upper": c.get("upper"),
                         "color": COLORS["hazard ratio"]})
    for c in cure_contrasts or ():
        o = c.get("cure_fraction_odds_ratio") or {}
        if _finite(o.get("estimate")):
            kind = c.get("kind", "mixture")
            rows.append({"label": f"{name(c['group'])} vs {name(c['reference'])}: "
                                  f"cure odds ratio ({kind})",
                         "measure": f"cure odds ratio ({kind})", "estimate": o["estimate"],
                         "lower": o.get("lower"), "upper": o.get("upper"),
                         "color": COLORS.get(kind, "#555")})
    return rows


def forest_figure(rows, x_title: str = "Ratio vs the reference group (log scale)") -> dict:
    """Dot-and-interval rows on a log axis with a dotted line at 1 (no difference)."""
    traces, labels = [], []
    values = [1.0]
    for r in rows:
        est = float(r["estimate"])
        lo = float(r["lower"]) if _finite(r.get("lower")) else est
        hi = float(r["upper"]) if _finite(r.get("upper")) else est
        values += [lo, hi]
        label = esc(r["label"])
        labels.append(label)
        traces.append({"type": "scatter", "mode": "markers", "x": [est], "y": [label],
                       "name": label, "showlegend": False,
                       "marker": {"size": 11, "symbol": "square", "color": r["color"]},
                       "error_x": {"type": "data", "symmetric": False, "array": [hi - est],
                                   "arrayminus": [est - lo], "thickness": 2, "width": 6,
                                   "color": r["color"]},
                       "customdata": [[lo, hi]],
                       "hovertemplate": ("<b>%{y}</b><br>%{x:.3g} (%{customdata[0]:.3g} to "
                                         "%{customdata[1]:.3g})<extra></extra>")})
    # a symmetric log range around 1 that holds every interval, with a margin
    span = max(abs(math.log10(v)) for v in values) * 1.1 + 0.05
    lay = _layout("", None, 1, None, height=max(180, 46 * len(rows) + 90),
                  margin={"l": 340, "r": 24, "t": 10, "b": 50})
    lay["xaxis"].update(title={"text": x_title}, type="log", range=[-span, span])
    lay["yaxis"] = {"autorange": "reversed", "type": "category",
                    "categoryorder": "array", "categoryarray": labels, "gridcolor": "#f0f0f0"}
    lay["shapes"] = [{"type": "line", "xref": "x", "yref": "paper", "x0": 1, "x1": 1,
                      "y0": 0, "y1": 1, "line": {"color": "#888", "dash": "dot", "width": 1}}]
    return {"data": traces, "layout": lay}
