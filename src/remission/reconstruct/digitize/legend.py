"""Read the legend: the label written next to each curve's colour swatch (OCR).

A legend entry is a short horizontal line of the curve's colour (the swatch, or "handle")
followed, a few pixels to its right, by a line of dark text.  For each coloured curve the
pixels of its colour are cut into connected pieces; a piece is a swatch when it is a short,
thin horizontal line (8 to 90 pixels long, at most 3 line widths + 2 high) with dark text
starting within 25 pixels of its right end on the same rows.  The text is cropped at the
first blank gap wider than its height (the end of the label; its rows are found without
the columns of a frame's side, a run of ink taller than a letter), its word gaps widened
(tesseract drops a narrow space now and then: "ArmA"), enlarged to letters about 40 pixels
high and read by tesseract as one line (``--psm 7``, spaces kept).  No character
whitelist: characters outside :data:`_KEEP` are dropped after reading instead (tesseract 5
with a whitelist that leaves out the space drops the spaces of every R label).

Labels are used only when every curve gets one and they are distinct; otherwise the curves
keep the numbers 1, 2, ... (a black or grey curve has no colour of its own to find: text is
dark too, so such figures keep numbers).
"""
from __future__ import annotations

import re

import numpy as np

from .axes import dark_mask

#: how close (max |difference| of R, G, B) a pixel is to the curve's colour to be its swatch
COLOUR_TOL = 60
#: what a label may hold (others are OCR noise, and a comma would break the CSV)
_KEEP = re.compile(r"[^A-Za-z0-9 .+\-_()/%=<>&]")


def _hex(colour: str):
    if not (isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour)):
        return None
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], np.int16)


def read_labels(rgb: np.ndarray, colours: dict, line_widths: dict, styles=None,
                paths=None) -> dict:
    """{curve name: label} for the curves whose legend entry is read; {} when not every
    curve's is, or two labels are the same (the caller keeps the numbers).  Black and grey
    curves, or curves sharing a colour, are matched by shade and line style (``styles``:
    "solid"/"dashed" per curve where told; ``paths``: each curve's traced segments in image
    pixels) in :mod:`.legend_style`."""
    from .ocr import available

    if not colours or not available():
        return {}
    cs = {n: _hex(c) for n, c in colours.items()}
    if any(c is None for c in cs.values()) or len({tuple(c) for c in cs.values()}) < len(cs):
        from .legend_style import styled_labels  # no colour of their own: line styles

        return styled_labels(rgb, colours, line_widths, styles or {}, paths or {})
    dark = dark_mask(rgb, level=140)
    out = {}
    for name, c in cs.items():
        label = _label_of(rgb, dark, c, float(line_widths.get(name, 2.0)))
        if not label:
            return {}
        out[name] = label
    if len(set(out.values())) < len(out):
        return {}
    return out


def _label_of(rgb, dark, colour, lw) -> str | None:
    from scipy import ndimage

    near = (np.abs(rgb.astype(np.int16) - colour).max(axis=2) <= COLOUR_TOL)
    lab, n = ndimage.label(near, structure=np.ones((3, 3), bool))
    best = None
    for k, sl in enumerate(ndimage.find_objects(lab), start=1):
        h, w = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        if not (8 <= w <= 90 and h <= 3 * lw + 2):
            continue
        text = _text_box(dark, (sl[0].start + sl[0].stop - 1) / 2, sl[1].stop)
        if text is None:
            continue
        txt = _ocr(rgb, text)
        if txt and (best is None or len(txt) > len(best)):
            best = txt
    return best


def _run_end(on, max_gap) -> int:
    """Length of the leading run of ``on`` that holds no blank gap wider than ``max_gap``."""
    gap, end = 0, 0
    for j, v in enumerate(on):
        if v:
            end, gap = j + 1, 0
        else:
            gap += 1
            if gap > max_gap:
                break
    return end


#: a vertical run of ink longer than this (pixels) is a line (a frame), not a letter's stroke
LETTER_RUN = 24


def _longest_run(mask) -> np.ndarray:
    """Per column of ``mask``: the length of its longest vertical run of True."""
    best = np.zeros(mask.shape[1], int)
    cur = np.zeros(mask.shape[1], int)
    for row in mask:
        cur = np.where(row, cur + 1, 0)
        best = np.maximum(best, cur)
    return best


def _text_box(dark, cy, x_end):
    """(row0, row1, col0, col1) of the line of text right of a swatch ending at ``x_end``
    on row ``cy``, or None."""
    H, W = dark.shape
    r = int(round(cy))
    band = dark[max(r - 3, 0):r + 4, x_end:min(x_end + 25, W)]
    cols = np.nonzero(band.any(axis=0))[0]
    if cols.size == 0:
        return None
    c0 = x_end + int(cols[0])
    # the label's first extent on the swatch's rows, then its rows (letters 4-40 px high:
    # ascenders and descenders reach past the swatch's rows), then its full extent
    c1 = c0 + _run_end(dark[max(r - 3, 0):r + 4, c0:min(c0 + 400, W)].any(axis=0), 8)
    top = max(r - 25, 0)
    win = dark[top:min(r + 26, H), c0:c1]
    # not along a frame's vertical line: a column dark over most of the window, or in one
    # run longer than a letter's stroke (R's box at 72 dpi starts a few rows above the
    # legend, so its side is dark on only part of the window and joined the two lines)
    line = (win.mean(axis=0) >= 0.9) | (_longest_run(win) > LETTER_RUN)
    rows = win[:, ~line].any(axis=1)
    a = b = r - top
    while a > 0 and rows[a - 1]:
        a -= 1
    while b < rows.size - 1 and rows[b + 1]:
        b += 1
    r0, r1 = a + top, b + top + 1
    height = r1 - r0
    if not 4 <= height <= 40:
        return None
    text = dark[r0:r1, c0:min(c0 + 400, W)]
    # a line taller than the text (a legend's frame) ends it
    frame = np.nonzero(dark[max(r0 - 3, 0):r1 + 3, c0:c0 + text.shape[1]].all(axis=0))[0]
    if frame.size:
        text = text[:, :frame[0]]
    end = _run_end(text.any(axis=0), max(height, 8))
    if end < 3:
        return None
    return r0, r1, c0, c0 + end


def _spaced(grey: np.ndarray) -> np.ndarray:
    """``grey`` with its word gaps widened to the text's height, so that tesseract keeps the
    space it otherwise drops now and then (R's "Arm A" read "ArmA").  A word gap is a blank
    gap between letters at least 0.3 of the height and more than twice the median gap + 1:
    R's "Arm A" has 4-7 blank columns there and 1 between letters (72 and 110 dpi, 9-14
    pixels high); matplotlib's hinted letters stand 1-3 apart, its words 7, at 10-13 pixels high
    ("Placebo" must not become "Place bo")."""
    h = grey.shape[0]
    ink = (grey < 140).any(axis=0)
    on = np.nonzero(ink)[0]
    if on.size < 2:
        return grey
    gaps = np.diff(on) - 1
    gaps = gaps[gaps > 0]
    if gaps.size == 0:
        return grey
    wide = max(0.3 * h, 2 * float(np.median(gaps)) + 1)
    white = grey.shape[1]  # the index of a white column put after the crop
    cols = list(range(int(on[0]) + 1))  # the margin before the first ink, and that ink
    for a, b in zip(on[:-1], on[1:]):
        gap = list(range(int(a) + 1, int(b)))
        if gap and len(gap) >= wide:  # white columns in its middle (a blank column of
            k = len(gap) // 2  # the crop repeated would repeat its faint antialiasing)
            gap = gap[:k] + [white] * max(h - len(gap), 0) + gap[k:]
        cols += gap + [int(b)]
    full = np.concatenate([grey, np.full((grey.shape[0], 1), 255, grey.dtype)], axis=1)
    return full[:, cols + list(range(int(on[-1]) + 1, grey.shape[1]))]


#: tesseract's settings for a legend label: one line of text (page mode 7), the characters a
#: label keeps (:data:`_KEEP`), spaces as written
LABEL_CONFIG = "--psm 7 -c preserve_interword_spaces=1"


def _ocr(rgb, box) -> str | None:
    """The label in ``box`` (rows r0:r1, columns c0:c1 of ``rgb``), read as one line: the
    crop in grey levels, its word gaps widened (:func:`_spaced`), padded and enlarged to
    letters about 40 pixels high (at least three times: R's 72-dpi legend is 9 pixels high)."""
    import pytesseract
    from PIL import Image

    from .ocr import one_thread

    r0, r1, c0, c1 = box
    grey = _spaced(rgb[r0:r1, c0:c1].astype(np.float32).mean(axis=2).astype(np.uint8))
    pad = np.full((grey.shape[0] + 20, grey.shape[1] + 20), 255, np.uint8)
    pad[10:-10, 10:-10] = grey
    zoom = int(min(max(3, np.ceil(40 / max(grey.shape[0], 1))), 8))
    im = Image.fromarray(pad).resize((pad.shape[1] * zoom, pad.shape[0] * zoom), Image.LANCZOS)
    with one_thread():
        txt = pytesseract.image_to_string(im, config=LABEL_CONFIG)
    txt = " ".join(_KEEP.sub("", txt).split())
    return txt if re.search(r"[A-Za-z0-9]", txt) and len(txt) <= 40 else None
