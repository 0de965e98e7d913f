"""Plausibility of a numbers-at-risk row read by OCR, and its repair from other readings.

A table's structure says what a row can hold: the numbers at risk never increase along a
row and never exceed its first column (n, everyone at time 0).  One misread digit breaks it
("150" read "1590" once, and "116" read "1160" would): such a value is looked up in the
line's other readings (other page modes and enlargements, :data:`READINGS`), which misread
different digits.  A value no reading makes plausible is left out of the row and named in
the quality report (``at_risk_warnings``: curve and column), never passed on silently.

The first column has nothing to its left to check it against but the curve: the share still
at risk at the first tick after it, n(t1)/n(0), is at most S(t1-) (censoring only lowers
it) and, unless three quarters of the arm were censored before t1, above S(t1)/4; a first
column read ten times too large ("1590" for "150": 116/1590 = 0.07 against S = 0.78) is
below that.
"""
from __future__ import annotations

#: the OCR readings of one line of the table, tried in turn: (tesseract page mode,
#: enlargement).  Line mode and sparse-text mode at 3x misread different lone digits
#: (at_risk.read_rows); the last two read further only for an implausible row.
READINGS = ((7, 3), (11, 3), (7, 4), (6, 5))
#: a first column whose next column is below this share of the curve's survival there is
#: taken for a misreading (three quarters censored before the first tick: not a table row)
FIRST_SHARE = 0.25
#: the cost of leaving a tick out of a row, against 1 for taking another reading's value
DROP = 2


class RiskRow(dict):
    """{tick time: n} of one line, with the line's readings (``reader(i)``: the i-th of
    :data:`READINGS`, read on demand) and what could not be made plausible (``issues``:
    [(tick time, value read)])."""

    def __init__(self, values, reader=None, issues=()):
        super().__init__(values)
        self.reader = reader
        self.issues = list(issues)

    def readings(self):
        return [] if self.reader is None else [self.reader(i) for i in range(len(READINGS))]


def violations(row, first_max=None) -> list:
    """Ticks whose value breaks the table's structure: above the first column or above an
    earlier tick's; ``first_max``: the most the first column may be (from the curve)."""
    ts = sorted(row)
    bad = []
    if first_max is not None and ts and row[ts[0]] > first_max:
        bad.append(ts[0])
    for k, t in enumerate(ts[1:], start=1):
        if row[t] > row[ts[0]] or any(row[t] > row[u] for u in ts[1:k]):
            bad.append(t)
    return bad


def repair(readings, first_max=None):
    """(row, issues): the plausible row closest to the fullest reading (each value taken
    from another reading costs 1, a tick left out :data:`DROP`, the first column 2.5: it is
    the row's n), and [(tick, value)] of the values of the fullest reading left out;
    ``first_max``: the most the first column may be."""
    readings = [r for r in readings if r]
    if not readings:
        return {}, []
    base = max(readings, key=len)
    ticks = sorted({t for r in readings for t in r})
    cands = {t: list(dict.fromkeys(([base[t]] if t in base else [])
                                   + [r[t] for r in readings if t in r])) for t in ticks}
    # dynamic programming over the ticks; state: the last value kept (None: none yet);
    # the first value kept bounds every later one, and so does each later one the next
    best = {None: (0, {}, None)}  # last value -> (cost, row, first value)
    for t in ticks:
        nxt = {}
        for last, (cost, row, first) in best.items():
            # leaving the first column out costs a little more: a tie between it and a
            # later value above it ("150, 1160, 83") leaves the later one out
            options = [(None, (DROP + 0.5 * (t == ticks[0])) if t in base else 0)]
            options += [(v, 0 if base.get(t) == v else 1) for v in cands[t]]
            for v, c in options:
                if v is not None:
                    if last is not None and v > last:
                        continue
                    if first is None and first_max is not None and v > first_max:
                        continue
                key = last if v is None else v
                new = (cost + c, row if v is None else {**row, t: v},
                       first if first is not None or v is None else v)
                if key not in nxt or new[0] < nxt[key][0]:
                    nxt[key] = new
        best = nxt
    cost, row, _ = min(best.values(), key=lambda b: (b[0], -len(b[1])))
    issues = [(t, base[t]) for t in sorted(base) if t not in row]
    return row, issues


def first_max(row, step, name):
    """The most the row's first column may be, from curve ``name``'s survival ``step`` at
    the row's second tick, or None (fewer than two ticks, or no survival there)."""
    ts = sorted(row)
    if len(ts) < 2:
        return None
    s = float(step(name, [ts[1]])[0])
    if s <= 0:
        return None
    return row[ts[1]] / (FIRST_SHARE * s)


def check(rows: dict, step) -> list[str]:
    """Check and repair the matched rows in place: ``rows`` {curve: RiskRow}; returns the
    warnings, one per value left out."""
    warnings = []
    for name, row in rows.items():
        cap = first_max(row, step, name)
        issues = list(getattr(row, "issues", []))
        if violations(row, cap):
            fixed, more = repair(row.readings() or [dict(row)], cap)
            issues += more
            row.clear()
            row.update(fixed)
        for t, v in issues:
            warnings.append(f"numbers at risk, curve {name}, column at time {t:g}: {v} read "
                            "breaks the table (numbers at risk never increase along a row nor "
                            "exceed its first column) in every OCR reading; left out: check "
                            "the table or pass it with --at-risk")
    return warnings
