"""Figures holding several plotting panels (PFS and OS side by side, as journals publish).

A panel is found by the corner of its axes (or, in a figure with no such corner, as a large
region of one light grey: ggplot2's panels without axis lines): a long dark vertical line (the y axis) whose
lower end meets the left end of a long dark horizontal line (the x axis), each at least
:data:`MIN_SIDE` of the figure's side; a box drawn around the plot (matplotlib's top and
right spines) adds no such corner.  A corner inside another panel's box (a curve's long
drop followed by a long plateau) is not a panel, nor is a panel inside a box drawn around
the whole figure (that box is then the one plot, as before), nor a flat strip (height under
:data:`FLAT` of its width: a numbers-at-risk table drawn as a plot of its own, as survminer
does).

Panels are numbered left to right, then top to bottom (rows of panels are those whose axes
overlap in height).  Panel ``N`` is cut out of the figure at the middle of the widest blank
gutter between it and each neighbour, so that its tick labels, legend, title and
numbers-at-risk table come with it, and the other panels' do not.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...errors import OptionError
from .axes import dark_mask

#: an axis line of a panel spans at least this share of the figure's width (x) or height (y)
MIN_SIDE = 0.2
#: how far (pixels) the y axis's lower end and the x axis's left end may lie from the corner
#: (axis lines a few pixels thick, antialiased ends)
CORNER = 4
#: how far (pixels) an axis line may run on past the corner: the tick mark at 0
TICK = 15
#: a panel at least this high for its width: a flatter one is a table drawn as a plot of its
#: own (survminer's numbers at risk under the curves), which belongs to the panel above
FLAT = 0.35
#: the lightest axis line (R draws its 1-pixel box lines at half pixels: two grey rows)
LINE = 160
#: what is not blank in a gutter: any pixel darker than this in its lightest channel
INK = 230


@dataclass
class Panel:
    left: int    # the y axis's column
    top: int     # the y axis's top row
    right: int   # the x axis's right end
    bottom: int  # the x axis's row


def _runs(mask: np.ndarray, min_len: int):
    """[(line, start, end)] of every run of True at least ``min_len`` long, per row."""
    m = mask.astype(np.int8)
    pad = np.zeros((m.shape[0], m.shape[1] + 2), np.int8)
    pad[:, 1:-1] = m
    d = np.diff(pad, axis=1)
    rs, cs = np.nonzero(d == 1)
    _, ce = np.nonzero(d == -1)  # starts and ends pair up row by row, in order
    keep = ce - cs >= min_len
    return list(zip(rs[keep].tolist(), cs[keep].tolist(), (ce[keep] - 1).tolist()))


def find_panels(rgb: np.ndarray) -> list[Panel]:
    """The plotting panels of a figure, numbered left to right then top to bottom."""
    h, w = rgb.shape[:2]
    dark = dark_mask(rgb, level=LINE)
    hs = _runs(dark, max(40, int(MIN_SIDE * w)))        # (row, col0, col1)
    vs = _runs(dark.T, max(40, int(MIN_SIDE * h)))      # (col, row0, row1)
    cands = []
    V, H = np.array(vs, int).reshape(-1, 3), np.array(hs, int).reshape(-1, 3)
    for k in range(0, len(V), 1000):  # (a big dark area has a run in every row and column)
        v = V[k:k + 1000, None, :]
        # the lines may run on past the corner by a tick mark's length (a tick at 0)
        ok = (H[None, :, 0] >= v[..., 2] - TICK) & (H[None, :, 0] <= v[..., 2] + CORNER) & \
            (H[None, :, 1] >= v[..., 0] - TICK) & (H[None, :, 1] <= v[..., 0] + CORNER)
        for i, j in zip(*np.nonzero(ok)):
            cands.append(Panel(int(V[k + i, 0]), int(V[k + i, 1]), int(H[j, 2]), int(H[j, 0])))
    panels = []  # one per corner: corners within a few pixels are one (thick lines)
    for p in cands:
        for q in panels:
            if abs(q.left - p.left) <= TICK and abs(q.bottom - p.bottom) <= TICK:
                q.top, q.right = min(q.top, p.top), max(q.right, p.right)
                q.left, q.bottom = max(q.left, p.left), min(q.bottom, p.bottom)
                break
        else:
            panels.append(Panel(p.left, p.top, p.right, p.bottom))

    def inside(p, q):  # p's corner strictly inside q's box
        return p is not q and q.left + CORNER < p.left < q.right and \
            q.top < p.bottom < q.bottom - CORNER

    outer = [p for p in panels if not any(inside(p, q) for q in panels)] or _grey_panels(rgb)
    return _reading_order([p for p in outer if p.bottom - p.top >= FLAT * (p.right - p.left)])


def _grey_panels(rgb: np.ndarray) -> list[Panel]:
    """Panels with no axis lines (ggplot2's ``theme_grey``, matplotlib's ggplot style): the
    large, mostly filled regions of the figure's commonest light colourless grey, joined
    across the white grid lines and the curves drawn over them."""
    from scipy import ndimage

    h, w = rgb.shape[:2]
    a = rgb.astype(np.int16)
    mx = a.max(axis=2)
    light = (mx - a.min(axis=2) <= 3) & (mx >= 200) & (mx <= 245)
    if light.sum() < 0.05 * h * w:
        return []
    grey = int(np.bincount(mx[light]).argmax())
    m = ndimage.binary_closing(light & (np.abs(mx - grey) <= 2), np.ones((9, 9), bool))
    lab, _ = ndimage.label(m)
    out = []
    for k, sl in enumerate(ndimage.find_objects(lab), start=1):
        ph, pw = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        if ph >= MIN_SIDE * h and pw >= MIN_SIDE * w and (lab[sl] == k).mean() >= 0.6:
            out.append(Panel(sl[1].start, sl[0].start, sl[1].stop - 1, sl[0].stop - 1))
    return out


def _reading_order(panels):
    rows = []
    for p in sorted(panels, key=lambda p: p.top):
        for row in rows:
            a, b = max(row[0].top, p.top), min(row[0].bottom, p.bottom)
            if b - a > 0.5 * min(row[0].bottom - row[0].top, p.bottom - p.top):
                row.append(p)
                break
        else:
            rows.append([p])
    return [p for row in rows for p in sorted(row, key=lambda p: p.left)]


def _gutter(blank: np.ndarray, lo: int, hi: int) -> int:
    """The middle of the widest run of blank lines in [lo, hi), else of the emptiest line."""
    lo, hi = max(lo, 0), min(hi, blank.size)
    if hi <= lo:
        return lo
    seg = blank[lo:hi]
    best, start, bl = None, None, 0
    for i, v in enumerate(np.r_[seg > 0.999, False]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            if i - start > bl:
                best, bl = (start + i) // 2, i - start
            start = None
    if best is None:
        best = int(np.argmax(seg))
    return lo + best


def crop_box(rgb: np.ndarray, panels: list[Panel], k: int):
    """(row0, row1, col0, col1) of panel ``k`` (0-based) and what belongs to it."""
    h, w = rgb.shape[:2]
    white = rgb.min(axis=2) >= INK
    p = panels[k]
    r0, r1, c0, c1 = 0, h, 0, w
    same_row = [q for q in panels if q is not p and
                min(q.bottom, p.bottom) - max(q.top, p.top) > 0]
    band = white[max(p.top - 5, 0):p.bottom + 1]
    left = [q.right for q in same_row if q.right < p.left]
    if left:
        c0 = _gutter(band.mean(axis=0), max(left) + CORNER, p.left)
    right = [q.left for q in same_row if q.left > p.right]
    if right:
        c1 = _gutter(band.mean(axis=0), p.right + CORNER, min(right))
    cols = white[:, max(p.left - 5, 0):p.right + 1]
    others = [q for q in panels if q is not p and q not in same_row and
              min(q.right, p.right) - max(q.left, p.left) > 0]
    above = [q.bottom for q in others if q.bottom < p.top]
    if above:
        r0 = _gutter(cols.mean(axis=1), max(above) + CORNER, p.top)
    below = [q.top for q in others if q.top > p.bottom]
    if below:
        r1 = _gutter(cols.mean(axis=1), p.bottom + CORNER, min(below))
    return r0, r1, c0, c1


def select(rgb: np.ndarray, panel: int | None):
    """(pixels to read, report entries): the whole figure when it holds one panel (or none
    is found: the axes are then looked for as before), else panel ``panel`` (1-based)."""
    panels = find_panels(rgb)
    k = choose(panels, panel)
    if k is None:
        return rgb, {}
    r0, r1, c0, c1 = crop_box(rgb, panels, k)
    return rgb[r0:r1, c0:c1].copy(), {"panels": len(panels), "panel": k + 1,
                                      "panel_px": [int(c0), int(r0), int(c1), int(r1)]}


def vector_panels(hs, vs, page_w: float, page_h: float):
    """Panels of a vector PDF page from its dark straight strokes ``hs`` [(length, y, x0,
    x1)] and ``vs`` [(length, x, y0, y1)] (page points, y upwards): [(left, right, bottom,
    top)] in reading order, found by the same corners as in a picture."""
    tol = 1.5  # points: the strokes of an axis meet within a line width
    cands = []
    for lv, x, y0, y1 in vs:
        if lv < MIN_SIDE * page_h:
            continue
        for lh, y, x0, x1 in hs:
            if lh >= MIN_SIDE * page_w and abs(y - y0) <= tol and abs(x0 - x) <= tol:
                # rows grow downwards in Panel: y measured from the page's top
                cands.append(Panel(round(x, 3), round(page_h - y1, 3), round(x1, 3),
                                   round(page_h - y, 3)))
    panels = []
    for p in cands:
        if not any(abs(q.left - p.left) <= tol and abs(q.bottom - p.bottom) <= tol
                   for q in panels):
            panels.append(p)

    def inside(p, q):
        return p is not q and q.left + tol < p.left < q.right and \
            q.top < p.bottom < q.bottom - tol

    outer = _reading_order([p for p in panels if not any(inside(p, q) for q in panels)
                            and p.bottom - p.top >= FLAT * (p.right - p.left)])
    return [(p.left, p.right, page_h - p.bottom, page_h - p.top) for p in outer]


def choose(panels, panel: int | None):
    """Index (0-based) of the panel to read, or None for a figure of one panel; the errors
    of :func:`select`."""
    n = len(panels)
    if n <= 1:
        if panel is not None and panel > 1:
            raise OptionError(f"--panel {panel}: the figure holds one plotting panel")
        return None
    if panel is None:
        raise OptionError(f"the figure holds {n} plotting panels: choose one with --panel N "
                          f"(1 to {n}, numbered left to right, then top to bottom)")
    if panel > n:
        raise OptionError(f"--panel {panel}: the figure holds {n} plotting panels (1 to {n}, "
                          "numbered left to right, then top to bottom)")
    return panel - 1


def vector_bounds(panels, k: int):
    """(x0, x1, y0, y1): the part of the page that belongs to panel ``k`` of
    :func:`vector_panels` (to the middle of the space between it and each neighbour)."""
    left, right, bottom, top = panels[k]
    x0, x1, y0, y1 = -np.inf, np.inf, -np.inf, np.inf
    for j, (l2, r2, b2, t2) in enumerate(panels):
        if j == k:
            continue
        if min(t2, top) - max(b2, bottom) > 0:  # same row
            if r2 <= left:
                x0 = max(x0, (r2 + left) / 2)
            elif l2 >= right:
                x1 = min(x1, (right + l2) / 2)
        elif min(r2, right) - max(l2, left) > 0:  # same column
            if t2 <= bottom:
                y0 = max(y0, (t2 + bottom) / 2)
            elif b2 >= top:
                y1 = min(y1, (top + b2) / 2)
    return x0, x1, y0, y1
