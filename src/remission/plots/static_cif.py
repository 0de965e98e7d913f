"""Static stacked cumulative incidence (``remission plot cif``): per group, the Aalen-Johansen
cumulative incidence of each cause stacked from the bottom (the cause of interest first) with
the event-free probability on top, the layers adding to one (matplotlib, object API; the
geometry is :func:`remission.plots.interactive_cif.stack`, as the report's figure).

>>> fig = cif_plot(data, cause="relapse")   # doctest: +SKIP
>>> save(fig, "cif.pdf")                     # doctest: +SKIP
"""
from __future__ import annotations

import numpy as np

from .interactive_cif import color, stack
from .static import _cohorts, _figure, _finish_panels, _name, _style
from .style import unit_ticks

__all__ = ["cif_plot"]


def cif_plot(data, *, cause=None, conf_level: float = 0.95, ticks=None,
             title: str | None = None, width: float = 7.0, height: float | None = None):
    """One panel per group (or one for all patients) of stacked cumulative incidences.
    ``data`` must have causes (``--event-type``); ``cause`` is stacked first."""
    from ..errors import DataError
    from ..nonparametric.competing import EVENT_FREE, cumulative_incidence

    if data.cause is None:
        raise DataError("no cause of event: the stacked cumulative incidence needs "
                        "--event-type", column="cause")
    causes = list(data.cause_levels())
    if cause is not None:
        cause = str(cause)
        if cause not in causes:
            raise DataError(f"--cause {cause}: no events of that cause (causes: "
                            f"{', '.join(causes)})", column=data.meta.get("event_column"))
        causes = [cause] + [c for c in causes if c != cause]
    cohorts = _cohorts(data)
    tmax = float(np.max(data.time))
    ticks = list(ticks) if ticks else unit_ticks(tmax, data.time_unit)
    xmax = max(ticks[-1], tmax) * 1.02
    n = len(cohorts)
    fig = _figure(width, height or (3.6 * n + 0.6))
    axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
    for ax, (lab, sub) in zip(axes, cohorts):
        ci = cumulative_incidence(sub, causes=causes, conf_level=conf_level)
        layers = [(c, ci.estimate[ci.states.index(c)]) for c in causes]
        layers.append((EVENT_FREE, ci.estimate[0]))
        t, st = stack(ci.time, layers)
        for i, (state, _own, lo, top) in enumerate(st):
            c = color(i, state, EVENT_FREE)
            ax.fill_between(t, lo, top, step="post", color=c, alpha=0.55, linewidth=0,
                            label=state)
            ax.step(t, top, where="post", color=c, linewidth=1.0)
        _style(ax, data.time_unit, "Probability (stacked)")
        ax.set_ylim(0, 1.0)
        ax.set_xlim(0, xmax)
        ax.set_xticks(ticks)
        ax.set_title(_name(data, lab) if n > 1 or lab != "all" else "", fontsize=10,
                     loc="left")
    return _finish_panels(fig, axes, title)
