"""Figures: the one plotting module of the package, used by ``remission plot`` and the report.

* :mod:`remission.plots.static`: figures for publication (PNG, SVG, PDF) with matplotlib,
  imported only when a figure is drawn: :func:`km_plot`, :func:`fit_plot`, :func:`cure_plot`
  and :func:`save` (what ``remission plot km|fit|cure`` calls).
* :mod:`remission.plots.interactive`: plotly figure specifications (plain dicts) that the
  HTML report embeds and draws with plotly.js.
* :mod:`remission.plots.style`: what both share: the colour palette, the time-axis ticks,
  the step-curve geometry and the escaping of labels that come from the data.

This floor sits beside the report, above the estimators; it imports nothing from the report
or the command line.
"""
from __future__ import annotations

from .static import cure_plot, fit_plot, km_plot, save

__all__ = ["km_plot", "fit_plot", "cure_plot", "save"]
