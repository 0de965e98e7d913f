"""Batched decisions for planning: the same numbers as the single-data-set tests (to the last
digit, same seed streams), reproducible calibrations, and the rule applied row-wise."""
import doctest

import numpy as np
import pytest

from remission.evidence import decide
from remission.evidence.decide import calibrate, decide_batch
from remission.evidence.presence import presence_test
from remission.evidence.rule import CONCLUSIONS, conclude
from remission.evidence.yuen_musta import yuen_musta_test
from remission.nonparametric import kaplan_meier

from .conftest_data import cure_data


@pytest.fixture(scope="module")
def trials():
    rows = [cure_data(s, n=120, cure=0.35, shape=2.0, scale=8.0, c_lo=15, c_hi=40)
            for s in range(6)]
    rows += [cure_data(10 + s, n=120, cure=0.0) for s in range(2)]
    return np.stack([r[0] for r in rows]), np.stack([r[1] for r in rows])


def test_batch_equals_the_single_tests_at_today(trials):
    t, e = trials
    for i in range(t.shape[0]):
        cal = calibrate(t[i], e[i], reps=199, seed=5)
        d = decide_batch(t[i:i + 1], e[i:i + 1], cal)
        ym = yuen_musta_test(t[i], e[i], reps=199, seed=5)
        pr = presence_test(t[i], e[i], reps=199, seed=5)
        assert d.followup_p[0] == ym.p_value and d.presence_p[0] == pr.p_value
        want = conclude(pr.p_value, ym.p_value, km_reaches_zero=pr.statistic <= 0)
        assert CONCLUSIONS[d.conclusion[0]] == want
        km = kaplan_meier(t[i], e[i])
        j = np.flatnonzero(km.n_event > 0)[-1]
        assert d.cure[0] == pytest.approx(km.survival[j], rel=1e-12)
        # the width is 0 where the curve reaches 0 (the plan's convention; the interval is NaN)
        want_w = km.upper[j] - km.lower[j] if km.survival[j] > 0 else 0.0
        assert d.ci_width[0] == pytest.approx(want_w, rel=1e-9)


def test_one_calibration_serves_many_trials(trials):
    t, e = trials
    cal = calibrate(t[0], e[0], reps=199, seed=5)
    whole = decide_batch(t, e, cal)
    for i in range(t.shape[0]):
        one = decide_batch(t[i:i + 1], e[i:i + 1], cal)
        assert one.followup_p[0] == whole.followup_p[i]
        assert one.presence_p[0] == whole.presence_p[i]
    # no-cure rows are never "supported"; the cure rows mostly show a cured fraction
    assert not whole.presence[-2:].any() and whole.presence[:6].mean() >= 0.5


def test_boundary_calibration_for_extra_followup_is_reproducible(trials):
    t, e = trials
    a = calibrate(t[0], e[0], extra_followup=12.0, reps=99, seed=2)
    b = calibrate(t[0], e[0], extra_followup=12.0, reps=99, seed=2)
    assert a.world == "boundary"
    np.testing.assert_array_equal(a.followup_null, b.followup_null)
    np.testing.assert_array_equal(a.presence_null, b.presence_null)
    # followed 12 units longer, the no-cure null of KM(t_(n)) moves down (more events seen)
    today = calibrate(t[0], e[0], reps=99, seed=2)
    assert np.median(a.presence_null) < np.median(today.presence_null)
    assert a.to_dict()["followup_world"]["tau_g"] == pytest.approx(t[0].max() + 12.0)
    with pytest.raises(Exception):
        calibrate(t[0], e[0], extra_followup=12.0, world="data")


def test_docstring_examples():
    res = doctest.testmod(decide)
    assert res.attempted > 0 and res.failed == 0


def test_model_calibration_holds_the_level_at_the_boundary_and_has_power_beyond():
    # trials drawn from a model at the boundary of H0 (Weibull(1.5, 18) latency: F_u(50) =
    # 0.99, follow-up up to 50) and calibrated in that model's world: the sufficient-follow-up
    # decision rejects at most at 0.05 + 3 binomial SE (400 trials: SE 0.011); the same
    # calibration machinery followed 40 units longer shows sufficiency in most trials
    from remission.evidence.simulate import CensoringPattern, CureModel, draw_trials, observe
    from remission.parallel import make_chunks

    t, e = cure_data(21, n=150, cure=0.3, shape=1.5, scale=18.0, c_lo=30, c_hi=50)
    model = CureModel(0.3, 1.5, 18.0)
    pattern = CensoringPattern.from_data(t, e)
    t_ev, fu = draw_trials(make_chunks(400, 3, 400)[0], model, pattern, t.size)
    rates = []
    for m in (0.0, 40.0):
        cal = calibrate(t, e, extra_followup=m, reps=400, seed=4, generating=model)
        assert cal.world == "model"
        y, d = observe(t_ev, fu.at(m))
        rates.append(decide_batch(y, d, cal).followup.mean())
    assert rates[0] <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / 400)
    assert rates[1] >= 0.8
