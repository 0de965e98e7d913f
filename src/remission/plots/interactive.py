"""Plotly figure specifications (plain dicts) for the interactive report.

Plain dicts rather than ``plotly.graph_objects`` keep the report fast to build; the page
draws them with the plotly.js *basic* bundle vendored in ``report/assets`` (inlined once;
scatter, bar and pie traces only: use no other trace type, tests/report/test_size.py checks
it; coordinates are written at 4 significant digits, :func:`remission.report.html.
compact_figures`).  Trace names
come from the data (group labels), so they are HTML-escaped: plotly.js renders its own small
subset of HTML in names and shows ``&lt;`` as ``<``, so the label reads as typed and never
becomes markup.
"""
from __future__ import annotations

import numpy as np

from .style import MODEL_COLORS, PALETTE, axis_title, esc, step

__all__ = ["PALETTE", "MODEL_COLORS", "CONFIG", "km_traces", "km_figure", "model_trace", "fit_figure",
           "cure_probability_figure", "cure_fraction_figure", "plan_figure", "needed_figure"]

CONFIG = {"displaylogo": False, "responsive": True,
          "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}


def _layout(title_y: str, unit, xmax, ticks=None, height=430, **extra) -> dict:
    xa = {"title": {"text": axis_title(unit)}, "range": [0, xmax], "zeroline": False,
          "showgrid": True, "gridcolor": "#e5e5e5", "linecolor": "#444", "ticks": "outside"}
    if ticks:
        xa.update(tickmode="array", tickvals=list(ticks))
    lay = {"xaxis": xa,
           "yaxis": {"title": {"text": title_y}, "range": [0, 1.02], "tickformat": ".0%",
                     "gridcolor": "#e5e5e5", "linecolor": "#444", "ticks": "outside",
                     "zeroline": False},
           "height": height, "margin": {"l": 64, "r": 16, "t": 16, "b": 56},
           "legend": {"orientation": "h", "y": -0.2, "x": 0},
           "hovermode": "closest", "plot_bgcolor": "#fff", "paper_bgcolor": "#fff",
           "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                    "size": 13}}
    lay.update(extra)
    return lay


def _band(x, lo, hi, color, name, group, shape="linear", visible=True):
    lo = np.where(np.isfinite(lo), lo, np.nan)
    hi = np.where(np.isfinite(hi), hi, np.nan)
    xs = np.concatenate((x, x[::-1]))
    ys = np.concatenate((hi, lo[::-1]))
    ok = np.isfinite(ys)
    return {"type": "scatter", "x": xs[ok], "y": ys[ok], "fill": "toself",
            "fillcolor": _alpha(color, 0.10), "line": {"width": 0, "shape": shape},
            "hoverinfo": "skip", "showlegend": False, "name": name, "legendgroup": group,
            "visible": visible}


def _alpha(hex_color: str, a: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{a})"


def km_traces(curves, unit, dash=None, show_ci=True, legend_prefix="", colors=None):
    """Step lines (hover: S(t), CI, number at risk), CI bands and censoring ticks."""
    traces = []
    u = f" {unit}" if unit else ""
    for i, (label, k) in enumerate(curves):
        color = (colors or PALETTE)[i % len(colors or PALETTE)]
        name = esc(legend_prefix + ("all patients" if label == "all" else label))
        grp = f"km-{i}"
        t, s = step(k.time, k.survival)
        lo = np.concatenate(([1.0], k.lower))
        hi = np.concatenate(([1.0], k.upper))
        nr = np.concatenate(([k.n], k.n_risk))
        if show_ci:
            traces.append(_band(np.repeat(t, 2)[1:], np.repeat(lo, 2)[:-1],
                                np.repeat(hi, 2)[:-1], color, name, grp))
        traces.append({
            "type": "scatter", "mode": "lines", "x": t, "y": s, "name": name,
            "legendgroup": grp, "line": {"shape": "hv", "color": color, "width": 2.2,
                                         **({"dash": dash} if dash else {})},
            "customdata": np.column_stack([lo, hi, nr]),
            "hovertemplate": ("<b>%{fullData.name}</b><br>t = %{x:.3~f}" + u +
                              "<br>S(t) = %{y:.3f} (%{customdata[0]:.3f} to "
                              "%{customdata[1]:.3f})<br>at risk: %{customdata[2]}"
                              "<extra>Kaplan-Meier</extra>")})
        cens = np.asarray(k.n_censor) > 0
        if cens.any():
            traces.append({"type": "scatter", "mode": "markers", "x": k.time[cens],
                           "y": k.survival[cens], "name": name + " (censored)",
                           "legendgroup": grp, "showlegend": False,
                           "marker": {"symbol": "line-ns-open", "size": 8, "color": color},
                           "hovertemplate": "censored at %{x:.3~f}" + u + "<extra></extra>"})
    return traces


TOP_LEGEND = {"orientation": "h", "x": 0, "y": 1.01, "yanchor": "bottom"}


def km_figure(curves, unit, xmax, ticks, risk=None) -> dict:
    """Kaplan-Meier curves; with ``risk`` (label -> {"time", "at_risk"}) the numbers at risk
    are printed under the time axis, aligned with its ticks, one coloured row per group."""
    rows = list(risk.items()) if risk else []
    row_h = 20
    plot_h = 400
    bottom = 62 + (row_h * (len(rows) + 1) if rows else 0)
    lay = _layout("Survival probability", unit, xmax, ticks, legend=TOP_LEGEND,
                  height=plot_h + bottom, margin={"l": 150 if rows else 64, "r": 16, "t": 36,
                                                   "b": bottom})
    lay["showlegend"] = len(curves) > 1
    if rows:
        ann = [{"text": "<b>Number at risk</b>", "xref": "paper", "yref": "paper", "x": 0,
                "xanchor": "right", "xshift": -26, "y": 0, "yshift": -62, "yanchor": "top",
                "showarrow": False, "font": {"size": 12}}]
        for i, (label, tb) in enumerate(rows):
            color = PALETTE[i % len(PALETTE)]
            name = "all patients" if label == "all" else label
            short = name if len(name) <= 16 else name[:15] + "\u2026"
            y_shift = -62 - row_h * (i + 1)
            ann.append({"text": esc(short), "xref": "paper", "yref": "paper", "x": 0,
                        "xanchor": "right", "xshift": -26, "y": 0, "yshift": y_shift,
                        "yanchor": "top", "showarrow": False,
                        "font": {"size": 12, "color": color}})
            for t, n in zip(tb["time"], tb["at_risk"]):
                ann.append({"text": str(int(n)), "xref": "x", "yref": "paper", "x": t, "y": 0,
                            "yshift": y_shift, "yanchor": "top", "showarrow": False,
                            "font": {"size": 12, "color": color}})
        lay["annotations"] = ann
    return {"data": km_traces(curves, unit), "layout": lay}


def model_trace(label, x, y, color, dash=None, visible=True, hover_name="", unit=None):
    u = f" {unit}" if unit else ""
    tr = {"type": "scatter", "mode": "lines", "x": x, "y": y, "name": esc(label),
          "legendgroup": esc(label), "visible": True if visible else "legendonly",
          "line": {"color": color, "width": 2, **({"dash": dash} if dash else {})},
          "hovertemplate": ("<b>%{fullData.name}</b><br>t = %{x:.3~f}" + u +
                            "<br>S(t) = %{y:.3f}<extra>" + esc(hover_name) + "</extra>")}
    return tr


def fit_figure(km_curve, lines, unit, horizon, ticks, observed_max) -> dict:
    """Kaplan-Meier of the cohort with model curves extrapolated to ``horizon``.

    ``lines``: dicts with label, x, y, color, dash, visible, hover."""
    traces = km_traces([km_curve], unit, show_ci=True, legend_prefix="Kaplan-Meier: ",
                       colors=["#222222"])
    for ln in lines:
        traces.append(model_trace(ln["label"], ln["x"], ln["y"], ln["color"], ln.get("dash"),
                                  ln.get("visible", True), hover_name=ln.get("hover", ""),
                                  unit=unit))
    shapes = [{"type": "line", "x0": observed_max, "x1": observed_max, "y0": 0, "y1": 1,
               "yref": "paper", "line": {"color": "#888", "dash": "dot", "width": 1}}]
    ann = [{"x": observed_max, "y": 1, "yref": "paper", "text": "end of follow-up",
            "showarrow": False, "xanchor": "left", "yanchor": "top",
            "font": {"size": 11, "color": "#666"}}]
    return {"data": traces,
            "layout": _layout("Survival probability", unit, horizon, ticks, height=600,
                              shapes=shapes, annotations=ann,
                              legend={"orientation": "h", "x": 0, "y": -0.14,
                                      "yanchor": "top", "font": {"size": 12}},
                              margin={"l": 64, "r": 16, "t": 16, "b": 40})}


def cure_probability_figure(lines, unit, xmax, ticks) -> dict:
    traces = []
    for ln in lines:
        x = np.asarray(ln["x"], float)
        if ln.get("lo") is not None:
            traces.append(_band(x, np.asarray(ln["lo"], float), np.asarray(ln["hi"], float),
                                ln["color"], esc(ln["label"]), esc(ln["label"])))
        traces.append(model_trace(ln["label"], x, ln["y"], ln["color"], ln.get("dash"),
                                  hover_name=ln.get("hover", ""), unit=unit))
        traces[-1]["hovertemplate"] = traces[-1]["hovertemplate"].replace(
            "S(t)", "P(cured | event-free at t)")
    return {"data": traces,
            "layout": _layout("P(cured | event-free at t)", unit, xmax, ticks, height=420,
                              legend=TOP_LEGEND, margin={"l": 64, "r": 16, "t": 36, "b": 56})}


def cure_fraction_figure(rows) -> dict:
    """Dot-and-interval plot: rows of dicts (label, estimate, lower, upper, color)."""
    traces = []
    labels = [r["label"] for r in rows]
    for r in rows:
        est = r["estimate"]
        lo = r["lower"] if r["lower"] is not None else est
        hi = r["upper"] if r["upper"] is not None else est
        traces.append({"type": "scatter", "mode": "markers", "x": [est], "y": [esc(r["label"])],
                       "name": esc(r["label"]), "showlegend": False,
                       "marker": {"size": 11, "color": r.get("color", "#1f5fa8")},
                       "error_x": {"type": "data", "symmetric": False, "array": [hi - est],
                                   "arrayminus": [est - lo], "thickness": 2, "width": 6,
                                   "color": r.get("color", "#1f5fa8")},
                       "customdata": [[lo, hi]],
                       "hovertemplate": ("<b>%{y}</b><br>cure fraction %{x:.1%} "
                                         "(%{customdata[0]:.1%} to %{customdata[1]:.1%})"
                                         "<extra></extra>")})
    lay = _layout("", None, 1, None, height=max(180, 46 * len(rows) + 90),
                  margin={"l": 300, "r": 24, "t": 10, "b": 50})
    lay["xaxis"].update(title={"text": "Cure fraction"}, range=[-0.02, 1.02], tickformat=".0%")
    lay["yaxis"] = {"autorange": "reversed", "type": "category",
                    "categoryorder": "array", "categoryarray": [esc(x) for x in labels],
                    "gridcolor": "#f0f0f0"}
    return {"data": traces, "layout": lay}


def plan_figure(rows, unit) -> dict:
    x = [r["extra_followup"] for r in rows]
    u = f" {unit}" if unit else ""
    traces = []
    for key, name, color in (("p_sufficient", "P(show sufficient follow-up)", "#1f5fa8"),
                             ("p_presence", "P(show a cured fraction)", "#c4432b")):
        traces.append({"type": "scatter", "mode": "lines+markers", "x": x,
                       "y": [r[key] for r in rows], "name": name,
                       "line": {"color": color, "width": 2},
                       "hovertemplate": ("+%{x:.3~f}" + u + ": %{y:.0%}<extra>" + name +
                                         "</extra>")})
    lay = _layout("Probability (simulated)", unit, max(x) * 1.05 if x else 1, x, height=360,
                  legend=TOP_LEGEND, margin={"l": 64, "r": 16, "t": 36, "b": 56})
    lay["xaxis"]["title"] = {"text": f"Extra follow-up{' (' + unit + ')' if unit else ''}"}
    return {"data": traces, "layout": lay}


def needed_figure(needed: dict, unit) -> dict:
    """Power against extra follow-up under each scenario of a plan's ``needed`` search:
    P(show sufficient follow-up) solid, P(show a cured fraction) dashed, one colour per
    scenario, and the target as a horizontal line."""
    u = f" {unit}" if unit else ""
    traces = []
    for k, s in enumerate(needed["scenarios"]):
        c = s["curve"]
        color = PALETTE[k % len(PALETTE)]
        for key, what, dash in (("p_sufficient_followup", "sufficient follow-up", None),
                                ("p_presence", "cured fraction", "dash")):
            name = f"{s['model']}: {what}"
            traces.append({"type": "scatter", "mode": "lines", "x": c["extra_followup"],
                           "y": c[key], "name": name, "legendgroup": s["model"],
                           "line": {"color": color, "width": 2, "dash": dash or "solid"},
                           "hovertemplate": ("+%{x:.3~f}" + u + ": %{y:.0%}<extra>" + name +
                                             "</extra>")})
    cap = float(needed["cap"])
    traces.append({"type": "scatter", "mode": "lines", "x": [0, cap],
                   "y": [needed["target"]] * 2, "name": f"target {needed['target']:.0%}",
                   "line": {"color": "#444", "width": 1, "dash": "dot"}, "hoverinfo": "skip"})
    lay = _layout("Chance of showing it (simulated)", unit, cap * 1.02, height=420,
                  legend=TOP_LEGEND, margin={"l": 64, "r": 16, "t": 80, "b": 56})
    lay["xaxis"]["title"] = {"text": f"Extra follow-up{' (' + unit + ')' if unit else ''}"}
    return {"data": traces, "layout": lay}
