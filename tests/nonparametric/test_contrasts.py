"""summary --group: Cox hazard ratios against R's coxph and RMST differences
(nonparametric/contrasts.py).  Reference: tests/fixtures/r_survival/*.json, key
``cox_efron`` = coxph(Surv ~ factor(group), ties = "efron") from R survival 3.5.3."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.stats import norm

from remission.data import from_dataframe
from remission.errors import OptionError
from remission.nonparametric.summary import summarize

from ..reference_cases import RTOL, load_reference, reference

GROUPED = [("lung", "time", "status", "sex"), ("veteran", "time", "status", "trt"),
           ("ovarian", "futime", "fustat", "rx"), ("alloauto", "time", "delta", "type")]


@pytest.mark.parametrize("name,tc,ec,gc", GROUPED)
def test_hazard_ratio_equals_coxph(name, tc, ec, gc):
    ref, df, _, _ = load_reference(name, tc, ec)
    s = summarize(from_dataframe(df, time=tc, event=ec, group=gc))
    hr = s.to_dict()["hazard_ratios"]
    assert hr["reference"] == s.groups[1].group and hr["ties"] == "efron"
    (c,) = hr["contrasts"]
    r = ref["cox_efron"]
    # RTOL = 1e-8 relative (the fixtures print 15+ digits; Newton converges to ~1e-10)
    assert c["coef"] == pytest.approx(r["coef"], rel=RTOL, abs=1e-10)
    assert c["se"] == pytest.approx(r["se"], rel=RTOL)
    assert hr["loglik"] == pytest.approx(r["loglik"], rel=RTOL)
    z = norm.ppf(0.975)
    assert c["estimate"] == pytest.approx(math.exp(r["coef"]), rel=RTOL)
    assert c["lower"] == pytest.approx(math.exp(r["coef"] - z * r["se"]), rel=RTOL)
    assert c["upper"] == pytest.approx(math.exp(r["coef"] + z * r["se"]), rel=RTOL)
    assert c["p"] == pytest.approx(2 * norm.sf(abs(r["coef"] / r["se"])), rel=1e-6)


def test_reference_flips_the_hazard_ratio_and_the_rmst_difference():
    ref, df, _, _ = load_reference("lung", "time", "status")
    data = from_dataframe(df, time="time", event="status", group="sex")
    a, b = summarize(data).to_dict(), summarize(data, reference="2").to_dict()
    assert b["hazard_ratios"]["reference"] == "2"
    assert b["hazard_ratios"]["contrasts"][0]["coef"] == pytest.approx(
        -ref["cox_efron"]["coef"], rel=RTOL)
    da, db = a["rmst_differences"][0], b["rmst_differences"][0]
    assert db["estimate"] == pytest.approx(-da["estimate"], rel=1e-12)
    # the difference is the groups' RMSTs (R's survmean) subtracted, the SEs added in squares
    g = {x["group"]: x["rmst"] for x in a["groups"]}
    assert da["estimate"] == pytest.approx(g["2"]["estimate"] - g["1"]["estimate"], rel=1e-12)
    se = math.hypot(g["1"]["se"], g["2"]["se"])
    assert da["upper"] - da["lower"] == pytest.approx(2 * norm.ppf(0.975) * se, rel=1e-12)
    assert da["tau"] == a["tau"]


def test_no_group_no_contrasts_and_a_group_without_events_is_said():
    _, df, _, _ = load_reference("lung", "time", "status")
    assert summarize(from_dataframe(df, time="time", event="status")).to_dict()[
        "hazard_ratios"] is None
    df = df.copy()
    df["arm"] = np.where(df["time"] > 1000, "late", df["sex"].astype(str))
    df.loc[df["arm"] == "late", "status"] = 1  # the 'late' group has no events
    d = summarize(from_dataframe(df, time="time", event="status", group="arm")).to_dict()
    assert d["hazard_ratios"] is None and "hazard ratios not computed" in d[
        "hazard_ratios_note"]


def test_stratified_hazard_ratio_equals_lifelines():
    # tests/fixtures/cox_strata: lifelines CoxPHFitter (Efron) with a tight tolerance, made by
    # make_fixture.py there; its unstratified fit equals R's coxph to 2e-9 (veteran.json), so
    # the stratified one is held to 1e-7 relative (lifelines' own convergence)
    from ..bundled import FIXTURES, frame

    ref = json.loads((FIXTURES / "cox_strata" / "veteran_trt_celltype.json").read_text())
    data = from_dataframe(frame("veteran"), time="time", event="status", group="trt",
                          covariates=["celltype"])
    hr = summarize(data, strata="celltype").to_dict()["hazard_ratios"]
    (c,) = hr["contrasts"]
    assert hr["strata"] == "celltype" and hr["n"] == 137
    assert c["coef"] == pytest.approx(ref["stratified"]["coef"], rel=1e-7)
    assert c["se"] == pytest.approx(ref["stratified"]["se"], rel=1e-7)
    assert hr["loglik"][1] == pytest.approx(ref["stratified"]["loglik"], rel=1e-9)
    r = reference("veteran")["cox_efron"]
    assert ref["unstratified"]["coef"] == pytest.approx(r["coef"], rel=1e-8)
    with pytest.raises(OptionError, match="--strata needs --group"):
        summarize(from_dataframe(frame("veteran"), time="time", event="status",
                                 covariates=["celltype"]), strata="celltype")
