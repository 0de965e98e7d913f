"""The report's competing-risks section (issue 18): its numbers are the `competing_risks`
block of `remission summary --event-type` (one computation), its stacked curves add to one,
and with a cause of interest it shows the fraction cured of the disease from
`fit_disease_cure` beside the endpoint's."""
import json

import numpy as np
import pytest

from remission.cli import main
from remission.data import from_dataframe
from remission.datasets import read_example
from remission.models.cure.competing import fit_disease_cure
from remission.nonparametric.summary import summarize
from remission.report import analyze
from remission.report.context import Context, Options
from remission.report.sections import competing

from .helpers import FAST

LANDMARKS = (365.0, 730.0)


def bmt_frame():
    """KMsurv bmt (bundled): relapse (d2) or death in remission (d1 without d2), 0 censored."""
    df = read_example("bmt")
    df["etype"] = np.where(df.d3 == 0, "0", np.where(df.d2 == 1, "relapse", "nrm"))
    return df


@pytest.fixture(scope="module")
def data():
    return from_dataframe(bmt_frame(), time="t2", event_type="etype", group="group",
                          time_unit="days")


@pytest.fixture(scope="module")
def report(data):
    return analyze(data, cause="relapse", landmarks=LANDMARKS, **FAST)


def test_section_numbers_are_the_summary_block(report, data):
    sec = report.section("competing")
    assert sec is not None and "competing" in report.section_ids
    want = summarize(data, times=list(LANDMARKS), tau=None, cause="relapse").to_dict()
    got = report.to_dict()["competing"]["competing_risks"]
    assert got == json.loads(json.dumps(want["competing_risks"]))  # every digit
    assert got["causes"] == ["relapse", "nrm"] and len(got["gray_test"]) == 2
    for gt in got["gray_test"]:  # Gray's test is printed
        assert f"{gt['statistic']:.2f} on {gt['df']} df" in sec.html


def test_stacked_curves_add_to_one_and_are_the_estimates(report):
    sec = report.section("competing")
    groups = [g for g in sec.data["competing_risks"]["groups"] if g["group"] != "all"]
    assert len([f for f in sec.figures if f.startswith("fig-cif-")]) == len(groups) == 3
    for i, g in enumerate(groups):
        fig = sec.figures[f"fig-cif-{i}"]
        assert {t["type"] for t in fig["data"]} == {"scatter"}  # plotly.js basic
        top = np.asarray(fig["data"][-1]["y"], float)
        # the Aalen-Johansen incidences and the event-free KM add to one exactly in exact
        # arithmetic; 1e-12 allows for the rounding of a few hundred sums of doubles
        assert np.max(np.abs(top - 1.0)) < 1e-12
        own = [np.asarray(t["customdata"], float)[1:] for t in fig["data"]]
        layers = [c["curve"]["estimate"] for c in g["cifs"]] + \
            [g["event_free"]["curve"]["estimate"]]
        for a, b in zip(own, layers):
            np.testing.assert_array_equal(a, b)
        # each layer's upper edge is the running sum of the layers below it and its own
        np.testing.assert_allclose(np.asarray(fig["data"][0]["y"], float)[1:], layers[0],
                                   rtol=0, atol=0)


def test_parametric_incidences_are_the_api_beside_aalen_johansen(report, data):
    """The parametric block of each group is fit_competing of that group with the families
    best_families picks (the same numbers), overlaid on the Aalen-Johansen steps."""
    from remission.models.competing import best_families, fit_competing

    sec = report.section("competing")
    par = sec.data["competing_parametric"]
    assert [p["cohort"] for p in par] == ["1", "2", "3"]
    sub = dict(data.by_group())["2"]
    fams = best_families(sub, FAST["dists"])
    want = fit_competing(sub, fams, cause="relapse").as_dict(
        list(LANDMARKS), par[1]["horizon"], points=120)
    assert json.loads(json.dumps(par[1]["cifs"])) == json.loads(json.dumps(want["cifs"]))
    assert [m["dist"] for m in par[1]["models"]] == [fams["relapse"], fams["nrm"]]
    assert par[1]["horizon"] > float(np.max(sub.time))          # extrapolated
    aj = [g for g in sec.data["competing_risks"]["groups"] if g["group"] == "2"][0]
    fig = sec.figures["fig-cifp-1"]
    steps = [t for t in fig["data"] if "(Aalen-Johansen)" in t.get("name", "")]
    np.testing.assert_array_equal(np.asarray(steps[0]["y"], float)[1:],
                                  aj["cifs"][0]["curve"]["estimate"])
    dashed = [t for t in fig["data"] if "(parametric)" in t.get("name", "")]
    np.testing.assert_array_equal(np.asarray(dashed[0]["y"], float),
                                  [v for v in par[1]["cifs"][0]["curve"]["estimate"]])
    assert "Parametric cause-specific hazards, extrapolated" in sec.html


def test_disease_cure_beside_the_endpoint(report, data):
    sec = report.section("competing")
    rows = sec.data["disease_cure"]
    assert [r["cohort"] for r in rows] == ["1", "2", "3"]
    sub = dict(data.by_group())["2"]
    r = rows[1]
    ref = fit_disease_cure(sub, "relapse", r["dist"]).as_dict()
    assert r["cure_fraction_disease"] == ref["cure_fraction_disease"]
    assert r["cure_fraction_endpoint"] == ref["cure_fraction_endpoint"]
    # the crude (cumulative-incidence) fraction never relapsing, Larson-Dinse, beside them
    assert r["never_crude"] == ref["never_crude"] and "Never relapse (crude)" in sec.html
    # censoring the deaths without relapse can only raise the cured fraction here
    assert r["cure_fraction_disease"]["estimate"] > r["cure_fraction_endpoint"]["estimate"]
    pct = f"{100 * r['cure_fraction_disease']['estimate']:.1f}%"
    assert "Cured of the disease (relapse)" in sec.html and pct in sec.html


def test_no_section_without_causes():
    d = from_dataframe(read_example("bmt"), time="t2", event="d3")
    assert competing.build(Context(d, Options())) is None


def test_analyze_json_equals_summary_json_to_the_last_digit(tmp_path, capsys):
    csv = tmp_path / "bmt.csv"
    bmt_frame().to_csv(csv, index=False)
    opts = ["--time", "t2", "--event-type", "etype", "--cause", "relapse"]
    js = tmp_path / "r.json"
    assert main(["analyze", str(csv), *opts, "-o", str(tmp_path / "r.html"), "--json", str(js),
                 "--landmarks", "365,730", "--dists", "weibull", "--cure-dists", "weibull",
                 "--reps", "50", "--sims", "20", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["summary", str(csv), *opts, "--times", "365,730", "--format", "json"]) == 0
    summ = json.loads(capsys.readouterr().out)["competing_risks"]
    doc = json.loads(js.read_text())
    assert doc["competing"]["competing_risks"] == summ
    assert "competing" in doc["sections"] and doc["competing"]["disease_cure"]
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "id='sec-competing'" in html and "fig-cif-0" in html
