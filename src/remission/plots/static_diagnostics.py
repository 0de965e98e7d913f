"""Static TSD 14 diagnostics (``remission plot hazard|loglog``), matplotlib object API, the
same computations as the report's interactive figures (:mod:`remission.plots.diagnostics`):

* :func:`hazard_plot`: the kernel-smoothed empirical hazard
  (:func:`remission.nonparametric.hazard_smooth.smoothed_hazard`) against each fitted model's
  hazard, one panel per group;
* :func:`loglog_plot`: log(-log S_KM) against log time, one curve per group (straight lines
  suggest a Weibull, parallel lines proportional hazards).

>>> fig = loglog_plot(data)        # doctest: +SKIP
>>> save(fig, "loglog.pdf")        # doctest: +SKIP
"""
from __future__ import annotations

import numpy as np

from .diagnostics import hazard_grid, loglog_points
from .static import _cohorts, _figure, _finish_panels, _fit, _name
from .style import PALETTE, axis_title

__all__ = ["hazard_plot", "loglog_plot"]


def _axes_style(ax, unit, ylabel, log_x=False):
    ax.set_ylabel(ylabel)
    ax.set_xlabel(axis_title(unit) + (" (log scale)" if log_x else ""))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(True, color="#e6e6e6", linewidth=0.6)
    ax.set_axisbelow(True)


def hazard_plot(data, dists=("weibull",), *, cure="none", conf_level: float = 0.95,
                ticks=None, title: str | None = None, width: float = 7.0,
                height: float | None = None):
    """One panel per group (or one for all patients): the smoothed empirical hazard (solid)
    and each model's hazard ``fit.hazard(t)`` (dashed) on :func:`hazard_grid`."""
    from ..nonparametric.hazard_smooth import smoothed_hazard

    cohorts = _cohorts(data)
    n = len(cohorts)
    fig = _figure(width, height or (3.4 * n + 0.6))
    axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
    cure_kind = None if cure in (None, "none") else cure
    for ax, (lab, sub) in zip(axes, cohorts):
        grid = hazard_grid(sub.time)
        emp = smoothed_hazard(sub.time, sub.event, grid)
        ax.plot(grid, emp, color="#222", linewidth=2.4,
                label="smoothed empirical hazard (Epanechnikov kernel)")
        for i, d in enumerate(dists):
            f = _fit(sub, d, cure_kind, conf_level)
            h = np.ravel(f.hazard(grid).estimate[0])
            name = d if cure_kind is None else f"{d} ({cure_kind} cure)"
            ax.plot(grid, h, color=PALETTE[i % len(PALETTE)], linestyle="--", linewidth=1.6,
                    label=name)
        _axes_style(ax, data.time_unit, f"Hazard per {data.time_unit or 'time unit'}")
        ax.set_ylim(bottom=0)
        if ticks:
            ax.set_xticks(list(ticks))
        ax.set_title(_name(data, lab) if n > 1 or lab != "all" else "", fontsize=10,
                     loc="left")
    return _finish_panels(fig, axes, title)


def loglog_plot(data, *, conf_level: float = 0.95, ticks=None, title: str | None = None,
                width: float = 7.0, height: float | None = None):
    """log(-log S_KM(t)) against t on a log axis, a step curve per group."""
    from ..nonparametric import kaplan_meier

    fig = _figure(width, height or 4.6)
    ax = fig.subplots()
    for i, (lab, sub) in enumerate(_cohorts(data)):
        k = kaplan_meier(sub, conf_level=conf_level)
        x, y = loglog_points(k.time, k.survival)
        ax.step(x, y, where="post", color=PALETTE[i % len(PALETTE)], linewidth=1.6,
                label=_name(data, lab))
    ax.set_xscale("log")
    _axes_style(ax, data.time_unit, "log(-log S(t))", log_x=True)
    if ticks:
        from matplotlib.ticker import NullFormatter, ScalarFormatter

        ax.set_xticks([t for t in ticks if t > 0])
        ax.xaxis.set_major_formatter(ScalarFormatter())
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.legend(loc="upper left", frameon=False, fontsize=9)
    if title:
        fig.suptitle(title)
    return fig
