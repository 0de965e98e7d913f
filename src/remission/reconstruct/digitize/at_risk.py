"""Read a numbers-at-risk table printed under the x axis (OCR), and match its rows to curves.

Below the tick labels, every further line of text is read in one ``tesseract`` call; a line
is a row of the table when it holds whole numbers under at least three distinct x ticks
that never increase with time.  A number belongs to the tick nearest its centre (within a
third of the tick spacing).  Rows are matched to curves by their shape: the assignment
whose share still at risk, n(t)/n(0), lies closest to each curve's survival S(t)
(censoring only lowers n(t)/n(0), so it is compared from below as well as above).  A value
that breaks the table's structure (a number at risk above an earlier one or above the first
column) is taken from the line's other OCR readings, or left out and named in the report
(:mod:`.at_risk_check`).
"""
from __future__ import annotations

from itertools import permutations

import numpy as np

from .at_risk_check import READINGS, RiskRow, check, repair, violations
from .axes import dark_mask
from .ocr import _bands, _read_strip


def read_rows(rgb, frame, x_axis, tick_values):
    """[{tick time: n at risk}] for each row of a table under the axis, top to bottom."""
    if len(tick_values) < 3:
        return []
    dark = dark_mask(rgb, level=160)
    ticks = np.sort(np.asarray(tick_values, float))
    spacing = float(np.median(np.diff(ticks)))
    start = frame.bottom + frame.axis_width + 1
    # the table's columns: half a tick spacing either side of the ticks (row labels further
    # left, survminer's rotated "Strata" title, would join its lines into one); lines
    # taller than text (the axis lines of survminer's table) are no text
    lo, hi = sorted(float(x_axis.pixel(v)) for v in (ticks[0] - spacing / 2,
                                                      ticks[-1] + spacing / 2))
    blank = _tall(dark, 40)
    blank[:, :max(int(lo), 0)] = True
    blank[:, int(hi) + 1:] = True
    dark &= ~blank
    grey = np.where(blank, 255, rgb.max(axis=2)).astype(np.uint8)
    profile = dark[start:, :].any(axis=1).astype(int)
    lines = _bands(profile, 2)
    rows = []
    for a, b in lines[1:]:  # the first line is the tick labels
        a, b = a + start, b + start
        if b - a < 5 or _ticks_covered(dark[a:b, :], x_axis, ticks, spacing) < 3:
            continue  # a title or a legend, not a row of numbers: no OCR call
        # read in grey levels (a binary mask turns a small "5" into a "3"; coloured row
        # labels are light in their brightest channel), the columns left out blank; a lone
        # digit is misread now and then in one page mode (line, 7) and not in the other
        # (sparse text, 11): the first reading that is whole (every tick) and plausible
        # (at_risk_check) ends it; after two, any plausible one, or none that is a row but
        # for a third of its values at most; else the row is repaired from all four
        # (at_risk_check.repair), what stays implausible named
        reader = _reader(grey[a:b], x_axis, ticks, spacing)
        got = []
        for i in range(len(READINGS)):
            got.append(reader(i))
            ok = [g for g in got if _is_row(g) and not violations(g)]
            if any(len(g) >= len(ticks) for g in ok) or (i >= 1 and ok):
                break
            if i >= 1 and not any(len(g) >= 3 and len(violations(g)) <= len(g) / 3
                                  for g in got):
                break  # no row with a misread or two: not a table row (a title, a legend,
                # the tick labels again, which increase): no more readings
        if ok:
            row, issues = max(ok, key=len), []
        else:
            row, issues = repair(got)
        if _is_row(row):
            rows.append(RiskRow(row, reader, issues))
    return rows


def _reader(strip, x_axis, ticks, spacing):
    """reader(i): the line's i-th reading (:data:`.at_risk_check.READINGS`), read once."""
    done = {}

    def reader(i):
        if i not in done:
            psm, zoom = READINGS[i]
            done[i] = _row(_read_strip(strip, psm, zoom), x_axis, ticks, spacing)
        return done[i]

    return reader


def _row(words, x_axis, ticks, spacing):
    """{tick time: n} of the whole numbers among ``words`` [(x, y, text)] under a tick."""
    row = {}
    for x, _y, txt in words:
        txt = txt.lstrip("-")  # a row label's tick mark ("arm=A -"): no count is < 0
        if not txt.isdigit():
            continue
        t = float(x_axis.value(x))
        k = int(np.argmin(np.abs(ticks - t)))
        if abs(ticks[k] - t) < spacing / 3 and ticks[k] not in row:
            row[float(ticks[k])] = int(txt)
    return row


def _tall(mask, n):
    """Pixels of ``mask`` in vertical runs of at least ``n`` (lines, not letters)."""
    from scipy import ndimage

    return ndimage.binary_opening(mask, structure=np.ones((n, 1), bool))


def rows_from_text(words, ticks):
    """Rows of a table from positioned text: ``words`` [(time, line key, text)] (the line
    key, e.g. a PDF baseline, groups words into lines; lines in the order given)."""
    ticks = np.sort(np.asarray(ticks, float))
    if ticks.size < 3:
        return []
    spacing = float(np.median(np.diff(ticks)))
    lines = {}
    for t, key, txt in words:
        if txt.isdigit():
            lines.setdefault(key, []).append((t, int(txt)))
    rows = []
    for key in lines:
        row = {}
        for t, n in lines[key]:
            k = int(np.argmin(np.abs(ticks - t)))
            if abs(ticks[k] - t) < spacing / 3 and float(ticks[k]) not in row:
                row[float(ticks[k])] = n
        if _is_row(row):
            rows.append(row)
    return rows


def _is_row(row) -> bool:
    if len(row) < 3:
        return False
    ns = [row[t] for t in sorted(row)]
    return ns[0] > 0 and all(n2 <= n1 for n1, n2 in zip(ns, ns[1:])) and len(set(ns)) > 1


def _ticks_covered(strip, x_axis, ticks, spacing):
    """How many ticks have a separate blob of ink under them in this line of text."""
    boxes = _bands(strip.any(axis=0).astype(int), max(3, int(0.6 * strip.shape[0])))
    hit = set()
    for c0, c1 in boxes:
        t = float(x_axis.value((c0 + c1 - 1) / 2))
        k = int(np.argmin(np.abs(ticks - t)))
        if abs(ticks[k] - t) < spacing / 3:
            hit.add(k)
    return len(hit)


def match(rows, curves, step, warnings=None):
    """{curve name: (times, n_risk)} for the best assignment of ``rows`` to ``curves``,
    each row checked against the table's structure and its curve (at_risk_check.check:
    repaired from the line's other readings, or the value left out); ``warnings``: a list
    the values left out are named in."""
    names = list(curves)
    if not rows or len(rows) != len(names):
        return {}
    rows = [r if isinstance(r, RiskRow) else RiskRow(r) for r in rows]
    mine = _assign(rows, names, step)
    before = [dict(r) for r in rows]
    found = check({name: rows[r] for name, r in mine.items()}, step)
    if warnings is not None:
        warnings.extend(found)
    if [dict(r) for r in rows] != before:  # a row repaired: matched again
        mine = _assign(rows, names, step)
    out = {}
    for name, r in mine.items():
        if not rows[r]:
            continue
        ts = sorted(rows[r])
        out[name] = (np.array(ts), np.array([rows[r][t] for t in ts], int))
    return out


def _assign(rows, names, step):
    """{curve name: row index}: the assignment whose n(t)/n(0) lie closest to S(t)."""
    best, best_cost = None, np.inf
    for perm in permutations(range(len(rows))):
        cost = 0.0
        for name, r in zip(names, perm):
            ts = np.array(sorted(rows[r]))
            n = np.array([rows[r][t] for t in ts], float)
            if n.size == 0 or n[0] <= 0:  # every value left out (at_risk_check)
                continue
            cost += float(np.sum(np.abs(n / n[0] - step(name, ts))))
        if cost < best_cost:
            best, best_cost = perm, cost
    return dict(zip(names, best))
