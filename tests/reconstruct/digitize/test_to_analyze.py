"""From a picture to the report: a two-arm Kaplan-Meier figure drawn from known patients goes
through `digitize` -> `reconstruct` -> `analyze` with no hand work, and the report's medians
are the true ones; the report says the data were read off a figure.

Tolerance of the medians: 5%, the bound of the digitise round trip
(test_cli.test_figure_to_patients_medians_and_hazard_ratio, issue 17: digitised curves within
0.01 of the truth, Guyot's reconstruction puts a median a step or two off, 1-3% there).
These arms are well conditioned at 0.5 (measured: reconstructed medians 0.4% and 0.1% from
the true ones); as in test_cli.test_numbers_at_risk_table_is_read the true curve at the
reported median must also lie within 0.015 of 0.5 (a drop placed one x pixel early, 0.013).
"""
import json

import pandas as pd
import pytest
from click.testing import CliRunner

import remission as rm
import remission.reconstruct.digitize
from remission.cli import cli

from .conftest import require_tesseract
from .draw import arm, draw
from .measure import errors

ARMS = [arm(150, 0.08, 1), arm(150, 0.04, 2)]
TICKS = [0, 5, 10, 15, 20, 25, 30, 35, 40]


@pytest.fixture(scope="module")
def figure(tmp_path_factory):
    """The figure, with its numbers-at-risk table (read by OCR: no hand work), and which
    digitised curve is which true arm."""
    require_tesseract()
    p = tmp_path_factory.mktemp("fig") / "km.png"
    draw(p, ARMS, risk_table=True, xticks=TICKS)
    res = remission.reconstruct.digitize.digitize(p)
    return p, [e[0] for e in errors(res, ARMS)]


def _ok(args):
    r = CliRunner().invoke(cli, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return r.output


def _check_median(med, time, event, what):
    km = rm.kaplan_meier(time, event)
    true_med = km.median().estimate
    assert abs(med / true_med - 1) < 0.05, (what, med, true_med)
    assert abs(km.survival_at([med])[0] - 0.5) <= 0.015, (what, med, true_med)


def test_digitize_then_reconstruct_a_curve_file(figure, tmp_path):
    """The two-step route: `digitize -o curves.csv --at-risk-out risk.csv`, then
    `reconstruct --curve curves.csv` writes every curve at once, named in an `arm` column
    (the `curve` column of the digitised file), ready for `analyze --group arm`."""
    fig, names = figure
    curves, risk, ipd = tmp_path / "curves.csv", tmp_path / "risk.csv", tmp_path / "ipd.csv"
    _ok(["digitize", fig, "-o", curves, "--at-risk-out", risk])
    _ok(["reconstruct", "--curve", curves, "--at-risk", risk, "-o", ipd])
    rec = pd.read_csv(ipd, dtype={"arm": str})
    assert list(rec.columns) == ["time", "event", "arm"]
    assert sorted(rec["arm"].unique()) == sorted(str(n) for n in names)
    for (time, event), name in zip(ARMS, names):
        sub = rec[rec["arm"] == str(name)]
        assert len(sub) == len(time)  # n at risk at time 0, read from the figure's table
        med = rm.kaplan_meier(sub["time"].to_numpy(), sub["event"].to_numpy()).median()
        _check_median(med.estimate, time, event, name)
    # one curve alone: --curve-id
    one = tmp_path / "one.csv"
    _ok(["reconstruct", "--curve", curves, "--curve-id", names[0], "--at-risk", risk,
         "-o", one])
    assert len(pd.read_csv(one)) == len(ARMS[0][0])


def test_figure_to_report(figure, tmp_path):
    """`reconstruct --figure` then `analyze --group arm --provenance`: the report's
    Kaplan-Meier medians (JSON and HTML) are the true ones, and the report names the figure
    the data were reconstructed from (data section and plain-language overview)."""
    fig, names = figure
    ipd, rep_html, rep_json = tmp_path / "ipd.csv", tmp_path / "r.html", tmp_path / "r.json"
    prov = tmp_path / "rec.json"
    prov.write_text(_ok(["reconstruct", "--figure", fig, "-o", ipd, "--format", "json"]))
    # a reduced analysis (the report's other sections are tested in tests/report)
    _ok(["analyze", ipd, "--group", "arm", "--provenance", prov, "-o", rep_html, "--json",
         rep_json, "--dists", "exponential", "--cure", "none", "--reps", "20", "--sims", "5",
         "--extra-followup", "12", "--quiet"])
    doc = json.loads(rep_json.read_text())
    groups = {str(g["group"]): g for g in doc["km"]["summary"]["groups"]}
    for (time, event), name in zip(ARMS, names):
        _check_median(groups[str(name)]["median"]["estimate"], time, event, name)
    assert groups["all"]["median"]["estimate"] > 0
    fig_prov = doc["data"]["reconstruction"]["figure"]
    assert fig_prov["file"] == str(fig) and fig_prov["curves_found"] == 2
    assert fig_prov["pixels_per_unit"]["y"] > 100  # the resolution the tolerance is for
    html = rep_html.read_text()
    assert "Reconstructed from the figure" in html and "digitised from the figure" in html
    assert any("reconstructed from a figure" in s for s in doc["overview"]["sentences"])
    # without --group the arms are pooled: the report says how to compare them
    pooled = rm.analyze(str(ipd), provenance=str(prov), dists=("exponential",), cures=(),
                        reps=20, sims=5, null_reps=50, extra_followup=(12,))
    assert any("give --group arm" in n for n in pooled.context.notes)
    # the stdout JSON names the figure; the overlay and round trip need the sidecar (its name)
    assert "origin" not in pooled.section_ids
    assert any("OUTPUT.provenance.json" in n for n in pooled.context.notes)
