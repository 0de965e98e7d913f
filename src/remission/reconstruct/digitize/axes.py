"""Find the plotting area of a raster figure: its axis lines and their tick marks.

The x axis is the LOWEST row holding a long run of dark grey pixels (a curve cannot lie below
it), the y axis the LEFTMOST such column; "long" is at least 40% of the image side and 80% of
the longest run.  Tick marks are the short dark marks just outside (else just inside) an axis.
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
        raise DataError("no plot found in the figure: no pair of long dark axis lines "
                        "(a horizontal x axis and a vertical y axis)")
    hrows = np.nonzero(hlen >= 0.8 * hlen.max())[0]
    vcols = np.nonzero(vlen >= 0.8 * vlen.max())[0]
    bottom_rows = _band(hrows, hrows.max())      # the axis line, possibly several px thick
    left_cols = _band(vcols, vcols.min())
    bottom = int(bottom_rows.min())              # inner edge
    left = int(left_cols.max())
    r = int(bottom_rows[0])
    right = int(hstart[r] + hlen[r] - 1)
    c = int(left_cols[0])
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
