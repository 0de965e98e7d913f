"""Numbers at risk read by OCR, checked against the table's structure (at_risk_check): a
number at risk never increases along a row and never exceeds the first column; a value that
does is taken from the line's other readings, or left out with a warning naming the curve and
the column.  The OCR output is made up here (monkeypatched), on the committed base R figure
with a table (tests/fixtures/digitize/rbase_risk.png, read correctly by the real OCR:
test_r_figures.py) and on rows alone; the true rows are R's summary(fit, times) there."""
import numpy as np
import pandas as pd

from remission.reconstruct.digitize import at_risk
from remission.reconstruct.digitize.at_risk_check import (READINGS, RiskRow, check, repair,
                                                          violations)
from remission.reconstruct.digitize.axes import find_frame

from .conftest import digitized

FIX = __import__("pathlib").Path(__file__).parents[2] / "fixtures" / "digitize"
GRID = np.arange(0.0, 41.0, 5.0)
IPD = pd.read_csv(FIX / "ipd.csv")
TRUE = {f"Arm {a}": [int((g.time >= t).sum()) for t in GRID] for a, g in IPD.groupby("arm")}
assert TRUE["Arm A"][:2] == [150, 95] and TRUE["Arm B"][:2] == [150, 116]


def _fake_ocr(monkeypatch, misread):
    """tesseract replaced: the table's two lines (in the order read, Arm A then Arm B) give
    the true numbers centred on their ticks, but ``misread(arm, reading index, tick)`` for
    the text where it returns one."""
    seen = []

    def read_strip(strip, psm, zoom=3):
        key = strip.tobytes()
        if key not in seen:
            seen.append(key)
        line = seen.index(key)
        if line > 1:
            return []
        arm = ["Arm A", "Arm B"][line]
        i = READINGS.index((psm, zoom))
        res = digitized(FIX / "rbase_risk.png")
        x_axis = res.pixels[1]
        return [(float(x_axis.pixel(t)), 5.0, misread(arm, i, t) or str(n))
                for t, n in zip(GRID, TRUE[arm])]

    monkeypatch.setattr(at_risk, "_read_strip", read_strip)


def _read(monkeypatch, misread):
    res = digitized(FIX / "rbase_risk.png")
    assert sorted(res.curves) == ["Arm A", "Arm B"]
    rgb, x_axis = res.pixels[0], res.pixels[1]
    _fake_ocr(monkeypatch, misread)
    warnings = []
    rows = at_risk.read_rows(rgb, find_frame(rgb), x_axis, list(GRID))
    got = at_risk.match(rows, res.curves, res.step, warnings)
    return {k: dict(zip(t.tolist(), n.tolist())) for k, (t, n) in got.items()}, warnings


def test_a_misread_digit_is_taken_from_another_reading(monkeypatch):
    """"116" read "1160" (above the first column, 150) in the two first readings of Arm B's
    line: the third reading's 116 is taken; nothing to warn of."""
    got, warnings = _read(monkeypatch, lambda arm, i, t: "1160"
                          if (arm, t) == ("Arm B", 5.0) and i < 2 else None)
    assert got == {a: dict(zip(GRID.tolist(), n)) for a, n in TRUE.items()} and warnings == []


def test_a_first_column_ten_times_too_large_is_repaired(monkeypatch):
    """"150" read "1590" in Arm A's first column: the row still never increases, but 95 of
    1590 (0.06) at 5 months against the curve's 0.65 is taken for a misreading; the last
    reading's 150 is taken."""
    got, warnings = _read(monkeypatch, lambda arm, i, t: "1590"
                          if (arm, t) == ("Arm A", 0.0) and i < 3 else None)
    assert got["Arm A"][0.0] == 150 and warnings == []
    assert got == {a: dict(zip(GRID.tolist(), n)) for a, n in TRUE.items()}


def test_a_value_implausible_in_every_reading_is_left_out_and_named(monkeypatch):
    got, warnings = _read(monkeypatch, lambda arm, i, t: "1160"
                          if (arm, t) == ("Arm B", 5.0) else None)
    assert 5.0 not in got["Arm B"] and len(got["Arm B"]) == GRID.size - 1
    assert got["Arm A"] == dict(zip(GRID.tolist(), TRUE["Arm A"]))
    assert len(warnings) == 1 and "curve Arm B" in warnings[0] and "time 5:" in warnings[0]
    assert "1160" in warnings[0]


def test_repair_keeps_the_fullest_reading_where_it_is_plausible():
    a = {0: 150, 5: 1160, 10: 83, 15: 51}
    b = {0: 150, 5: 116, 10: 88, 15: 51}  # another reading's own misread (88 for 83)
    assert violations(a) == [5] and violations(b) == []
    row, issues = repair([a, b])
    assert row == {0: 150, 5: 116, 10: 83, 15: 51} and issues == []
    row, issues = repair([a])  # no other reading: 1160 left out, and named
    assert row == {0: 150, 10: 83, 15: 51} and issues == [(5, 1160)]
    assert violations({0: 150, 5: 160}) == [5] and violations({0: 90, 5: 80}, 50) == [0]


def test_check_names_curve_and_column_and_leaves_plausible_rows_alone():
    def step(name, ts):  # a survival curve of 0.8 at 5
        return np.where(np.asarray(ts) < 5, 1.0, 0.8)

    good = RiskRow({0: 150, 5: 116, 10: 83})
    bad = RiskRow({0: 1590, 5: 116, 10: 83})  # 116/1590 = 0.07 < 0.8/4: a misread n
    warnings = check({"A": good, "B": bad}, step)
    assert dict(good) == {0: 150, 5: 116, 10: 83}
    assert dict(bad) == {5: 116, 10: 83}  # no other reading to take 150 from
    assert len(warnings) == 1 and "curve B, column at time 0: 1590" in warnings[0]


def test_the_command_prints_the_warnings():
    """`digitize`'s text output shows each value left out as a `warning:` line (the JSON
    output carries the report's at_risk_warnings as they are)."""
    from types import SimpleNamespace

    from remission.cli.digitize_cmd import _text

    axis = {"pixels_per_unit": 10.0, "source": "ocr", "ticks": [[0.0, 0.0]]}
    report = {"curves_found": 0, "source": "pixels", "y_scale": "fraction", "curves": [],
              "x_axis": axis, "y_axis": axis, "at_risk_warnings": ["numbers at risk, curve B"]}
    out = _text(SimpleNamespace(report=report, at_risk={}), "c.csv")
    assert "  warning: numbers at risk, curve B" in out.splitlines()
