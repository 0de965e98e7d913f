"""analyze(): sections, JSON results in the SPEC shapes, missing features left out."""
import json

import numpy as np
import pytest

import remission as rm
from remission.report import compute

from .helpers import FAST, bundled


@pytest.fixture(scope="module")
def cartitude(fast_cartitude):
    return fast_cartitude  # analyze(the bundled CSV file, **FAST): tests/report/conftest.py


@pytest.fixture(scope="module")
def alloauto(fast_alloauto_by_type):
    return fast_alloauto_by_type[1]  # grouped by type, months, FAST: tests/report/conftest.py


@pytest.fixture(scope="module")
def no_cure(tmp_path_factory):
    """cures=() with a 10% yearly dropout: one analysis for test_no_cure_models_when_asked
    (the dropout reaches only the plan) and test_dropout_reaches_the_plan."""
    p = bundled("cartitude1-pfs-approx.csv.gz",
                tmp_path_factory.mktemp("d") / "cartitude1-pfs-approx.csv")
    return p, rm.analyze(p, **{**FAST, "cures": (), "dropout": 0.1})


def test_all_sections_on_bundled_reconstruction(cartitude):
    assert cartitude.section_ids == ["overview", "data", "km", "models", "hta", "cure",
                                     "evidence"]
    doc = cartitude.to_dict()
    json.dumps(doc, allow_nan=False)  # strict JSON: no NaN/Infinity
    # provenance: recognised as the bundled reconstruction, unit taken from its provenance
    assert doc["time_unit"] == "months"
    assert doc["data"]["reconstruction"]["dataset"] == "cartitude1-pfs-approx"
    assert len(doc["data"]["reconstruction"]["landmarks"]) >= 5
    assert doc["data"]["n"] == 97 and doc["data"]["events"] == 65


def test_summary_matches_kaplan_meier(cartitude):
    s = cartitude.to_dict()["km"]["summary"]
    for key in ("n", "events", "groups", "median_followup", "logrank"):
        assert key in s
    g = s["groups"][0]
    for key in ("group", "n", "events", "median", "landmarks", "rmst", "curve"):
        assert key in g
    km = rm.kaplan_meier(rm.read_survival(cartitude.context.options.source))
    assert g["median"]["estimate"] == km.median().estimate
    # KMunicate table: at risk at 0 is n; cumulative events never decrease
    rt = cartitude.to_dict()["km"]["risk_table"]["groups"]["all"]
    assert rt["at_risk"][0] == 97 and np.all(np.diff(rt["events"]) >= 0)
    assert rt["events"][-1] + rt["censored"][-1] + rt["at_risk"][-1] <= 97


def test_compare_rows_agree_with_the_public_compare(cartitude):
    from remission.models.compare import compare_models

    mine = cartitude.to_dict()["models"]["cohorts"][0]["compare"]
    ref = compare_models(cartitude.context.data, ["exponential", "weibull"], ["none", "mixture"],
                         horizon=mine["horizon"])
    by = {(m["dist"], m["cure"]): m for m in ref["models"]}
    for m in mine["models"]:
        if m["cure"] == "non-mixture":
            continue
        r = by[(m["dist"], m["cure"])]
        for key in ("loglik", "aic", "bic", "survival_at_horizon", "rmst_at_horizon"):
            # same fits through the same API: equal up to optimiser round-off
            assert m[key] == pytest.approx(r[key], rel=1e-6), key
    assert [m["aic"] for m in mine["models"]] == sorted(m["aic"] for m in mine["models"])


def test_cure_fractions_side_by_side(cartitude):
    c = cartitude.to_dict()["cure"]["cohorts"][0]
    npc = c["nonparametric"]
    assert npc["estimate"] == pytest.approx(32 / 97)  # KM at the last event (no early censoring)
    for kind in ("mixture", "non-mixture"):
        v = c[kind]
        assert 0 <= v["lower"] <= v["estimate"] <= v["upper"] <= 1
        pc = c[f"probability_cured_{kind}"]
        assert pc[0]["estimate"] == pytest.approx(v["estimate"], rel=1e-6)  # pi / S(0) = pi
        est = [r["estimate"] for r in pc]
        assert np.all(np.diff(est) >= -1e-12)  # pi / S(t) rises with t


def test_evidence_and_plan_in_spec_shape(cartitude):
    ev = cartitude.to_dict()["evidence"]["cohorts"][0]
    for key in ("presence", "sufficient_followup", "tail", "verdict"):
        assert key in ev["cure_test"]
    rows = ev["plan"]["rows"]
    assert rows and all({"extra_followup", "p_sufficient", "p_presence", "ci_width"} <= set(r)
                        for r in rows)
    assert [r["extra_followup"] for r in rows] == [6.0, 12.0, 24.0, 36.0]  # 0.5-3 years


def test_reproducible(cartitude):
    again = rm.analyze(cartitude.context.options.source, **FAST)
    a, b = cartitude.to_dict(), again.to_dict()
    for d in (a, b):
        d.pop("generated"), d.pop("timings"), d.pop("seconds")
    assert a == b


def test_groups_analysed_separately(alloauto):
    doc = alloauto.to_dict()
    assert [c["cohort"] for c in doc["models"]["cohorts"]] == ["1", "2"]
    assert doc["km"]["summary"]["logrank"]["p"] is not None
    assert [c["cohort"] for c in doc["evidence"]["cohorts"]] == ["1", "2"]
    assert set(doc["km"]["risk_table"]["groups"]) == {"1", "2"}


def test_no_cure_models_when_asked(no_cure):
    """cures=() (the CLI's --cure none): no cure rows in the comparison, and the cure section
    keeps only the nonparametric plateau estimate, with NA where the models would be."""
    _, rep = no_cure
    doc = rep.to_dict()
    rows = doc["models"]["cohorts"][0]["compare"]["models"]
    assert rows and all(m["cure"] is None for m in rows)
    cure = doc["cure"]["cohorts"][0]
    assert "mixture" not in cure and "non-mixture" not in cure
    assert 0 < cure["nonparametric"]["estimate"] < 1
    assert "evidence" in rep.section_ids


def test_background_mortality(tmp_path):
    p = bundled("cartitude1-pfs-approx.csv.gz", tmp_path / "cartitude1-pfs-approx.csv")
    rep = rm.analyze(p, age=61, sex="male", year=2018, **FAST)
    m = rep.to_dict()["models"]
    ex = m["cohorts"][0]["extrapolation"]
    assert m["background"] and ex
    for doc in ex.values():
        for pt in doc["curve"]:
            # the population hazard is a floor: survival never above the model alone nor
            # above the matched general population
            assert pt["survival"] <= pt["model_survival"] + 1e-9
            assert pt["survival"] <= pt["expected_survival"] + 1e-9
    assert "general-population mortality" not in rep.to_dict()["not_included"]


def test_progress_flag_reaches_the_long_steps(tmp_path, monkeypatch):
    """`progress=True` (the CLI without --quiet, on a terminal) turns on the rich bars of the
    simulation steps; `progress=False` (--quiet) turns them off."""
    import remission.evidence as cure_mod

    seen = {}
    real_test, real_plan = cure_mod.cure_test, cure_mod.plan_followup

    def spy(name, real):
        def f(*a, **k):
            seen[name] = k.get("progress")
            return real(*a, **k)
        return f

    monkeypatch.setattr(cure_mod, "cure_test", spy("cure_test", real_test), raising=False)
    monkeypatch.setattr(cure_mod, "plan_followup", spy("plan", real_plan), raising=False)
    data = rm.read_survival(bundled("alloauto.csv.gz", tmp_path / "a.csv"), time_unit="months")
    for flag in (True, False):
        seen.clear()
        rm.analyze(data, progress=flag, **FAST)
        assert seen == {"cure_test": flag, "plan": flag}


def test_background_from_a_fraction_of_men_or_a_published_baseline():
    from remission.report.build import bundled_provenance
    from remission.report.context import Context, Options

    d = rm.load_example("cartitude1-pfs-approx")
    ctx = Context(d, Options(age=61, sex=0.59, year=2010))
    bg = compute.background(ctx, ctx.cohorts[0])
    assert list(bg.sex).count("male") == round(0.59 * 97) and bg.n == 97
    # a provenance with the trial's published baseline supplies the defaults, with a note
    prov = {**bundled_provenance("cartitude1-pfs-approx"),
            "cohort": {"age": 61, "male_fraction": 0.59, "year": 2010, "source": "Berdeja 2021"}}
    ctx = Context(d, Options(provenance=prov))
    bg2 = compute.background(ctx, ctx.cohorts[0])
    assert np.array_equal(bg2.sex, bg.sex) and np.allclose(bg2.age, 61)
    assert any("Berdeja 2021" in n for n in ctx.notes)


def test_dropout_reaches_the_plan(no_cure):
    """--dropout is the planning's yearly loss to follow-up; without a time unit it is an
    error at once (not a note in the report)."""
    from remission.errors import OptionError

    p, rep = no_cure
    plan = rep.to_dict()["evidence"]["cohorts"][0]["plan"]
    assert plan["dropout_per_year"] == 0.1 and "10% lost" in plan["method"]["censoring"]
    data = rm.read_survival(str(p))
    with pytest.raises(OptionError, match="time unit"):
        rm.analyze(rm.SurvivalData.from_arrays(data.time, data.event), dropout=0.1, **FAST)
