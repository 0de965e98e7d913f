"""Separate the pixels of the plot area into colour classes, one per curve colour.

A pixel belongs to a curve colour when it is saturated (chroma, max - min of R, G, B, at
least ``MIN_CHROMA``): white, greys (grid lines), and the light tints of confidence bands
(a fill at 20% opacity keeps a fifth of its colour's chroma) fall out.  Saturated pixels are
grouped by hue (a circular histogram, 6-degree bins; a class is a run of occupied bins).
Dark grey pixels (black curves, but also text) form one more class, mid-grey ones another.
Each class is returned as a *strength* image (0 = not the class): chroma for colours,
darkness for black and grey.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_CHROMA = 70
#: inside a class, a pixel must keep this share of the class's typical chroma: a band of the
#: same hue at 20-36% opacity (one or two overlapping bands) is not the curve
CORE_SHARE = 0.55
BIN = 6
#: the lightest grey of a curve (matplotlib's grid lines are #b0b0b0 = 176 but straight:
#: run.py drops a "curve" with no drop)
GREY_MAX = 185
#: a grey curve's pixels are near colourless (an antialiased edge over white or grey)
GREY_CHROMA = 16


@dataclass
class ColourClass:
    name: str            # e.g. "#1f77b4" (mean colour) or "black"
    strength: np.ndarray  # float32, same shape as the plot area; 0 outside the class
    pixels: int
    loose: np.ndarray = None  # bool: the class with fainter pixels too (for connectivity)


def _hue(rgb: np.ndarray) -> np.ndarray:
    r, g, b = (rgb[..., i].astype(np.float32) for i in range(3))
    mx = np.maximum(np.maximum(r, g), b)
    mn = np.minimum(np.minimum(r, g), b)
    c = np.where(mx - mn == 0, 1, mx - mn)
    h = np.where(mx == r, (g - b) / c % 6, np.where(mx == g, (b - r) / c + 2, (r - g) / c + 4))
    return h * 60.0


def classes(rgb: np.ndarray, min_pixels: int) -> list[ColourClass]:
    """Colour classes of an (h, w, 3) plot area with at least ``min_pixels`` core pixels."""
    a = rgb.astype(np.int16)
    mx, mn = a.max(axis=2), a.min(axis=2)
    chroma = (mx - mn).astype(np.float32)
    sat = chroma >= MIN_CHROMA
    out = []
    if sat.sum() >= min_pixels:
        hue = _hue(rgb)
        nb = 360 // BIN
        bins = (hue[sat] // BIN).astype(int) % nb
        hist = np.bincount(bins, minlength=nb)
        occupied = hist >= max(3, 0.002 * sat.sum())
        for run in _circular_runs(occupied):
            inbin = np.zeros(nb, bool)
            inbin[run] = True
            m = sat & inbin[(hue // BIN).astype(int) % nb]
            if m.sum() < min_pixels:
                continue
            typical = np.percentile(chroma[m], 90)
            core = m & (chroma >= CORE_SHARE * typical)
            if core.sum() < min_pixels:
                continue
            mean = rgb[core].mean(axis=0)
            name = "#" + "".join(f"{int(round(v)):02x}" for v in mean)
            loose = m | (inbin[(hue // BIN).astype(int) % nb] & (chroma >= 0.3 * typical))
            out.append(ColourClass(name, np.where(core, chroma, 0).astype(np.float32),
                                   int(core.sum()), loose))
    dark = (mx < 110) & (chroma < 60)
    if dark.sum() >= min_pixels:
        out.append(ColourClass("black", np.where(dark, 255 - mx, 0).astype(np.float32),
                               int(dark.sum()), (mx < 170) & (chroma < 60)))
    # mid grey (R's grey50 is 127): not the antialiased edge of a black line (next to one)
    from scipy.ndimage import binary_dilation

    # (chroma under GREY_CHROMA: where two bands of different colours overlap, the mix is a
    # dull purple-grey, (180, 158, 176) on ggplot2's grey panel, chroma 22: not a curve)
    grey = (mx >= 110) & (mx <= GREY_MAX) & (chroma < GREY_CHROMA) & \
        ~binary_dilation(dark, np.ones((3, 3), bool))
    # grid lines: rows (columns) grey over most of the width (height); no curve is
    grey[grey.mean(axis=1) > 0.6, :] = False
    grey[:, grey.mean(axis=0) > 0.6] = False
    if grey.sum() >= min_pixels:
        out.append(ColourClass("grey", np.where(grey, 255 - mx, 0).astype(np.float32),
                               int(grey.sum()), grey))
    return out


def _circular_runs(occ: np.ndarray) -> list[list[int]]:
    n = occ.size
    if occ.all():
        return [list(range(n))]
    start = int(np.argmin(occ))  # begin the scan at an empty bin so no run wraps unseen
    runs, cur = [], []
    for k in range(1, n + 1):
        i = (start + k) % n
        if occ[i]:
            cur.append(i)
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs
