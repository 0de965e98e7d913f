"""Find the plotting area of a raster figure: its axis lines and their tick marks.

The y axis is the LEFTMOST column holding a long run of dark grey pixels, the x axis the
row where that run ends (the axes' corner; survminer's numbers-at-risk table has axis lines
of its own further down), else the LOWEST such row (a curve cannot lie below it); "long" is
at least 40% of the image side and 80% of the longest run.  Tick marks are the short dark
marks just outside (else just inside) an axis.

A figure with no dark axis lines (ggplot2's default ``theme_grey``: a light grey panel with
white grid lines) is read from its panel: the largest rectangle of one light grey
(:func:`grey_panel`), else the extent of long light grey lines (:func:`light_lines`:
``theme_light``'s border, ``theme_minimal``'s grid), whose edges stand for the axes; the
tick marks are then the short dark marks just outside its left and bottom edges.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...errors import DataError


@dataclass
class Frame:
    """Plot area in pixel indices: columns ``left..right``, rows ``top..bottom`` (the axes)."""

    left: int
    right: int
    top: int
    bottom: int
    x_ticks: list = field(default_factory=list)  # tick centres (column, float)
    y_ticks: list = field(default_factory=list)  # tick centres (row, float)
    axis_width: int = 1


def dark_mask(rgb: np.ndarray, level: int = 110) -> np.ndarray:
    """Dark and grey (not coloured): axes, text, black curves."""
    mx = rgb.max(axis=2).astype(np.int16)
    mn = rgb.min(axis=2).astype(np.int16)
    return (mx < level) & (mx - mn < 60)


def _longest_runs(mask: np.ndarray):
    """Per row of ``mask``: (length, start) of its longest run of True."""
    m = mask.astype(np.int8)
    n, w = m.shape
    pad = np.zeros((n, w + 2), np.int8)
    pad[:, 1:-1] = m
    d = np.diff(pad, axis=1)
    best_len = np.zeros(n, int)
    best_start = np.zeros(n, int)
    rows_s, cols_s = np.nonzero(d == 1)
    rows_e, cols_e = np.nonzero(d == -1)
    lengths = cols_e - cols_s  # starts and ends pair up row by row, in order
    for r, s, ln in zip(rows_s, cols_s, lengths):
        if ln > best_len[r]:
            best_len[r], best_start[r] = ln, s
    return best_len, best_start


def find_frame(rgb: np.ndarray) -> Frame:
    h, w = rgb.shape[:2]
    dark = dark_mask(rgb)
    hlen, hstart = _longest_runs(dark)
    vlen, vstart = _longest_runs(dark.T)
    if hlen.max() < 0.4 * w or vlen.max() < 0.4 * h:
        panel = grey_panel(rgb)
        if panel is None:
            panel = light_lines(rgb)
        if panel is not None:
            return _panel_frame(rgb, dark, *panel)
        raise DataError("no plot found in the figure: no pair of long dark axis lines "
                        "(a horizontal x axis and a vertical y axis) and no grey plotting "
                        "panel")
    hrows = np.nonzero(hlen >= 0.8 * hlen.max())[0]
    vcols = np.nonzero(vlen >= 0.8 * vlen.max())[0]
    left_cols = _band(vcols, vcols.min())
    c = int(left_cols[0])
    corner = vstart[c] + vlen[c] - 1  # where the y axis ends: the x axis meets it there
    near = hrows[np.abs(hrows - corner) <= len(left_cols) + 3]
    bottom_rows = _band(hrows, near.max() if near.size else hrows.max())  # possibly thick
    bottom = int(bottom_rows.min())              # inner edge
    left = int(left_cols.max())
    r = int(bottom_rows[0])
    right = int(hstart[r] + hlen[r] - 1)
    top = int(vstart[c])
    if right - left < 0.3 * w or bottom - top < 0.3 * h:
        raise DataError("no plot found in the figure: the axis lines do not enclose an area")
    fr = Frame(left, right, top, bottom, axis_width=max(len(bottom_rows), len(left_cols)))
    ink = 255.0 - rgb.max(axis=2).astype(np.float32)  # darkness, for sub-pixel centres
    fr.x_ticks = _ticks(dark, ink, axis_lo=int(bottom_rows.max()) + 1, along=(left, right),
                        outward=+1, horizontal=True, inner=bottom)
    fr.y_ticks = _ticks(dark, ink, axis_lo=int(left_cols.min()) - 1, along=(top, bottom),
                        outward=-1, horizontal=False, inner=left)
    return fr


#: the panel's grey: light (ggplot2's grey92 is 235) and without colour
PANEL_LIGHT = (200, 248)


def grey_panel(rgb: np.ndarray):
    """(left, right, top, bottom) of the largest rectangle of one light grey, or None.

    The panel's grey is the commonest light, colourless value; a row (column) belongs to the
    panel when at least a tenth of it is that grey (curves, bands and white grid lines cover
    the rest), and runs of such rows broken by at most a few rows (a white grid line along
    the whole width) are one panel; the tallest run is the plot (survminer's table has a
    panel of its own, lower down)."""
    h, w = rgb.shape[:2]
    mx = rgb.max(axis=2).astype(np.int16)
    chroma = mx - rgb.min(axis=2)
    light = (mx >= PANEL_LIGHT[0]) & (mx <= PANEL_LIGHT[1]) & (chroma <= 8)
    if light.sum() < 0.1 * h * w:
        return None
    mode = int(np.argmax(np.bincount(mx[light].ravel())))
    bg = light & (np.abs(mx - mode) <= 3)
    rows = _runs_of(bg.mean(axis=1) >= 0.1, gap=8)
    if not rows:
        return None
    top, bottom = max(rows, key=lambda r: r[1] - r[0])
    cols = _runs_of(bg[top:bottom + 1].mean(axis=0) >= 0.1, gap=8)
    left, right = max(cols, key=lambda r: r[1] - r[0])
    if right - left < 0.3 * w or bottom - top < 0.3 * h:
        return None
    return left, right, top, bottom


def light_lines(rgb: np.ndarray):
    """(left, right, top, bottom) spanned by long light grey lines, or None: the panel
    border and grid lines of ggplot2's ``theme_light`` (grey70, grey87) or the grid lines
    alone of ``theme_minimal`` (grey92), which run across the whole panel.  A curve
    crosses and breaks a grid line, but the piece of one line above every curve (at the
    right, where the curves are low) reaches the top, and of another the bottom: the
    longest light runs of at least 30% of the side, their outermost ends."""
    h, w = rgb.shape[:2]
    mx = rgb.max(axis=2).astype(np.int16)
    light = (mx >= 150) & (mx <= PANEL_LIGHT[1]) & (mx - rgb.min(axis=2) <= 8)
    vlen, vstart = _longest_runs(light.T)
    if vlen.max() < 0.3 * h:
        return None
    vc = np.nonzero(vlen >= 0.3 * h)[0]
    top = int(vstart[vc].min())
    bottom = int((vstart[vc] + vlen[vc] - 1).max())
    hlen, hstart = _longest_runs(light[top:bottom + 1])
    if hlen.max() < 0.3 * w:
        return None
    hr = np.nonzero(hlen >= 0.3 * w)[0]
    left = int(hstart[hr].min())
    right = int((hstart[hr] + hlen[hr] - 1).max())
    if right - left < 0.3 * w or bottom - top < 0.3 * h:
        return None
    return left, right, top, bottom


def _runs_of(on: np.ndarray, gap: int):
    """[(first, last)] index runs of ``on``, joined across gaps of at most ``gap``."""
    idx = np.nonzero(on)[0]
    out = []
    for i in idx:
        if out and i - out[-1][1] <= gap + 1:
            out[-1][1] = int(i)
        else:
            out.append([int(i), int(i)])
    return [tuple(r) for r in out]


def _panel_frame(rgb, dark, left, right, top, bottom) -> Frame:
    """The frame of a grey panel: its edges are the axes, its tick marks outside them."""
    fr = Frame(left, right, top, bottom, axis_width=1)
    ink = 255.0 - rgb.max(axis=2).astype(np.float32)
    # the ticks from the second row (column) beyond the edge: the first may be antialiased
    fr.x_ticks = _ticks(dark, ink, axis_lo=bottom + 1, along=(left, right), outward=+1,
                        horizontal=True, inner=bottom)
    fr.y_ticks = _ticks(dark, ink, axis_lo=left - 1, along=(top, bottom), outward=-1,
                        horizontal=False, inner=left)
    return fr


def _band(idx: np.ndarray, start: int) -> np.ndarray:
    """The contiguous run of ``idx`` containing ``start``."""
    s = set(int(i) for i in idx)
    lo = hi = int(start)
    while lo - 1 in s:
        lo -= 1
    while hi + 1 in s:
        hi += 1
    return np.arange(lo, hi + 1)


def _ticks(dark, ink, axis_lo, along, outward, horizontal, inner):
    """Centres of the short marks perpendicular to an axis (outside it, else inside), to a
    fraction of a pixel: the darkness-weighted centre across the mark's antialiased edge."""
    img = dark if horizontal else dark.T
    wts = ink if horizontal else ink.T
    lo, hi = along
    for side in (outward, -outward):
        if side == outward:
            rows = [axis_lo + outward * k for k in (1, 2)]
        else:
            rows = [inner - outward * k for k in (2, 3)]
        rows = [r for r in rows if 0 <= r < img.shape[0]]
        if not rows:
            continue
        hit = np.all(img[rows, :], axis=0)
        hit[:max(lo - 3, 0)] = False
        hit[hi + 4:] = False
        centres = []
        i = 0
        n = hit.size
        while i < n:
            if hit[i]:
                j = i
                while j + 1 < n and hit[j + 1]:
                    j += 1
                if j - i < 12:  # a tick is a thin mark, not a line along the axis
                    a, b = max(i - 1, 0), min(j + 2, n)
                    w = wts[rows, a:b].sum(axis=0)
                    centres.append(float((np.arange(a, b) * w).sum() / w.sum()))
                i = j + 1
            else:
                i += 1
        if len(centres) >= 2:
            return centres
    return []
