"""The report compares the arms (issue 14): Cox hazard ratio, RMST difference and the
cure-fraction contrasts, each equal to what the public API gives for the same data."""
import pytest

import remission as rm
from remission.models.arms import cure_contrast


@pytest.fixture(scope="module")
def report(fast_alloauto_by_type):
    return fast_alloauto_by_type  # alloauto by type, months, FAST: tests/report/conftest.py


def test_report_shows_hazard_ratio_and_cure_contrasts(report):
    data, rep = report
    doc = rep.to_dict()
    s = rm.summarize(data).to_dict()
    (a,), (b,) = doc["km"]["summary"]["hazard_ratios"]["contrasts"], s["hazard_ratios"]["contrasts"]
    assert a["group"] == b["group"] == "2"
    for k in ("estimate", "lower", "upper", "p"):  # the same computation: equal
        assert a[k] == pytest.approx(b[k], rel=1e-12)
    html = rep.to_html()
    assert "Hazard ratio type = 2 vs type = 1" in html and "RMST difference" in html
    assert "Cure fractions compared between groups" in html
    (c,) = [x for x in doc["cure"]["contrasts"] if x["kind"] == "mixture"]
    # the same contrast from the per-group fits of the API (the report's best model is
    # weibull in FAST: cure_dists = ("weibull",))
    fits = {lev: rm.ModelSpec(dist=c["dist"], cure="mixture").fit(sub)
            for lev, sub in data.by_group()}
    ref = cure_contrast(fits["2"], fits["1"])
    assert c["group"] == "2" and c["reference"] == "1"
    assert c["cure_fraction_difference"]["estimate"] == pytest.approx(
        ref["cure_fraction_difference"]["estimate"], rel=1e-6)
    assert c["p_equal_cure"] == pytest.approx(ref["p_equal_cure"], rel=1e-5)


def test_report_forest_plot_of_the_arm_contrasts(report):
    """The forest plot (plots/forest.py) draws the Cox hazard ratio and each cure kind's odds
    ratio with the numbers of the tables (the same dicts: equal), as scatter traces with
    error_x only (plotly.js basic)."""
    data, rep = report
    sec = rep.section("cure")
    fig = sec.figures["fig-arm-forest"]
    assert "id='fig-arm-forest'" in sec.html
    hr = rm.summarize(data).to_dict()["hazard_ratios"]["contrasts"][0]
    want = [(hr["estimate"], hr["lower"], hr["upper"])]
    for c in sec.data["contrasts"]:
        o = c["cure_fraction_odds_ratio"]
        if o["estimate"] is not None:
            want.append((o["estimate"], o["lower"], o["upper"]))
    assert len(fig["data"]) == len(want) >= 2  # the hazard ratio and at least one cure kind
    for tr, (est, lo, hi) in zip(fig["data"], want):
        assert tr["type"] == "scatter" and set(tr) & {"error_y", "fill"} == set()
        assert tr["x"][0] == pytest.approx(est, rel=1e-12)
        assert tr["x"][0] - tr["error_x"]["arrayminus"][0] == pytest.approx(lo, rel=1e-12)
        assert tr["x"][0] + tr["error_x"]["array"][0] == pytest.approx(hi, rel=1e-12)
    assert fig["data"][0]["y"][0] == "type = 2 vs type = 1: hazard ratio (Cox)"
    assert fig["layout"]["xaxis"]["type"] == "log"
    assert [r["estimate"] for r in sec.data["forest"]] == [w[0] for w in want]


def test_report_opens_with_the_arms_compared(report):
    # issue 14: the report opens with a comparison of the arms, quoting the same numbers as
    # the Kaplan-Meier and cure sections (one computation, formatted)
    data, rep = report
    doc = rep.to_dict()
    first = doc["overview"]["sentences"][0]
    (hr,) = rm.summarize(data).to_dict()["hazard_ratios"]["contrasts"]
    assert first.startswith("Arms compared: type = 2 vs type = 1: hazard ratio "
                            f"{hr['estimate']:.2f} ({hr['lower']:.2f} to {hr['upper']:.2f})")
    (c,) = [x for x in doc["cure"]["contrasts"] if x["kind"] == "mixture"]
    d = c["cure_fraction_difference"]
    assert f"{100 * d['estimate']:.1f}% ({100 * d['lower']:.1f}% to " in first
    assert "log-rank p = " in first
    assert "Arms compared" in rep.to_html().split("</ul>")[0]


def test_ungrouped_report_has_no_arms_sentence(fast_cartitude):
    rep = fast_cartitude  # CARTITUDE-1, one arm (FAST): tests/report/conftest.py
    assert not any(s.startswith("Arms compared")
                   for s in rep.to_dict()["overview"]["sentences"])
