"""plots/forest.py: rows from the contrast blocks and the figure's numbers."""
import math

import pytest

from remission.plots.forest import arm_contrast_rows, forest_figure


def test_rows_and_figure_numbers():
    hr = {"reference": "A", "contrasts": [{"group": "B", "estimate": 0.5, "lower": 0.25,
                                           "upper": 1.0}]}
    cure = [{"kind": "mixture", "group": "B", "reference": "A",
             "cure_fraction_odds_ratio": {"estimate": 2.0, "lower": 1.5, "upper": 4.0}},
            {"kind": "non-mixture", "group": "B", "reference": "A",  # no estimate: left out
             "cure_fraction_odds_ratio": {"estimate": None, "lower": None, "upper": None}}]
    rows = arm_contrast_rows(hr, cure, name=lambda g: f"arm {g}")
    assert [r["label"] for r in rows] == ["arm B vs arm A: hazard ratio (Cox)",
                                          "arm B vs arm A: cure odds ratio (mixture)"]
    fig = forest_figure(rows)
    (a, b) = fig["data"]
    assert (a["x"], a["error_x"]["arrayminus"], a["error_x"]["array"]) == ([0.5], [0.25], [0.5])
    assert (b["x"], b["error_x"]["arrayminus"], b["error_x"]["array"]) == ([2.0], [0.5], [2.0])
    lo, hi = fig["layout"]["xaxis"]["range"]  # log10 units, symmetric about 1, holds all
    assert lo == -hi and hi > math.log10(4.0)
    assert fig["layout"]["shapes"][0]["x0"] == 1


def test_labels_escaped_and_missing_interval():
    rows = arm_contrast_rows({"reference": "<b>", "contrasts": [
        {"group": "x&y", "estimate": 1.2, "lower": None, "upper": None}]})
    fig = forest_figure(rows)
    tr = fig["data"][0]
    assert "<b>" not in tr["y"][0] and "&amp;" in tr["y"][0]
    assert tr["error_x"]["array"] == [0.0] and tr["error_x"]["arrayminus"] == [0.0]
    assert forest_figure([])["data"] == [] and arm_contrast_rows(None) == []
    with pytest.raises(KeyError):  # a row needs its estimate
        forest_figure([{"label": "x", "color": "#000"}])
