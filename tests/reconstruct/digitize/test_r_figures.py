"""Kaplan-Meier figures drawn by R, read back: base ``plot.survfit`` and ggplot2/survminer
``ggsurvplot`` pictures committed under tests/fixtures/digitize/ (made by make_figures.R
from the simulated patients in ipd.csv; R is not run here), digitised with OCR-read axes and
compared with the true patients' Kaplan-Meier curves, Cox hazard ratio and medians.

Tolerances (issue 17: curves within 0.02, hazard ratio within 0.05, medians within 5%):

* Curves: the largest vertical error on the true curve's plateaus, at times more than two
  line widths + 1 pixel from every true drop (measure.errors: nearer, drops closer than the
  line is wide merge into one staircase and a drop a pixel off counts as the whole drop).
  R's ``+`` censoring marks are about 8 pixels wide at 110 dpi and their arms carry a level
  half that past a drop; a drop is placed at its own vertical stroke (trace._drop_column),
  but in a dashed line the stroke may fall in a gap between dashes: the worst case here is
  two deaths at 15.3 months (0.0187 of survival) placed 6 pixels early in rbase_bw's dashed
  arm (0.0010 in the solid rbase_colour), so the bound is the issue's 0.02 and not the 0.01
  of the matplotlib figures.  RMSE over every time: measured 0.0024-0.0085 (survminer's
  4-pixel lines merge more drops into staircases); bound 0.01.
* Patients: Guyot's reconstruction from these curves with the numbers at risk every 5
  months (read from the figure where it prints them: rbase_risk and the survminer tables;
  else the true ones, as a user copies them from the paper): hazard ratio within 0.012 of
  the truth and medians within 3% measured; the issue's bounds, 0.05 and 5%, are asserted.
"""
import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import remission as rm
from remission.cli import cli
from remission.reconstruct import reconstruct_curve
import remission.reconstruct.digitize as digitize_package

from .conftest import digitized, require_tesseract
from .measure import errors

FIX = __import__("pathlib").Path(__file__).parents[2] / "fixtures" / "digitize"
IPD = pd.read_csv(FIX / "ipd.csv")
TRUTH = dict(pd.read_csv(FIX / "truth.csv").values)  # R: coxph (Efron) and survfit medians
ARMS = [(g.time.to_numpy(float), g.event.to_numpy(bool)) for _, g in IPD.groupby("arm")]
GRID = np.arange(0.0, 41.0, 5.0)  # the figures' x ticks: where tables give the numbers at risk
TRUE_RISK = [np.array([(t >= g).sum() for g in GRID]) for t, _ in ARMS]
SURVMINER_NAMES = ["arm=A", "arm=B"]  # survminer's legend above the plot: "Strata + arm=A"
BASE_NAMES = ["Arm A", "Arm B"]  # legend(..., c("Arm A", "Arm B")) inside base R's plot

CASES = {
    # file: (y scale, numbers-at-risk table printed, curve names from the legend)
    "rbase_colour.png": ("fraction", False, BASE_NAMES),   # colours, legend inside, '+' marks
    "rbase_bw.png": ("fraction", False, BASE_NAMES),       # black solid + grey50 dashed, marks
    "rbase_percent.png": ("percent", False, BASE_NAMES),   # fun = "pct", labels horizontal
    "rbase_risk.png": ("fraction", True, BASE_NAMES),      # numbers at risk by mtext
    "rbase_small.png": ("fraction", False, BASE_NAMES),    # 600 x 420 pixels, 72 dpi
    "rbase_jpeg.jpg": ("fraction", False, BASE_NAMES),     # JPEG, quality 75
    "survminer_default.png": ("fraction", True, SURVMINER_NAMES),  # theme_survminer, CI, table
    "survminer_grey.png": ("fraction", True, SURVMINER_NAMES),     # theme_grey: no axis lines
    "survminer_grey_percent.png": ("percent", False, SURVMINER_NAMES),
    # theme_minimal: no panel, no axis lines, no tick marks: the grid lines give the panel
    "survminer_minimal.png": ("fraction", False, SURVMINER_NAMES),
    # theme_light: light grey border and grid, light ticks (calibrated on the labels alone)
    "survminer_light.png": ("fraction", False, SURVMINER_NAMES),
}

def _read(case):
    """Each figure is digitised once per test session (conftest.digitized)."""
    return digitized(FIX / case)


def _cox_hr(times, events):
    x = np.r_[np.zeros(len(times[0])), np.ones(len(times[1]))]
    return rm.cox_ph(np.r_[times[0], times[1]], np.r_[events[0], events[1]],
                     x[:, None]).hazard_ratio[0]


def test_the_truth_is_r_output():
    """truth.csv (R's coxph and survfit on ipd.csv) is what remission computes from the same
    patients: the targets below are the true patients' own numbers."""
    assert abs(_cox_hr([a[0] for a in ARMS], [a[1] for a in ARMS])
               - TRUTH["hazard_ratio_B_vs_A"]) < 1e-6
    for (t, e), arm in zip(ARMS, "AB"):
        assert rm.kaplan_meier(t, e).median().estimate == pytest.approx(TRUTH[f"median_{arm}"],
                                                                        abs=1e-9)


@pytest.mark.parametrize("case", list(CASES))
def test_curves_match_the_truth(case):
    scale, table, names = CASES[case]
    res = _read(case)
    assert res.report["curves_found"] == 2, res.report["curves"]
    assert res.report["y_scale"] == scale
    assert res.report["y_axis"]["pixels_per_unit"] >= 300  # the resolution argued above
    for name, mx, rmse in errors(res, ARMS):
        assert mx <= 0.02 and rmse <= 0.01, (case, name, mx, rmse)
    # the legend's labels name the curves, in arm order (base R's "Arm A" was read "ArmA",
    # and "am 8" at 72 dpi, before the label's word gaps were widened)
    assert res.report["legend_read"] and [e[0] for e in errors(res, ARMS)] == names, case
    assert res.report["at_risk_warnings"] == []  # nothing implausible read, or left out
    if table:  # the printed numbers at risk, read exactly, matched to their curves
        for (name, *_), true in zip(errors(res, ARMS), TRUE_RISK):
            t, n = res.at_risk[name]
            assert list(t) == list(GRID) and list(n) == list(true), (case, name, list(n))
    else:
        assert res.at_risk == {}


@pytest.mark.parametrize("case", list(CASES))
def test_reconstructed_patients(case):
    """Guyot's reconstruction (as `reconstruct --figure`) from the digitised curves: Cox
    hazard ratio within 0.05 and medians within 5% of the true patients'."""
    res = _read(case)
    recs = []
    for (name, *_), true in zip(errors(res, ARMS), TRUE_RISK):
        t, s = res.curves[name]
        rt, rn = res.at_risk.get(name, (GRID, true))
        recs.append(reconstruct_curve(t, s, risk_time=rt, n_risk=rn))
    hr = _cox_hr([r.time for r in recs], [r.event for r in recs])
    assert abs(hr - TRUTH["hazard_ratio_B_vs_A"]) < 0.05, (case, hr)
    for r, arm in zip(recs, "AB"):
        med = rm.kaplan_meier(r.time, r.event).median().estimate
        assert abs(med / TRUTH[f"median_{arm}"] - 1) < 0.05, (case, arm, med)


def test_survminer_figure_to_patients_with_no_hand_work(tmp_path, monkeypatch):
    """`reconstruct --figure` on ggplot2's theme_grey figure (no axis lines): the arms are
    named from the legend above the plot, the numbers at risk come from survminer's table,
    and the patients give the true hazard ratio and medians (bounds as above).  The command
    calls the same `digitize` as the tests above, which have read this figure already: it
    gets that reading (conftest.digitized) instead of a second one."""
    def once(path, **options):
        assert all(v is None for v in options.values()), options  # the command's defaults
        return digitized(path)

    monkeypatch.setattr(digitize_package, "digitize", once)
    ipd = tmp_path / "ipd.csv"
    r = CliRunner().invoke(cli, ["reconstruct", "--figure", str(FIX / "survminer_grey.png"),
                                 "-o", str(ipd), "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert [a["arm"] for a in doc["arms"]] == ["arm=B", "arm=A"]  # curve 1 is the highest
    rec = pd.read_csv(ipd)
    arms = [rec[rec["arm"] == n] for n in SURVMINER_NAMES]
    assert [len(a) for a in arms] == [150, 150]  # n at risk at 0 from the table
    hr = _cox_hr([a["time"].to_numpy() for a in arms], [a["event"].to_numpy() for a in arms])
    assert abs(hr - TRUTH["hazard_ratio_B_vs_A"]) < 0.05, hr
    for a, arm in zip(arms, "AB"):
        med = rm.kaplan_meier(a["time"].to_numpy(), a["event"].to_numpy()).median().estimate
        assert abs(med / TRUTH[f"median_{arm}"] - 1) < 0.05, (arm, med)


def test_a_grey_panel_without_labels_is_one_error_line(tmp_path, capsys):
    """A light grey rectangle is taken for a ggplot2 panel, but with no tick labels to read
    the command stops with one `error:` line asking for the ranges (exit 2)."""
    from PIL import Image

    from remission.cli import main

    require_tesseract()
    p = tmp_path / "grey.png"
    im = Image.new("RGB", (500, 400), "white")
    im.paste((235, 235, 235), (60, 40, 480, 340))
    im.save(p)
    code = main(["digitize", str(p), "-o", str(tmp_path / "c.csv")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("error: "), (code, err)
    assert "--x-range" in err[0]
