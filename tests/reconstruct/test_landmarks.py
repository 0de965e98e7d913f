"""Reconstruction from landmarks only."""
import numpy as np
import pytest

from remission.errors import DataError, OptionError
from remission.nonparametric.followup import median_followup
from remission.reconstruct import Landmark, reconstruct_landmarks


@pytest.mark.parametrize("n, seed", [(60, 0), (97, 1), (250, 2), (500, 3)])
def test_every_landmark_within_001_and_median_within_a_month(n, seed):
    lms = {6: 0.9, 12: 0.74, 24: 0.52, 36: 0.41, 48: 0.35}
    # follow-up 48-72 months: no censoring before the last landmark, so each landmark is a
    # count out of n and the KM can be within 1/(2n) <= 0.0083 of it
    r = reconstruct_landmarks(lms, n, median=26.0, median_followup=60, accrual=24, seed=seed)
    km = r.kaplan_meier()
    for t, s in lms.items():
        assert abs(km.survival_at(t) - s) <= 0.01
    assert abs(km.median().estimate - 26.0) <= 1.0
    assert r.n == n and r.approximate and r.method == "landmarks"
    assert r.quality.max_abs_gap <= 0.01


def test_landmarks_reached_with_censoring_between_them():
    lms = {6: 0.9, 12: 0.74, 24: 0.52, 36: 0.41}
    r = reconstruct_landmarks(lms, 500, median=26.0, followup=(10, 50), seed=4)
    km = r.kaplan_meier()
    assert r.n_events < 0.6 * 500  # many censored
    for t, s in lms.items():
        assert abs(km.survival_at(t) - s) <= 0.01
    assert abs(km.median().estimate - 26.0) <= 1.0


def test_uniform_accrual_gives_the_median_followup():
    # reverse-KM median of a 20-month window centred on 30; 1 month = the resolution the
    # 200 or so censored patients of 400 give the reverse-KM median
    r = reconstruct_landmarks([(12, 0.7), (24, 0.5)], 400, median_followup=30, accrual=20)
    assert median_followup(r.time, r.event).estimate == pytest.approx(30, abs=1.0)


def test_deterministic_and_seeded():
    a = reconstruct_landmarks({12: 0.7}, 100, followup=(10, 30), seed=5)
    b = reconstruct_landmarks({12: 0.7}, 100, followup=(10, 30), seed=5)
    assert np.array_equal(a.time, b.time) and np.array_equal(a.event, b.event)


def test_plateau_tail():
    r = reconstruct_landmarks({12: 0.5, 24: 0.4}, 100, followup=(36, 48), tail_hazard=0)
    assert not np.any(r.event & (r.time > 24))


@pytest.mark.parametrize("lms, median, msg", [
    ({12: 0.5, 24: 0.7}, None, "inconsistent"),
    ({12: 0.6, 24: 0.55}, 10.0, "median inconsistent"),
    ({-1: 0.6}, None, "positive"),
    ({12: 1.3}, None, "outside"),
])
def test_bad_landmarks(lms, median, msg):
    with pytest.raises(DataError, match=msg):
        reconstruct_landmarks(lms, 50, median=median)


def test_bad_options():
    with pytest.raises(OptionError):
        reconstruct_landmarks({12: 0.5}, 0)
    with pytest.raises(OptionError):
        reconstruct_landmarks({12: 0.5}, 50, median_followup=30)
    with pytest.raises(OptionError):
        reconstruct_landmarks([Landmark(12, 0.5, "crude")], 50)
