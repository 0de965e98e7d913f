"""Read the tick labels of an axis with OCR (Debian's ``tesseract-ocr`` through ``pytesseract``).

The labels are found first, without OCR: the first band of dark pixels beyond the tick marks
(below the x axis, left of the y axis), cut into one box per label at the wide blank gaps.
The strip is enlarged three times and read in one call restricted to digits, ``.``, ``-``
and ``%``; the words are put back in their boxes, and a label's position is its box's
centre (labels are centred on their ticks).
"""
from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager

import numpy as np

from ...errors import DataError
from .axes import dark_mask

NUMBER = re.compile(r"^-?\d+(\.\d+)?%?$")


class OCRUnavailable(DataError):
    """No tesseract: the message asks for --x-range/--y-range."""


def available() -> bool:
    if shutil.which("tesseract") is None:
        return False
    try:
        import importlib

        importlib.import_module("pytesseract")
    except ImportError:
        return False
    return True


@contextmanager
def one_thread():
    """tesseract run on one thread (``OMP_THREAD_LIMIT=1`` for the calls made inside,
    unless the user set it): on these small strips its OpenMP threads only wait for one
    another (tests/reconstruct/digitize/test_r_figures.py: 28 s of CPU, 20 s on one
    thread, on a 2-core machine)."""
    mine = "OMP_THREAD_LIMIT" not in os.environ
    if mine:
        os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        if mine:
            os.environ.pop("OMP_THREAD_LIMIT", None)


def _bands(profile: np.ndarray, min_gap: int):
    """[start, end) runs of ``profile`` > 0 merged across gaps shorter than ``min_gap``."""
    on = np.nonzero(profile > 0)[0]
    if on.size == 0:
        return []
    out = [[on[0], on[0] + 1]]
    for i in on[1:]:
        if i - out[-1][1] < min_gap:
            out[-1][1] = i + 1
        else:
            out.append([i, i + 1])
    return out


ZOOM = 3


def _read_strip(strip: np.ndarray, psm: int, zoom: int = ZOOM):
    """[(x, y, text)] of the words tesseract reads in a ``strip``, boolean (True = ink) or
    uint8 grey levels, enlarged ``zoom`` times (centres in strip pixels).  One tesseract
    call per axis: a call costs about a third of a second."""
    import pytesseract
    from PIL import Image

    pad = np.full((strip.shape[0] + 20, strip.shape[1] + 20), 255, np.uint8)
    pad[10:-10, 10:-10] = np.where(strip, 0, 255) if strip.dtype == bool else strip
    im = Image.fromarray(pad).resize((pad.shape[1] * zoom, pad.shape[0] * zoom), Image.LANCZOS)
    with one_thread():
        d = pytesseract.image_to_data(
            im, config=f"--psm {psm} -c tessedit_char_whitelist=0123456789.-%",
            output_type=pytesseract.Output.DICT)
    out = []
    for txt, lft, top, w, h in zip(d["text"], d["left"], d["top"], d["width"], d["height"]):
        txt = txt.strip()
        if txt:
            out.append(((lft + w / 2) / zoom - 10, (top + h / 2) / zoom - 10, txt))
    return out


def _assign(words, boxes, axis: int):
    """Join the words whose centre falls in each box (``axis`` 0: boxes along x)."""
    out = []
    for lo, hi in boxes:
        txt = "".join(w[2] for w in sorted(words, key=lambda w: w[0])
                      if lo - 1 <= w[axis] <= hi)
        out.append(txt.replace(" ", ""))
    return out


def x_labels(rgb: np.ndarray, frame) -> list[tuple[float, float]]:
    """[(column of the label's centre, value)] under the x axis."""
    dark = dark_mask(rgb, level=160)
    start = frame.bottom + frame.axis_width + 1
    cols = slice(max(frame.left - 40, 0), min(frame.right + 40, rgb.shape[1]))
    # skip the tick marks: the first blank row below the axis
    rows = dark[start:, cols].any(axis=1)
    r = 0
    skip = 15 if frame.x_ticks else 0  # no tick marks found: the labels may touch the axis
    while r < rows.size and rows[r] and r < skip:  # (seaborn's grid styles)
        r += 1
    # without tick marks found, the first band may be marks too faint to find: of the first
    # two bands, the one with more distinct numbers (marks read as "1 1 7" have fewer)
    reads = [_x_band(dark, band[0] + start + r, band[1] + start + r, cols)
             for band in _bands(rows[r:].astype(int), 2)[:1 if skip else 2]]
    return max(reads, key=lambda out: len({v for _, v in out}), default=[])


def _x_band(dark, a, b, cols):
    strip = dark[a:b, cols]
    height = b - a
    boxes = _bands(strip.any(axis=0).astype(int), max(3, int(0.6 * height)))
    texts = _assign(_read_strip(strip, 11), boxes, 0)
    if not all(NUMBER.match(t) for t in texts):  # small lone digits (ggplot2's grey30 "0",
        again = _assign(_read_strip(strip, 7), boxes, 0)  # "5") are missed as sparse text
        texts = [t if NUMBER.match(t) else u for t, u in zip(texts, again)]
    out = []
    for (c0, c1), txt in zip(boxes, texts):
        if NUMBER.match(txt):
            out.append(((c0 + c1 - 1) / 2 + cols.start, float(txt.rstrip("%"))))
    return out


def y_labels(rgb: np.ndarray, frame, rotated: bool = False) -> list[tuple[float, float]]:
    """[(row of the label's centre, value)] left of the y axis; percent signs dropped.

    ``rotated``: labels written upwards along the axis (R's default, ``las = 0``): the
    strip is turned a quarter clockwise to read them as one line."""
    dark = dark_mask(rgb, level=160)
    end = frame.left - frame.axis_width  # exclusive, the column left of the axis line
    rows = slice(max(frame.top - 20, 0), min(frame.bottom + 20, rgb.shape[0]))
    colsdark = dark[rows, :end].any(axis=0)[::-1]  # scanning leftwards
    c = 0
    skip = 15 if frame.y_ticks else 0
    while c < colsdark.size and colsdark[c] and c < skip:
        c += 1
    reads = [_y_band(dark, end - c - band[1], end - c - band[0], rows, rotated)  # as x
             for band in _bands(colsdark[c:].astype(int), 6)[:1 if skip else 2]]
    return max(reads, key=lambda out: len({v for _, v in out}), default=[])


def _y_band(dark, a, b, rows, rotated):
    strip = dark[rows, a:b]
    if rotated:
        boxes = _bands(strip.any(axis=1).astype(int), max(3, int(0.6 * strip.shape[1])))
        n = strip.shape[0]
        # rot90(k=-1): column j of the turned strip is row n - 1 - j of the strip
        words = [(x, n - 1 - x, t) for x, _y, t in _read_strip(np.rot90(strip, k=-1), 11)]
        texts = _assign([(w[1], w[1], w[2]) for w in words], boxes, 1)
    else:
        boxes = [b for b in _bands(strip.any(axis=1).astype(int), 3) if b[1] - b[0] >= 5]
        texts = _assign(_read_strip(strip, 6), boxes, 1)
    out = []
    for (r0, r1), txt in zip(boxes, texts):
        if NUMBER.match(txt):
            out.append(((r0 + r1 - 1) / 2 + rows.start, float(txt.rstrip("%"))))
    return out
