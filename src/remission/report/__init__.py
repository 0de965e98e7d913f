"""The report: one call (:func:`analyze`) runs the whole analysis of a dataset through the
public API and renders it as JSON results and a self-contained interactive HTML file;
:mod:`remission.report.figures` draws static figures for publication (matplotlib)."""
from __future__ import annotations

from .build import Report, analyze

__all__ = ["Report", "analyze"]
