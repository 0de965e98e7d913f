"""Pixel -> data mapping of one axis, from tick labels read by OCR or from a given range.

Labels are matched to the nearest tick mark (when tick marks were found and lie within a
third of their spacing), then a straight line value = a + b * pixel is fitted robustly: the
pair of labels whose line agrees (within a pixel and a half) with the most other labels wins,
and the line is refitted by least squares on those.  A misread label (``05`` for ``0.5``) is
left out; fewer than two agreeing labels is a failure.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np


@dataclass
class Axis:
    a: float          # value at pixel 0
    b: float          # value per pixel
    source: str       # "ocr", "range" or "pdf-text"
    labels: list      # [(pixel, value)] used

    def value(self, px):
        return self.a + self.b * np.asarray(px, float)

    def pixel(self, v):
        return (np.asarray(v, float) - self.a) / self.b

    @property
    def pixels_per_unit(self) -> float:
        return float(abs(1.0 / self.b))


def snap(labels, ticks):
    if len(ticks) < 2:
        return labels
    t = np.sort(np.asarray(ticks, float))
    spacing = np.median(np.diff(t))
    out = []
    for p, v in labels:
        k = int(np.argmin(np.abs(t - p)))
        out.append((float(t[k]) if abs(t[k] - p) < spacing / 3 else p, v))
    return out


def fit(labels, source="ocr", sign: int = 0) -> Axis | None:
    """The robust line through ``labels`` [(pixel, value)]; ``sign`` +1 (-1): only lines
    whose values grow (fall) with the pixel index count (x grows rightwards, y upwards: a
    y axis read as growing downwards is a misreading, e.g. labels written upwards read
    unturned), 0: either."""
    pts = [(float(p), float(v)) for p, v in labels]
    if len(pts) < 2:
        return None
    best = None
    for (p1, v1), (p2, v2) in combinations(pts, 2):
        if p1 == p2 or v1 == v2:
            continue
        b = (v2 - v1) / (p2 - p1)
        if sign * b < 0:
            continue
        a = v1 - b * p1
        inl = [(p, v) for p, v in pts if abs((v - a) / b - p) <= 1.5]
        if best is None or len(inl) > len(best):
            best = inl
    if best is None or len(best) < 2:
        return None
    if len(pts) >= 4 and len(best) < 3:  # two chance agreements among many labels
        return None
    p = np.array([q[0] for q in best])
    v = np.array([q[1] for q in best])
    b, a = np.polyfit(p, v, 1)
    return Axis(float(a), float(b), source, best)


def from_range(lo: float, hi: float, p_lo: float, p_hi: float) -> Axis:
    """The axis whose pixels ``p_lo``, ``p_hi`` (the plot area's edges) are ``lo``, ``hi``."""
    b = (hi - lo) / (p_hi - p_lo)
    return Axis(lo - b * p_lo, b, "range", [(p_lo, lo), (p_hi, hi)])
