"""The report is light enough to e-mail (issue 16): one copy of the plotly.js basic bundle for
all figures, figure coordinates at 4 significant digits, repeated points dropped; at most 2 MB
for the bundled CARTITUDE-1 example and at most 0.5 MB per extra arm."""
from __future__ import annotations

import json
import re

import pytest

import remission as rm
from remission.report.html import compact_figures, plotly_js

from .helpers import bundled

MB = 1e6
# default families and cure kinds (what is drawn); fewer replicates and simulated trials, which
# change only numbers in the tables and the time taken, not what the figures hold
LIGHT = dict(reps=50, sims=20, null_reps=100)


def _size(report, path):
    report.write_html(path)
    return path.stat().st_size, path.read_text("utf-8")


def test_cartitude1_report_is_under_2_mb_and_inlines_the_basic_bundle_once(tmp_path):
    p = bundled("cartitude1-pfs-approx.csv.gz", tmp_path / "cartitude1-pfs-approx.csv")
    size, html = _size(rm.analyze(p, **LIGHT), tmp_path / "r.html")
    assert size <= 2 * MB, size
    js = plotly_js()
    assert html.count(js[:2000]) == 1          # one copy of the library for every figure
    assert "plotly.js (basic - minified) v4.1.1" in js and len(js) < 1.3 * MB
    figs = json.loads(re.search(r'id="remission-figures">(.*?)</script>', html, re.S).group(1))
    assert len(figs) >= 5 and all(f["data"] for f in figs.values())
    # every trace is a type the basic bundle draws
    assert {t["type"] for f in figs.values() for t in f["data"]} <= {"scatter", "bar", "pie"}


def test_each_extra_arm_adds_at_most_half_a_megabyte(tmp_path):
    p = bundled("alloauto.csv.gz", tmp_path / "alloauto.csv")
    one, _ = _size(rm.analyze(rm.read_survival(p, time_unit="months"), **LIGHT),
                   tmp_path / "one.html")
    two, _ = _size(rm.analyze(rm.read_survival(p, group="type", time_unit="months"), **LIGHT),
                   tmp_path / "two.html")
    assert two <= 2 * MB and two - one <= 0.5 * MB, (one, two)


def test_compact_figures_rounds_drops_repeats_and_keeps_aligned_arrays():
    figs = {"f": {"data": [
        {"type": "scatter", "x": [0.0, 1.00001, 1.00002, 2.123456], "y": [1, 0.5, 0.5, 0.25]},
        {"type": "scatter", "x": [1.0, 1.0, 1.0], "y": [2.0, 2.0, 2.0], "text": ["a", "b", "c"]},
        {"type": "scatter", "x": [3.0, 3.0, 3.0], "y": [1.0, 1.0, 1.0],
         "marker": {"size": [1, 2, 3]}}],
        "layout": {"xaxis": {"range": [0, 123.456789]}}}}
    out = compact_figures(figs)["f"]
    assert out["data"][0]["x"] == [0.0, 1.0, 2.123] and out["data"][0]["y"] == [1, 0.5, 0.25]
    assert out["data"][1]["x"] == [1.0, 1.0, 1.0]      # hover text per point: kept aligned
    assert out["data"][2]["y"] == [1.0, 1.0, 1.0]      # marker array per point: kept aligned
    assert out["layout"]["xaxis"]["range"] == [0, 123.5]
    assert compact_figures({"g": {"data": [{"x": [float("nan"), -0.000123456]}]}})["g"] \
        == {"data": [{"x": [None, -0.0001235]}]}


@pytest.mark.parametrize("v,want", [(123456.0, 123500.0), (1e-9 + 1e-14, 1e-9), (-2.5, -2.5)])
def test_four_significant_digits(v, want):
    assert compact_figures({"f": {"x": [v]}})["f"]["x"] == [want]
