"""Follow-up planning: monotonicity, common random numbers, reproducibility, and the
vectorised pipeline against the one-sample functions."""
import numpy as np
import pytest

from remission.evidence.maller_zhou import sufficient_followup_mz
from remission.evidence.plan import dropout_hazard, isotonic_increasing, plan_followup
from remission.evidence.simulate import CensoringPattern, CureModel, PotentialFollowup, observe
from remission.data import SurvivalData
from remission.evidence.tail import tail_facts
from remission.parallel import task_seeds

from .conftest_data import cure_data

T, E = cure_data(21, n=80, cure=0.3, shape=1.0, scale=15.0, c_lo=10.0, c_hi=30.0)


@pytest.fixture(scope="module")
def plan():
    return plan_followup(T, E, extra_followup=(24, 6, 12, 48), sims=400, seed=5,
                         null_reps=300, scheduler="sync")


def test_rows_sorted_and_monotone(plan):
    d = plan.to_dict()
    ms = [r["extra_followup"] for r in d["rows"]]
    assert ms == [6, 12, 24, 48]
    for key in ("p_sufficient", "p_presence", "p_sufficient_yuen_musta"):
        v = [r[key] for r in d["rows"]]
        assert all(b >= a for a, b in zip(v, v[1:])), key
        assert all(0 <= x <= 1 for x in v)
    assert set(d) >= {"rows", "verdict"}
    assert set(d["rows"][0]) >= {"extra_followup", "p_sufficient", "p_presence", "ci_width"}
    assert "follow-up" in d["verdict"]


def test_isotonic_fit():
    np.testing.assert_allclose(isotonic_increasing([0.5, 0.4, 0.3, 0.9]), [0.4, 0.4, 0.4, 0.9])
    np.testing.assert_allclose(isotonic_increasing([0.1, 0.2]), [0.1, 0.2])  # unchanged


def test_common_random_numbers_across_grids(plan):
    # trial i uses the same draws whatever the grid: the raw frequency at M = 12 is the same
    # when planned alone
    other = plan_followup(T, E, extra_followup=(12,), sims=400, seed=5, null_reps=300,
                          scheduler="sync")
    j = list(plan.extra_followup).index(12)
    assert other.p_sufficient_raw[0] == plan.p_sufficient_raw[j]
    assert other.p_presence_raw[0] == plan.p_presence_raw[j]
    assert other.ci_width[0] == plan.ci_width[j]


def test_reproducible_for_any_scheduler_and_chunking(plan):
    a = plan_followup(T, E, extra_followup=(6, 12, 24, 48), sims=400, seed=5, null_reps=300,
                      scheduler="threads", n_workers=2, chunk_size=64)
    np.testing.assert_array_equal(a.p_sufficient_raw, plan.p_sufficient_raw)
    np.testing.assert_array_equal(a.p_presence_raw, plan.p_presence_raw)
    np.testing.assert_array_equal(a.p_sufficient_ym_raw, plan.p_sufficient_ym_raw)
    np.testing.assert_array_equal(a.ci_width, plan.ci_width)


def test_vectorised_pipeline_matches_one_sample_functions():
    # re-simulate the first 30 trials by hand from the same task seeds and apply the
    # one-sample Maller-Zhou functions
    model = CureModel(0.3, 1.0, 15.0)
    res = plan_followup(T, E, extra_followup=(10,), sims=30, seed=8, null_reps=200,
                        scheduler="sync", model=model)
    pattern = CensoringPattern.from_data(T, E)
    rej, widths = [], []
    for s in task_seeds(8, 30):
        u = np.random.default_rng(s).random((3, T.size))
        t, e = observe(model.event_times(u[0], u[1]), pattern.draw(u[2]) + 10)
        rej.append(sufficient_followup_mz(t, e).alpha_n <= 0.05)
        tf = tail_facts(t, e)
        widths.append(tf.upper - tf.lower if tf.survival_at_plateau > 0 else 0.0)
    assert res.meta["p_sufficient_alpha_n_raw"][0] == pytest.approx(np.mean(rej), abs=1e-12)
    assert res.ci_width[0] == pytest.approx(np.mean(widths), rel=1e-10)


def test_long_followup_of_a_finished_latency_shows_sufficiency():
    # latency essentially over by 40 (Weibull shape 2, scale 8); 60 more units: both tests
    # should almost surely reject
    model = CureModel(0.4, 2.0, 8.0)
    r = plan_followup(T, E, extra_followup=(60,), sims=200, seed=3, null_reps=300,
                      scheduler="sync", model=model)
    # 200 trials: Monte Carlo SE <= 0.016; observed 0.945 and 0.995
    assert r.p_sufficient[0] > 0.9 and r.p_presence[0] > 0.95
    assert "80%" not in r.verdict and "with 60 more" in r.verdict


def test_existing_dask_cluster_gives_the_same_numbers(plan):
    # an existing scheduler, addressed as with --scheduler ADDRESS, with two workers
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster:
        a = plan_followup(T, E, extra_followup=(6, 12, 24, 48), sims=400, seed=5,
                          null_reps=300, scheduler=cluster.scheduler_address, chunk_size=100)
    np.testing.assert_array_equal(a.p_sufficient_raw, plan.p_sufficient_raw)
    np.testing.assert_array_equal(a.p_presence_raw, plan.p_presence_raw)
    np.testing.assert_array_equal(a.ci_width, plan.ci_width)


def test_batched_yuen_musta_matches_hull_and_one_sample_test():
    from remission.evidence.followup_tests import brownian_lcm_slope_sf, yuen_musta_test
    from remission.evidence.plan import _ym_reject, ym_reject_batch
    from scipy.optimize import brentq

    x_alpha = brentq(lambda x: brownian_lcm_slope_sf(x) - 0.05, 1e-6, 10.0, xtol=1e-12)
    rng = np.random.default_rng(17)
    b, n = 120, 60
    t_ev = np.where(rng.random((b, n)) < 0.3, np.inf, rng.weibull(1.0, (b, n)) * 12)
    c = rng.uniform(5, 30, (b, n))
    t, e = np.minimum(t_ev, c), t_ev <= c
    batch = ym_reject_batch(t, e, x_alpha, 0.01)
    hull = [_ym_reject(t[i], e[i], x_alpha, 0.01) for i in range(b)]
    single = [yuen_musta_test(t[i], e[i]).p_value <= 0.05 for i in range(b)]
    assert batch.tolist() == hull == single
    assert 0 < batch.mean() < 1  # both outcomes occur, so the comparison has teeth


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
    model = CureModel(0.3, 1.0, 15.0)
    data = SurvivalData.from_arrays(T, E, time_unit="months")
    res = plan_followup(data, extra_followup=(10,), sims=30, seed=8, null_reps=200,
                        scheduler="sync", model=model, dropout=0.3)
    rate = -np.log(0.7) / 12
    pattern = CensoringPattern.from_data(T, E)
    rej, widths, lost_share = [], [], []
    for s in task_seeds(8, 30):
        g = np.random.default_rng(s)
        u = g.random((3, T.size))
        lost = -np.log1p(-g.random(T.size)) / rate
        t, e = observe(model.event_times(u[0], u[1]), pattern.draw(u[2]) + np.minimum(10, lost))
        rej.append(sufficient_followup_mz(t, e).alpha_n <= 0.05)
        tf = tail_facts(t, e)
        widths.append(tf.upper - tf.lower if tf.survival_at_plateau > 0 else 0.0)
        lost_share.append(np.mean(lost < 10))
    assert res.meta["p_sufficient_alpha_n_raw"][0] == pytest.approx(np.mean(rej), abs=1e-12)
    assert res.ci_width[0] == pytest.approx(np.mean(widths), rel=1e-10)
    # known truth: P(lost within 10 months) = 1 - 0.7^(10/12) = 0.257; 30 x 80 patients give
    # a binomial SE of 0.009, so 0.03 is more than 3 SE
    assert np.mean(lost_share) == pytest.approx(1 - 0.7 ** (10 / 12), abs=0.03)
    assert "lost to follow-up" in res.to_dict()["method"]["censoring"]
    assert "lost to follow-up" in res.to_text()


def test_dropout_widens_the_expected_cure_interval():
    """Patients lost during the extra follow-up leave fewer at risk on the plateau, so the
    expected width of the cure-fraction interval shrinks less with M (400 trials with common
    random numbers; at M = 48 the widths are 0.20 without and 0.30 with half of the patients
    lost per year, about 17 paired Monte Carlo SEs apart)."""
    data = SurvivalData.from_arrays(T, E, time_unit="months")
    kw = dict(extra_followup=(12, 48), sims=400, seed=5, null_reps=300, scheduler="sync")
    full = plan_followup(data, **kw)
    lossy = plan_followup(data, dropout=0.5, **kw)
    assert np.all(lossy.ci_width > full.ci_width)
    assert lossy.ci_width[-1] > full.ci_width[-1] + 0.05
    for key in ("p_sufficient", "p_presence", "p_sufficient_ym"):
        assert np.all(np.diff(getattr(lossy, key)) >= 0), key
    assert lossy.meta["dropout_per_year"] == 0.5 and full.meta["dropout_per_year"] == 0.0
