"""Trace a step curve through one colour class: the best non-increasing path.

A Kaplan-Meier curve is horizontal lines joined by vertical drops.  In each pixel column the
class's pixels form vertical runs; a *thin* run (no taller than about twice the line width) is
a horizontal piece of line and votes for its row.  Censoring ticks, the vertical drops and
crossings of other lines make tall runs, which vote for nothing, so they are skipped.

Among all paths that never go up (survival never increases), dynamic programming picks the
one through the most votes, each drop costing :data:`JUMP_COST` votes, so a drop needs
support from at least two columns at the new level; a legend's line sample or a stretch of
text, which the true curve would have to leave for good, loses to the longer curve.  Drops
fall midway between the last vote at the old level and the first at the new one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

JUMP_COST = 1.5


@dataclass
class Trace:
    segments: list            # [(x_start, x_end, level_row)] in plot-area pixels, left to right
    votes: int                # columns on the path with a vote
    gaps: int                 # stretches without votes longer than a censoring tick, bridged
    line_width: float
    hits: np.ndarray = field(repr=False, default=None)  # bool per column: a vote on the path
    to_bottom: float | None = None  # column of a last drop down to the x axis (survival 0)


def _runs(col: np.ndarray):
    d = np.diff(np.r_[0, col.astype(np.int8), 0])
    return np.nonzero(d == 1)[0], np.nonzero(d == -1)[0]  # [start, end)


def line_width(strength: np.ndarray) -> float:
    heights = []
    for x in range(0, strength.shape[1], max(1, strength.shape[1] // 200)):
        s, e = _runs(strength[:, x] > 0)
        heights.extend((e - s).tolist())
    return float(np.median(heights)) if heights else 1.0


def votes(strength: np.ndarray, lw: float):
    """(votes[h, w] bool, centre[h, w] float): thin runs, with their sub-pixel centroid."""
    h, w = strength.shape
    thin = max(2 * lw + 1, lw + 2)
    tol = 1 if lw < 4 else int(lw // 2)
    vote = np.zeros((h, w), bool)
    centre = np.full((h, w), np.nan, np.float32)
    rows = np.arange(h, dtype=np.float64)
    for x in range(w):
        col = strength[:, x]
        s, e = _runs(col > 0)
        for a, b in zip(s, e):
            if b - a > thin:
                continue
            wts = col[a:b].astype(np.float64)
            c = float((rows[a:b] * wts).sum() / wts.sum())
            lo, hi = max(int(round(c)) - tol, 0), min(int(round(c)) + tol + 1, h)
            vote[lo:hi, x] = True
            centre[lo:hi, x] = c
    return vote, centre


def best_path(vote: np.ndarray) -> np.ndarray:
    """Row per column of the non-increasing (in survival) path with the most votes."""
    h, w = vote.shape
    score = np.zeros(h)
    came = np.empty((w, h), np.int32)
    idx = np.arange(h)
    for x in range(w):
        pm = np.maximum.accumulate(score)
        arg = np.maximum.accumulate(np.where(score == pm, idx, 0))
        jump = np.r_[-np.inf, pm[:-1] - JUMP_COST]
        take = jump > score
        came[x] = np.where(take, np.r_[0, arg[:-1]], -1)
        score = np.where(take, jump, score) + vote[:, x]
    y = np.empty(w, int)
    y[-1] = int(np.argmax(score))
    for x in range(w - 1, 0, -1):
        c = came[x, y[x]]
        y[x - 1] = y[x] if c < 0 else c
    return y


def trace(strength: np.ndarray, lw: float | None = None) -> Trace | None:
    if lw is None:
        lw = line_width(strength)
    vote, centre = votes(strength, lw)
    y = best_path(vote)
    cols = np.arange(vote.shape[1])
    hits = vote[y, cols]
    if not hits.any():
        return None
    segs = []  # [first hit, last hit, [centres]] per level with votes
    for x in np.nonzero(hits)[0]:
        c = float(centre[y[x], x])
        if segs and segs[-1][3] == y[x]:
            segs[-1][1] = x
            segs[-1][2].append(c)
        else:
            segs.append([x, x, [c], y[x]])
    segs = _staircases(strength, segs, lw)
    cut = [_drop_column(strength, p, q, lw) for p, q in zip(segs, segs[1:])]
    out = []
    for i, (a, b, cs, _) in enumerate(segs):
        start = a if i == 0 else cut[i - 1]
        end = b + 0.5 if i == len(segs) - 1 else cut[i]
        out.append((float(start), float(end), float(np.mean(cs))))
    # merge neighbours whose levels agree within a pixel (noise around one horizontal piece)
    merged = [out[0]]
    for s in out[1:]:
        if abs(s[2] - merged[-1][2]) < 0.75:
            merged[-1] = (merged[-1][0], s[1], merged[-1][2])
        else:
            merged.append(s)
    first, last = np.nonzero(hits)[0][[0, -1]]
    gap_len = 3 * lw + 6
    miss = ~hits[first:last + 1]
    gaps, run = 0, 0
    for m in miss:
        run = run + 1 if m else 0
        if run == int(gap_len):
            gaps += 1
    return Trace(merged, int(hits.sum()), gaps, lw, hits, _drop_to_bottom(strength, last,
                                                                           merged[-1][2], lw))


def _drop_column(strength, prev, nxt, lw) -> float:
    """Where the drop between two levels falls: midway between the last vote at the old
    level and the first at the new, unless the drop's own vertical stroke (one run from the
    old level's top edge to the new level's bottom edge) stands a few pixels into the new
    level's votes: a censoring mark just after the drop (R's ``+``, 8 pixels wide) carries
    the new level half its width to the left.  Only for drops of three line widths or more
    (a mark's vertical arm, centred on one level, spans a shorter one too)."""
    mid = (prev[1] + nxt[0]) / 2
    top = float(np.mean(prev[2])) - lw / 2
    bottom = float(np.mean(nxt[2])) + lw / 2
    if bottom - top < 3 * lw:
        return mid
    tol = lw / 2 + 1
    xs = []
    for x in range(nxt[0], min(nxt[0] + int(3 * lw) + 2, nxt[1])):
        s, e = _runs(strength[:, x] > 0)
        if any(abs(a - top) <= tol and abs(b - bottom) <= tol for a, b in zip(s, e)):
            xs.append(x)
    if not xs or xs[-1] - xs[0] > lw + 1:  # none, or more than one stroke: the middle
        return mid
    return (xs[0] + xs[-1]) / 2


def _staircases(strength, segs, lw):
    """Fill a wide gap between two levels with the line's own pixels, column by column.

    Drops closer together than the line is wide draw a steep, thick staircase that gives no
    votes; between the last vote at one level and the first at the next, each column's
    run of the class between the two levels gives a level of its own (its centre): the
    staircase is followed as drawn instead of being one drop at the middle of the gap."""
    out = [segs[0]] if segs else []
    for nxt in segs[1:]:
        prev = out[-1]
        lo, hi = prev[3], nxt[3]
        if nxt[0] - prev[1] - 1 > lw + 1 and hi - lo > 2 * lw:
            cur = float(np.mean(prev[2]))
            for x in range(prev[1] + 1, nxt[0]):
                s, e = _runs(strength[:, x] > 0)
                for a, b in zip(s, e):
                    if b > lo + lw and a < hi - lw:
                        c = min(max((max(a, lo) + min(b, hi) - 1) / 2, cur), hi)
                        if c > cur + 0.5:
                            out.append([x, x, [c], int(round(c))])
                            cur = c
                        break
        out.append(nxt)
    return out


def _drop_to_bottom(strength, last, level, lw):
    """The column of a vertical line from the last level down to the bottom of the area just
    after the curve's last vote (a curve ending at 0, whose last level hides in the axis)."""
    h, w = strength.shape
    for x in range(last + 1, min(last + int(2 * lw) + 4, w)):
        col = strength[:, x] > 0
        s, e = _runs(col)
        for a, b in zip(s, e):
            if a <= level + lw and b >= h - 2 and b - a > 3 * lw:
                return float(x)
    return None


def erase(strength: np.ndarray, tr: Trace) -> np.ndarray:
    """The strength image without the pixels of a traced curve (for a second curve of the
    same colour)."""
    out = strength.copy()
    half = int(np.ceil(tr.line_width)) + 1
    for a, b, lev in tr.segments:
        lo, hi = max(int(round(lev)) - half, 0), int(round(lev)) + half + 1
        xa, xb = int(np.floor(a)), int(np.ceil(b)) + 1
        out[lo:hi, xa:xb][:, tr.hits[xa:xb]] = 0
    return out
