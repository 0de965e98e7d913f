"""The legend of a vector PDF figure: each curve named by the text next to its line sample.

A legend entry is a short level stroke (the sample: 4 to 80 points long, matplotlib draws it
through several points) with
a piece of the page's text starting just right of it (within three font sizes) on its line.
A curve's entry is the one whose sample is stroked exactly as the curve is: the same colour
(within 2/255 per channel) and the same dash array (solid, dashed, dotted: ``d``), so black
and grey curves told apart by line style are named as surely as coloured ones.  Names are
used only when every curve gets exactly one entry and the names differ.
"""
from __future__ import annotations

import re

import numpy as np

#: what a label may hold (as in the OCR'd legends; a comma would break the CSV)
_KEEP = re.compile(r"[^A-Za-z0-9 .+\-_()/%=<>&]")


def texts(page):
    """[(x, y, font size, text)] of every piece of text on the page (baseline start)."""
    from .pdf import _mul

    out = []

    def visit(text, cm, tm, font_dict, font_size):
        txt = " ".join(_KEEP.sub("", text or "").split())
        if txt:
            full = _mul(tm, cm)
            if abs(full[1]) < 1e-6 and full[0] > 0:  # horizontal text only
                size = font_size * abs(full[3]) if full[3] else font_size
                out.append((full[4], full[5], size, txt))

    page.extract_text(visitor_text=visit)
    return out


def _same(a, b, tol) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tol for x, y in zip(a, b))


def samples(strokes, bounds=None):
    """[(x_end, y, rgb, dash)] of the short horizontal straight strokes (legend samples)."""
    x0, x1, y0, y1 = bounds or (-np.inf, np.inf, -np.inf, np.inf)
    out = []
    for pts, rgb, alpha, _w, filled, dash in strokes:
        if filled or alpha < 0.5 or np.ptp(pts[:, 1]) > 1e-6:  # straight and level
            continue
        xa, xb, ya = float(pts[:, 0].min()), float(pts[:, 0].max()), float(pts[0, 1])
        if 4 <= xb - xa <= 80 and x0 <= xa and xb <= x1 and y0 <= ya <= y1:
            out.append((xb, ya, rgb, dash))
    return out


def read_names(page, strokes, curves, bounds=None) -> list | None:
    """Names of ``curves`` [(rgb, dash)] from the legend, in their order; None unless every
    curve gets exactly one entry and the names differ."""
    entries = []
    words = texts(page)
    for x_end, y, rgb, dash in samples(strokes, bounds):
        near = [(x - x_end, t) for x, yb, s, t in words
                if 0 <= x - x_end <= 3 * s and abs(yb + 0.35 * s - y) <= 0.6 * s]
        if near:
            entries.append((rgb, dash, min(near)[1]))
    names = []
    for rgb, dash in curves:
        mine = {t for r, d, t in entries if _same(r, rgb, 2 / 255) and _same(d, dash, 1e-3)}
        if len(mine) != 1:
            return None
        names.append(mine.pop())
    return names if len(set(names)) == len(names) else None
