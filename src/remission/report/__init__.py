"""The report: one call (:func:`analyze`) runs the whole analysis of a dataset through the
public API and renders it as JSON results and a self-contained interactive HTML file.  Its
figures come from :mod:`remission.plots` (the interactive ones; ``remission plot`` draws the
static ones with the same module)."""
from __future__ import annotations

from .build import Report, analyze

__all__ = ["Report", "analyze"]
