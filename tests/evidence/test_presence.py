"""Maller-Zhou presence test: Monte Carlo p-value mechanics and reproducibility."""
import numpy as np
import pytest

from remission.evidence.decide import calibrate, mc_pvalue_upper
from remission.evidence.presence import presence_test
from remission.evidence.simulate import CensoringPattern
from remission.evidence.tail import tail_facts

from .conftest_data import cure_data


def test_pvalue_reproducible_and_independent_of_scheduler():
    t, e = cure_data(3)
    a = presence_test(t, e, reps=300, seed=9, scheduler="sync")
    b = presence_test(t, e, reps=300, seed=9, scheduler="threads")
    assert a == b
    assert a.statistic == tail_facts(t, e).survival_at_plateau
    # the p-value counts the null draws at least as large as the statistic: the same draws
    # (same seed stream) through the planning calibration give the same number
    null = calibrate(t, e, reps=300, seed=9).presence_null
    assert a.p_value == (1 + np.sum(null >= a.statistic - 1e-12)) / 301
    assert a.p_value == mc_pvalue_upper(null, a.statistic)
    # moderate cure data (n = 100, KM plateau ~0.3): neither extreme of the null sample
    assert 0.0 < np.mean(null >= a.statistic) < 1.0


def test_strong_cure_is_detected_and_pvalue_counts_exceedances():
    t, e = cure_data(4, n=200, cure=0.5, c_lo=30, c_hi=60)
    r = presence_test(t, e, reps=199, seed=1)
    # the Weibull null fitted to cure data has a fat tail (shape 0.63), yet the plateau
    # (0.449) is beyond its 95% point
    assert r.statistic > r.null_quantile_95 and r.p_value < 0.05
    assert r.p_value * 200 == pytest.approx(round(r.p_value * 200))  # (1 + k) / (B + 1)


def test_censoring_pattern_is_the_reverse_km():
    # censorings at 2 and 5 (at risk 4 and 2), events at 1, 3, last time 5:
    # reverse KM drops to 3/4 at 2 and to 0 at 5
    p = CensoringPattern.from_data([1, 2, 3, 5, 6], [1, 0, 1, 0, 1])
    np.testing.assert_allclose(p.times, [2, 5, 6])
    np.testing.assert_allclose(p.cdf, [0.25, 0.625, 1.0])
    assert p.draw(np.array([0.1, 0.25, 0.3, 0.99])).tolist() == [2, 2, 5, 6]
