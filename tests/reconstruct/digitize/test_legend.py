"""Curves named from the figure's legend: the text next to each curve's colour swatch, read
by OCR; 1, 2, ... when a legend cannot be read (none, or curves of one colour and one line
style)."""
import pandas as pd
from click.testing import CliRunner

from remission.cli import cli
from remission.reconstruct.digitize import digitize

from .conftest import require_tesseract
from .draw import arm, draw
from .measure import errors

ARMS = [arm(150, 0.08, 1), arm(150, 0.04, 2)]


def test_curves_are_named_from_the_legend(tmp_path):
    """Each label goes with its own curve: the curve named "Placebo" is the one that matches
    the arm drawn as Placebo (measure.errors: within 0.01 of its true Kaplan-Meier curve)."""
    require_tesseract()
    fig = tmp_path / "km.png"
    draw(fig, ARMS, labels=["Placebo", "Drug"], band=True, grid=True)
    res = digitize(fig)
    assert sorted(res.curves) == ["Drug", "Placebo"] and res.report["legend_read"]
    (n0, mx0, _), (n1, mx1, _) = errors(res, ARMS)
    assert (n0, n1) == ("Placebo", "Drug") and max(mx0, mx1) <= 0.01
    out = tmp_path / "curves.csv"
    r = CliRunner().invoke(cli, ["digitize", str(fig), "-o", str(out)])
    assert r.exit_code == 0 and "named from the legend" in r.output, r.output
    assert sorted(pd.read_csv(out)["curve"].unique()) == ["Drug", "Placebo"]
    ipd = tmp_path / "ipd.csv"
    r = CliRunner().invoke(cli, ["reconstruct", "--figure", str(fig), "--n", "150,150",
                                 "-o", str(ipd)])
    assert r.exit_code == 0, r.output
    assert sorted(pd.read_csv(ipd)["arm"].unique()) == ["Drug", "Placebo"]


def test_legend_in_a_jpeg_with_a_percent_axis(tmp_path):
    require_tesseract()
    fig = tmp_path / "km.jpg"
    draw(fig, ARMS, labels=["Placebo", "Drug"], percent=True)
    res = digitize(fig)
    assert [e[0] for e in errors(res, ARMS)] == ["Placebo", "Drug"]


def test_no_legend_or_one_colour_keeps_numbers(tmp_path):
    require_tesseract()
    fig = tmp_path / "nolegend.png"
    draw(fig, ARMS, legend=False)
    res = digitize(fig)
    assert sorted(res.curves) == ["1", "2"] and not res.report["legend_read"]
    # two black solid curves: nothing tells their legend entries apart (black solid and
    # dashed ones are named: test_legend_style.py)
    fig = tmp_path / "black.png"
    draw(fig, ARMS, colours=("black", "black"), labels=["Placebo", "Drug"])
    res = digitize(fig)
    assert sorted(res.curves) == ["1", "2"] and not res.report["legend_read"]
