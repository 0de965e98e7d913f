"""Digitise a published Kaplan-Meier figure: from a PNG, JPEG or PDF page to step curves.

Use::

    from remission.reconstruct.digitize import digitize
    res = digitize("figure2.png")   # or digitize("paper.pdf", page=4, x_range=(0, 60))
                                    # panel=2: the second panel of a multi-panel figure
    res.curves["1"]                 # (times, survivals): the step function's corners
                                    # (named from the legend where it is read: "Drug")
    res.report                      # pixels per unit, curves found, gaps bridged
    res.write("curves.csv")         # curve,time,survival

Steps (one module each): :mod:`.load` reads the pixels (:mod:`.pdf` reads a vector PDF's
paths instead), :mod:`.axes` finds the axis lines and tick marks, :mod:`.ocr` reads the tick
labels and :mod:`.calibrate` maps pixels to data, :mod:`.colours` separates the curves by
colour, :mod:`.trace` follows each curve as a non-increasing step path, :mod:`.legend` names
the curves from the legend (:mod:`.legend_style` for black/grey curves by line style,
:mod:`.pdf_legend` in a vector PDF), :mod:`.panel` finds the panels of a multi-panel figure
(``panel=N``), :mod:`.result` turns paths into corners and reports the quality.  See docs/digitize.md.
"""
from __future__ import annotations

from .result import DigitizeResult
from .run import digitize

__all__ = ["digitize", "DigitizeResult"]
