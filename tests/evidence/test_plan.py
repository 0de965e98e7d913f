"""Follow-up planning: monotonicity, common random numbers, reproducibility, the vectorised
pipeline against one-sample functions, and the search for the needed extra follow-up against
a brute-force grid (known truth)."""
import numpy as np
import pytest

from remission.data import SurvivalData
from remission.evidence.plan import plan_followup
from remission.evidence.plan_scenarios import Scenario, TabulatedModel
from remission.evidence.plan_search import search
from remission.evidence.plan_sim import dropout_hazard, isotonic_increasing
from remission.evidence.simulate import CensoringPattern, CureModel, PotentialFollowup, observe
from remission.parallel import task_seeds

from .conftest_data import cure_data

T, E = cure_data(21, n=80, cure=0.3, shape=1.0, scale=15.0, c_lo=10.0, c_hi=30.0)
# the rows only (no search): the table's machinery
ROWS = dict(sims=300, seed=5, null_reps=200, reps=99, scheduler="sync", search=False)


@pytest.fixture(scope="module")
def plan():
    return plan_followup(T, E, extra_followup=(24, 6, 12, 48), **ROWS)


def test_rows_sorted_and_monotone(plan):
    d = plan.to_dict()
    ms = [r["extra_followup"] for r in d["rows"]]
    assert ms == [6, 12, 24, 48]
    for key in ("p_sufficient", "p_presence", "p_supported"):
        v = [r[key] for r in d["rows"]]
        assert all(b >= a for a, b in zip(v, v[1:])), key
        assert all(0 <= x <= 1 for x in v)
    assert set(d) >= {"rows", "verdict", "needed"} and d["needed"] is None
    assert set(d["rows"][0]) >= {"extra_followup", "p_sufficient", "p_presence", "ci_width"}
    assert "follow-up" in d["verdict"]


def test_isotonic_fit():
    np.testing.assert_allclose(isotonic_increasing([0.5, 0.4, 0.3, 0.9]), [0.4, 0.4, 0.4, 0.9])
    np.testing.assert_allclose(isotonic_increasing([0.1, 0.2]), [0.1, 0.2])  # unchanged


def test_common_random_numbers_across_grids(plan):
    # trial i uses the same draws whatever the grid: the raw frequency at M = 12 is the same
    # when planned alone
    other = plan_followup(T, E, extra_followup=(12,), **ROWS)
    j = list(plan.extra_followup).index(12)
    assert other.p_sufficient_raw[0] == plan.p_sufficient_raw[j]
    assert other.p_presence_raw[0] == plan.p_presence_raw[j]
    assert other.ci_width[0] == plan.ci_width[j]


def test_reproducible_for_any_scheduler_and_chunking(plan):
    a = plan_followup(T, E, extra_followup=(6, 12, 24, 48), chunk_size=64,
                      **{**ROWS, "scheduler": "threads"}, n_workers=2)
    np.testing.assert_array_equal(a.p_sufficient_raw, plan.p_sufficient_raw)
    np.testing.assert_array_equal(a.p_presence_raw, plan.p_presence_raw)
    np.testing.assert_array_equal(a.ci_width, plan.ci_width)


def test_vectorised_pipeline_matches_a_hand_simulation():
    """Re-simulate the first 30 trials by hand from the same task seeds and decide each with
    the batched governing tests against the same calibration: identical frequencies."""
    from remission.evidence.decide import calibrate, decide_batch
    from remission.evidence.tail import tail_facts

    model = CureModel(0.3, 1.0, 15.0)
    res = plan_followup(T, E, extra_followup=(10,), model=model,
                        **{**ROWS, "sims": 30, "seed": 8})
    cal = calibrate(T, E, extra_followup=10.0, reps=200, seed=8, generating=model)
    pattern = CensoringPattern.from_data(T, E)
    pres, fu, widths = [], [], []
    for s in task_seeds(8, 30):
        u = np.random.default_rng(s).random((3, T.size))
        t, e = observe(model.event_times(u[0], u[1]), pattern.draw(u[2]) + 10)
        d = decide_batch(t[None], e[None], cal)
        pres.append(d.presence[0])
        fu.append(d.followup[0])
        tf = tail_facts(t, e)
        widths.append(tf.upper - tf.lower if tf.survival_at_plateau > 0 else 0.0)
    assert res.p_presence_raw[0] == pytest.approx(np.mean(pres), abs=1e-12)
    assert res.p_sufficient_raw[0] == pytest.approx(np.mean(fu), abs=1e-12)
    # the batched width against the one-sample Kaplan-Meier interval (same formula)
    assert res.ci_width[0] == pytest.approx(np.mean(widths), rel=1e-10)


def test_existing_dask_cluster_gives_the_same_numbers(plan):
    # an existing scheduler, addressed as with --scheduler ADDRESS, with two workers
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster:
        a = plan_followup(T, E, extra_followup=(6, 12, 24, 48), chunk_size=100,
                          **{**ROWS, "scheduler": cluster.scheduler_address})
    np.testing.assert_array_equal(a.p_sufficient_raw, plan.p_sufficient_raw)
    np.testing.assert_array_equal(a.p_presence_raw, plan.p_presence_raw)
    np.testing.assert_array_equal(a.ci_width, plan.ci_width)


# ---------------------------------------------------------------------- the search
def test_search_finds_an_analytic_crossing_within_its_resolution():
    """A known power curve 1 - exp(-M / s): the crossing of 0.8 is s log 5; the search returns
    the first grid point at or after it, so needed - h < truth <= needed."""
    for s, cap, levels in ((50.0, 240.0, 5), (7.0, 100.0, 3), (300.0, 240.0, 5)):
        f = lambda jobs: {(i, m): {"x": 1 - np.exp(-m / s)}  # noqa: E731
                          for i in jobs for m in jobs[i]}
        needed, pts = search(f, 1, cap, 0.8, levels=levels, outcomes=("x",))
        truth, h = s * np.log(5), cap / (8 * 2 ** levels)
        if truth > cap:
            assert needed[0]["x"] is None
        else:
            assert needed[0]["x"] - h < truth <= needed[0]["x"]
            # bisection, not the whole grid: coarse 9 points plus one per level
            assert len(pts[0]) <= 9 + levels


def test_tabulated_model_draws_match_the_closed_form():
    """Any fitted model is simulated by inverting its tabulated latency; for a Weibull
    mixture the draws agree with the closed-form inverse of CureModel to the grid's
    interpolation error (8,001 points on [0, 400]: steps of 0.05; error well below 0.01)."""
    cm = CureModel(0.3, 1.3, 20.0)
    tab = TabulatedModel.from_survival(cm.survival, 0.3, 400.0)
    u = np.random.default_rng(3).random((2, 5000))
    a, b = cm.event_times(u[0], u[1]), tab.event_times(u[0], u[1])
    inside = np.isfinite(a) & (a < 400)
    assert np.array_equal(np.isinf(a[~inside]) | (a[~inside] >= 400), np.isinf(b[~inside]))
    np.testing.assert_allclose(b[inside], a[inside], atol=0.01)


@pytest.fixture(scope="module")
def searched():
    """A search under two known models (no fitting): a Weibull mixture cure and no cure."""
    data = SurvivalData.from_arrays(T, E, time_unit="months")
    horizon = 1.01 * (T.max() + 120)
    sc = [Scenario("weibull mixture cure", "cure",
                   TabulatedModel.from_survival(CureModel(0.3, 1.0, 15.0).survival, 0.3,
                                                horizon)),
          Scenario("no cure (weibull)", "no cure",
                   TabulatedModel.from_survival(CureModel(0.0, 1.0, 25.0).survival, 0.0,
                                                horizon))]
    kw = dict(extra_followup=(12,), sims=200, seed=4, null_reps=150, reps=99,
              scheduler="sync", cap=120.0, scenarios=sc, levels=2)
    return data, kw, plan_followup(data, **kw)


def test_search_matches_a_brute_force_grid(searched):
    """Known truth by brute force: the same simulated power on EVERY point of the search's
    grid (common random numbers: the same trials), then the first point of the isotonic fit
    reaching the target.  The bisection must land on the same point (resolution 120 / 32)."""
    from remission.evidence.plan_search import PowerEngine, first_crossing

    data, kw, res = searched
    nd = res.needed
    h = nd["resolution"]
    assert h == pytest.approx(120 / 32)
    grid = [120 * k / 32 for k in range(33)]
    pattern = CensoringPattern.from_data(T, E)
    eng = PowerEngine(T, E, pattern, sims=200, seed=4, reps=150, eps=0.01, alpha=0.05)
    models = {0: kw["scenarios"][0].model}
    full = eng.evaluate(models, {0: grid})
    for col, key in ((0, "presence"), (1, "sufficient_followup")):
        raw = [full[(0, m)][col] for m in grid]
        b = first_crossing(grid, raw, 0.8)
        brute = None if b is None else grid[b]
        got = nd["scenarios"][0][key]
        if brute is None:
            assert got is None, key
        else:
            assert got is not None and abs(got - brute) <= h + 1e-9, (key, got, brute)
    # the curve the report draws holds exactly the evaluated points of the search
    curve = nd["scenarios"][0]["curve"]
    for m, p in zip(curve["extra_followup"], curve["p_presence_raw"]):
        assert p == full[(0, m)][0]


def test_needed_document_and_sentence(searched):
    _, _, res = searched
    nd = res.to_dict()["needed"]
    assert set(nd) >= {"target", "sufficient_followup", "presence", "cap", "scenarios"}
    assert nd["target"] == 0.8 and nd["cap"] == 120
    assert [s["model"] for s in nd["scenarios"]] == ["weibull mixture cure", "no cure (weibull)"]
    for s in nd["scenarios"]:
        assert set(s) >= {"model", "sufficient_followup", "presence"}
    assert nd["sufficient_followup"] == nd["scenarios"][0]["sufficient_followup"]
    # the no-cure scenario: a wrong "supported" is rare (the rule's level is 0.05 per test)
    assert 0 <= nd["no_cure"]["p_false_cure"] <= 0.05
    assert "if there is no cure, the chance of wrongly concluding one is" in nd["sentence"]
    assert nd["sentence"] in res.verdict


# ---------------------------------------------------------------------- loss to follow-up
def test_dropout_hazard_is_the_yearly_fraction():
    for unit, per_year in (("months", 12), ("days", 365.25), ("years", 1), ("weeks", 365.25 / 7)):
        h = dropout_hazard(0.1, unit)
        assert 1 - np.exp(-h * per_year) == pytest.approx(0.1, rel=1e-12)
    assert dropout_hazard(0, None) == 0.0


def test_potential_followup_extension():
    fu = PotentialFollowup(np.array([5.0, 5.0, 5.0]), np.array([1.0, 10.0, np.inf]))
    np.testing.assert_array_equal(fu.at(0), [5, 5, 5])
    np.testing.assert_array_equal(fu.at(6), [6, 11, 11])
    np.testing.assert_array_equal(PotentialFollowup(np.array([2.0])).at(3), [5.0])


def test_vectorised_pipeline_with_dropout_matches_a_hand_simulation():
    """With drop-out each trial draws one more uniform per patient after the three of the
    administrative plan (whose numbers are therefore unchanged): the extension is min(M, L),
    L = -log(1 - v) / hazard."""
    from remission.evidence.tail import tail_facts

    model = CureModel(0.3, 1.0, 15.0)
    data = SurvivalData.from_arrays(T, E, time_unit="months")
    res = plan_followup(data, extra_followup=(10,), model=model, dropout=0.3,
                        **{**ROWS, "sims": 30, "seed": 8})
    rate = -np.log(0.7) / 12
    pattern = CensoringPattern.from_data(T, E)
    widths, lost_share = [], []
    for s in task_seeds(8, 30):
        g = np.random.default_rng(s)
        u = g.random((3, T.size))
        lost = -np.log1p(-g.random(T.size)) / rate
        t, e = observe(model.event_times(u[0], u[1]), pattern.draw(u[2]) + np.minimum(10, lost))
        tf = tail_facts(t, e)
        widths.append(tf.upper - tf.lower if tf.survival_at_plateau > 0 else 0.0)
        lost_share.append(np.mean(lost < 10))
    assert res.ci_width[0] == pytest.approx(np.mean(widths), rel=1e-10)
    # known truth: P(lost within 10 months) = 1 - 0.7^(10/12) = 0.257; 30 x 80 patients give
    # a binomial SE of 0.009, so 0.03 is more than 3 SE
    assert np.mean(lost_share) == pytest.approx(1 - 0.7 ** (10 / 12), abs=0.03)
    assert "lost to follow-up" in res.to_dict()["method"]["censoring"]
    assert "lost to follow-up" in res.to_text()


def test_dropout_widens_the_expected_cure_interval():
    """Patients lost during the extra follow-up leave fewer at risk on the plateau, so the
    expected width of the cure-fraction interval shrinks less with M (300 trials with common
    random numbers; at M = 48 the widths differ by many paired Monte Carlo SEs)."""
    data = SurvivalData.from_arrays(T, E, time_unit="months")
    full = plan_followup(data, extra_followup=(12, 48), **ROWS)
    lossy = plan_followup(data, extra_followup=(12, 48), dropout=0.5, **ROWS)
    assert np.all(lossy.ci_width > full.ci_width)
    assert lossy.ci_width[-1] > full.ci_width[-1] + 0.05
    for key in ("p_sufficient", "p_presence", "p_supported"):
        assert np.all(np.diff(getattr(lossy, key)) >= 0), key
    assert lossy.meta["dropout_per_year"] == 0.5 and full.meta["dropout_per_year"] == 0.0


# ---------------------------------------------------------------------- options
@pytest.mark.parametrize("kw, msg", [
    ({"target": float("nan")}, "--target"), ({"target": 0.0}, "--target"),
    ({"target": 1.5}, "--target"), ({"cap": float("nan")}, "--cap"), ({"cap": -5.0}, "--cap"),
    ({"cap": 1e9}, "--cap"),
])
def test_bad_target_and_cap_are_refused(kw, msg):
    from remission.errors import OptionError

    data = SurvivalData.from_arrays(T, E, time_unit="months")
    with pytest.raises(OptionError, match=msg):
        plan_followup(data, **{**ROWS, "sims": 5}, **kw)


def test_default_cap_is_twenty_years_in_the_data_unit():
    from remission.evidence.plan import check_cap

    assert check_cap(None, "months", 50.0) == pytest.approx(240.0)
    assert check_cap(None, "days", 50.0) == pytest.approx(20 * 365.25)
    assert check_cap(None, None, 50.0) == pytest.approx(250.0)  # 5 x longest follow-up


def test_evidence_of_other_data_is_refused():
    from remission.errors import OptionError
    from remission.evidence import cure_test

    t2, e2 = cure_data(3, n=50)
    with pytest.raises(OptionError, match="evidence"):
        plan_followup(T, E, evidence=cure_test(t2, e2, reps=20), **{**ROWS, "sims": 5})


def test_search_on_a_dask_scheduler_gives_the_same_answer(searched):
    """The search's passes on Dask (a threaded local cluster, started once for every pass)
    give the numbers of the in-process run, bit for bit."""
    data, kw, res = searched
    other = plan_followup(data, **{**kw, "scheduler": "threads"}, n_workers=2, chunk_size=64)
    assert other.needed == res.needed
