"""Legends of black and grey curves told apart by line style (solid vs dashed): each legend
entry's line sample is matched to the curve of its shade and style, and the curve is named
from the entry's text (OCR in a picture, the page's text in a vector PDF).

Each name is checked against the truth: measure.errors pairs every true arm with the
digitised curve closest to it, and that curve must carry the arm's label (and lie within
0.01 of its true Kaplan-Meier curve on the plateaus, as in test_roundtrip.py).
"""
import pandas as pd
import pytest
from click.testing import CliRunner

from remission.cli import cli
from remission.reconstruct.digitize import digitize

from .conftest import require_tesseract
from .draw import arm, draw
from .measure import errors

ARMS = [arm(150, 0.08, 1), arm(150, 0.04, 2)]

CASES = {
    # name: (file, draw options, labels in drawing order)
    "black solid and dashed": (
        "bk.png", dict(colours=("black", "black"), styles=("-", "--")), ["Placebo", "Drug"]),
    "dashed first": (
        "bk2.png", dict(colours=("black", "black"), styles=("--", "-")), ["Control", "Active"]),
    "black and grey dashed, grid": (
        "grey.png", dict(colours=("black", "#7f7f7f"), styles=("-", "--"), grid=True),
        ["Placebo", "Drug"]),
    "R base style: thin lines, + marks": (
        "rbase.png", dict(colours=("black", "black"), styles=("-", "--"), lw=1.0, marker="+",
                          rotate_y=True), ["Observation", "Lev+5FU"]),
    "percent axis, JPEG": (
        "bk.jpg", dict(colours=("black", "black"), styles=("-", "--"), percent=True),
        ["Placebo", "Drug"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_black_and_grey_curves_are_named_by_line_style(case, tmp_path):
    require_tesseract()
    fn, opts, labels = CASES[case]
    fig = tmp_path / fn
    draw(fig, ARMS, labels=labels, **opts)
    res = digitize(fig)
    assert res.report["legend_read"], res.report
    got = errors(res, ARMS)
    assert [g[0] for g in got] == labels, got
    assert max(g[1] for g in got) <= 0.01, got


def test_reconstruct_names_the_arms(tmp_path):
    require_tesseract()
    fig = tmp_path / "bk.png"
    draw(fig, ARMS, colours=("black", "black"), styles=("-", "--"), labels=["Placebo", "Drug"])
    ipd = tmp_path / "ipd.csv"
    r = CliRunner().invoke(cli, ["reconstruct", "--figure", str(fig), "--n", "150,150",
                                 "-o", str(ipd)])
    assert r.exit_code == 0, r.output
    assert sorted(pd.read_csv(ipd)["arm"].unique()) == ["Drug", "Placebo"]


PDF_CASES = {
    "black solid and grey dashed, percent": (
        dict(colours=("black", "#7f7f7f"), styles=("-", "--"), percent=True),
        ["Placebo", "Drug"]),
    "two black, solid and dotted": (
        dict(colours=("black", "black"), styles=("-", ":")), ["Control", "Active"]),
    "colours with bands": (dict(band=True), ["Placebo", "Drug"]),
}


@pytest.mark.parametrize("case", list(PDF_CASES))
def test_vector_pdf_legend(case, tmp_path):
    """In a vector PDF a sample is stroked exactly as its curve: same colour, same dash
    array; the label is the page's text right of the sample (no OCR)."""
    opts, labels = PDF_CASES[case]
    fig = tmp_path / "km.pdf"
    draw(fig, ARMS, labels=labels, **opts)
    res = digitize(fig)
    got = errors(res, ARMS)
    assert res.report["legend_read"] and [g[0] for g in got] == labels, got
    assert max(g[1] for g in got) < 1e-6  # exact coordinates: the curve itself


def test_vector_pdf_same_stroke_keeps_numbers(tmp_path):
    """Two curves stroked alike: no sample tells them apart, so they keep 1, 2."""
    fig = tmp_path / "km.pdf"
    draw(fig, ARMS, colours=("black", "black"), labels=["Placebo", "Drug"])
    res = digitize(fig)
    assert sorted(res.curves) == ["1", "2"] and not res.report["legend_read"]
