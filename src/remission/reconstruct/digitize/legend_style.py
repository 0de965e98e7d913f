"""Legends of black and grey curves: each entry's line sample matched by shade and line style.

Black or grey curves have no colour of their own to look for (text is dark too), so a
legend entry is found by the shape of its line sample: a short row of thin horizontal
pieces of black or grey (its shade is its darkest pixel's: black as dark as
colours.classes' black class; it matters only when the curves are of both shades), 12 to
90 pixels from first to last, blank above, below
and just left of it (not the bottom of a letter), with dark text starting within 25 pixels
to its right on the same rows (read by OCR as in :mod:`.legend`).  One piece is a solid line's sample, several a dashed (or dotted) one's.
A row of pieces lying on a traced curve (a dashed curve's short plateau) is no sample.

A curve is named by the entry of its shade and, where its shade has a solid and a dashed
curve (told apart by :mod:`.run`), of its line style; coloured curves (one colour each) by
their swatch as in :mod:`.legend`.  Names are used only when every curve gets exactly one
label and the labels differ.
"""
from __future__ import annotations

import numpy as np

from .axes import dark_mask
from .legend import _hex, _label_of, _ocr, _text_box

#: a sample's extent, first to last piece, in pixels (matplotlib: 2 em, about 28 pixels at
#: 100 dpi; R's legend(): about 3 em)
SAMPLE = (12, 90)
#: the widest blank between two dashes of one sample (matplotlib's dashed gaps are 3-4
#: pixels at 100 dpi, R's lty 2 about 6 at 150 dpi; dotted about as wide)
DASH_GAP = 12


def ink(rgb: np.ndarray):
    """(mask of black and grey pixels, lightest channel): what a black or grey line sample
    may be drawn in (R's 1-pixel lines at half pixels are two rows of mid grey)."""
    from .colours import GREY_MAX

    a = rgb.astype(np.int16)
    mx = a.max(axis=2)
    return (mx <= GREY_MAX) & (mx - a.min(axis=2) < 60), mx


def samples(mask: np.ndarray, lw: float):
    """[(row, col0, col1, pieces)]: rows of thin horizontal pieces that look like a line
    sample (not yet checked for text)."""
    from scipy import ndimage

    lab, _ = ndimage.label(mask, structure=np.ones((3, 3), bool))
    pieces = []
    for sl in ndimage.find_objects(lab):
        h, w = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        if h <= max(lw + 2, 3) and w >= 2 and w >= 1.5 * h and w <= SAMPLE[1]:
            pieces.append(((sl[0].start + sl[0].stop - 1) / 2, sl[1].start, sl[1].stop))
    pieces.sort(key=lambda p: (round(p[0]), p[1]))
    out, used = [], set()
    for i, (r, a, b) in enumerate(pieces):
        if i in used:
            continue
        chain, end = [(r, a, b)], b
        for j in range(i + 1, len(pieces)):
            r2, a2, b2 = pieces[j]
            if j in used or abs(r2 - r) > 1:
                continue
            if 0 <= a2 - end <= DASH_GAP:
                chain.append(pieces[j])
                used.add(j)
                end = b2
        if SAMPLE[0] <= end - a <= SAMPLE[1]:
            # the pieces of a dashed sample are alike; a single piece is a solid sample
            out.append((float(np.mean([c[0] for c in chain])), a, end, len(chain)))
    return out


def _on_curve(row, c0, c1, paths) -> bool:
    """The sample lies along a traced curve (within 3 pixels over half its columns)."""
    for segs in paths:
        cols = np.arange(c0, c1)
        lev = np.full(cols.size, np.nan)
        for a, b, y in segs:
            lev[(cols >= a - 1) & (cols <= b + 1)] = y
        if np.mean(np.abs(lev - row) <= 3) > 0.5:
            return True
    return False


def _alone(dark, row, c0, c1, lw) -> bool:
    """Blank above, below and just left of the sample: not a piece of a letter (the
    bottoms of thin letters break into short level pieces)."""
    r, off = int(round(row)), int(np.ceil(lw / 2)) + 2
    above = dark[max(r - off - 1, 0):max(r - off + 1, 0), c0:c1]
    below = dark[r + off:r + off + 2, c0:c1]
    left = dark[max(r - 1, 0):r + 2, max(c0 - 6, 0):max(c0 - 1, 0)]
    return above.mean() < 0.15 and below.mean() < 0.15 and not left.any()


def entries(rgb, lw: float, paths, dark=None):
    """[(shade, style, label)] of the legend entries with a black or grey sample; the shade
    is "black" when the sample's darkest pixel is as dark as colours.classes' black."""
    mask, mx = ink(rgb)
    dark = dark_mask(rgb, level=140) if dark is None else dark
    out = []
    for row, c0, c1, n in samples(mask, lw):
        if _on_curve(row, c0, c1, paths) or not _alone(dark, row, c0, c1, lw):
            continue
        box = _text_box(dark, row, c1 + 2)  # past the sample's antialiased end
        if box is None:
            continue
        txt = _ocr(rgb, box)
        if txt:
            r = int(round(row))
            darkest = int(mx[max(r - 1, 0):r + 2, c0:c1].min())
            out.append(("black" if darkest < 110 else "grey", "solid" if n == 1 else "dashed",
                         txt))
    return out


def styled_labels(rgb, colours: dict, line_widths: dict, styles: dict, paths: dict) -> dict:
    """{curve name: label} for curves drawn in black, grey or one colour each, told apart
    by shade and line style; {} unless every curve gets one distinct label."""
    from .ocr import available

    if not colours or not available():
        return {}
    by_shade = {}
    for name, c in colours.items():
        by_shade.setdefault(c, []).append(name)
    dark = dark_mask(rgb, level=140)
    greys = [n for n, c in colours.items() if c in ("black", "grey")]
    listed = []
    if greys:
        listed = entries(rgb, float(max(line_widths.get(n, 2.0) for n in greys)),
                         list(paths.values()), dark)
    one_shade = len({colours[n] for n in greys}) == 1  # then a sample's shade is no matter
    out = {}
    for shade, names in by_shade.items():
        lw = float(max(line_widths.get(n, 2.0) for n in names))
        if shade in ("black", "grey"):
            found = [(st, t) for sh, st, t in listed if one_shade or sh == shade]
        elif _hex(shade) is not None and len(names) == 1:
            label = _label_of(rgb, dark, _hex(shade), lw)
            found = [(None, label)] if label else []
        else:
            return {}
        for name in names:
            style = styles.get(name) if len(names) > 1 else None
            if len(names) > 1 and style is None:
                return {}  # one shade, one style: nothing tells the entries apart
            mine = [t for s, t in found if style is None or s == style]
            if len(mine) != 1:
                # several entries of one shade: the curve's style must pick one
                return {}
            out[name] = mine[0]
    if len(set(out.values())) < len(out):
        return {}
    return out
