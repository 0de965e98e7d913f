"""The report's follow-up plan: how much longer, first in the overview, the power curves
against extra follow-up with the target line, and one computation of the cure evidence shared
by the evidence section, the plan and ``cure-test``."""
import pytest

import remission as rm

# enough models for two plausible cure models on CARTITUDE-1, few trials: a second or so
CFG = dict(dists=("exponential", "weibull"), cure_dists=("exponential", "weibull"), reps=50,
           sims=30, null_reps=100)


def _p_values(doc):
    return {k: v["p_value"] for k, v in doc.items() if isinstance(v, dict) and "p_value" in v}


@pytest.fixture(scope="module")
def cartitude():
    return rm.analyze(rm.load_example("cartitude1-pfs-approx"), **CFG)


def test_overview_starts_with_how_much_longer_under_each_model(cartitude):
    lines = cartitude.to_dict()["overview"]["sentences"]
    nd = cartitude.section("evidence").data["cohorts"][0]["plan"]["needed"]
    first = lines[0]
    assert first.startswith("How much longer?") and "more months" in first
    assert nd["sentence"] in first
    assert len(nd["scenarios"]) >= 3  # two cure models within 2 AIC here, and no cure
    for s in nd["scenarios"]:
        assert s["model"] in first, s["model"]
    assert "if there is no cure, the chance of wrongly concluding one is" in first


def test_power_curves_with_the_target_line_for_each_scenario(cartitude):
    sec = cartitude.section("evidence")
    nd = sec.data["cohorts"][0]["plan"]["needed"]
    fig = sec.figures["fig-needed-0"]
    traces = fig["data"]
    assert len(traces) == 2 * len(nd["scenarios"]) + 1
    for s in nd["scenarios"]:
        mine = [t for t in traces if t.get("legendgroup") == s["model"]]
        assert len(mine) == 2
        for t in mine:
            assert t["x"] == s["curve"]["extra_followup"]
            assert all(b >= a for a, b in zip(t["y"], t["y"][1:]))  # isotonic: monotone
    target = traces[-1]
    assert target["y"] == [0.8, 0.8] and target["x"] == [0, nd["cap"]]
    assert "fig-needed-0" in cartitude.to_html()
    assert "How much longer?" in sec.html


def test_one_computation_for_the_evidence_section_and_the_plan(cartitude):
    c = cartitude.section("evidence").data["cohorts"][0]
    ct = _p_values(c["cure_test"])
    assert c["plan"]["current"]["p_values"] == ct
    direct = rm.cure_test(rm.load_example("cartitude1-pfs-approx"), reps=50, seed=1)
    assert _p_values(direct.to_dict()) == ct  # and cure-test's own numbers, digit for digit


def test_grouped_report_quotes_cure_test_per_group():
    data = rm.load_example("alloauto")
    rep = rm.analyze(data, **{**CFG, "dists": ("weibull",), "cure_dists": ("weibull",),
                              "cures": ("mixture",), "sims": 20})
    groups = rm.cure_test_groups(data, reps=50, seed=1)
    cohorts = rep.section("evidence").data["cohorts"]
    assert [c["cohort"] for c in cohorts] == ["1", "2"]
    for c in cohorts:
        assert _p_values(c["cure_test"]) == _p_values(groups[c["cohort"]].to_dict())
        assert c["plan"]["current"]["p_values"] == _p_values(c["cure_test"])
