"""Yuen-Musta (2024) sufficient-follow-up test: the concave majorant, the Grenander statistic,
the censoring term and the law of the Brownian concave-majorant slope."""

import numpy as np
import pytest

from remission.evidence.followup_tests import (A_RATE, brownian_lcm_slope_sf, grenander_at,
                                           lcm_slopes, yuen_musta_test)
from remission.errors import OptionError

from ..sizes import REDUCED


def test_lcm_by_hand():
    x = np.array([0.0, 1, 2, 3, 4])
    y = np.array([0.0, 0.5, 0.6, 0.9, 0.9])
    kx, s = lcm_slopes(x, y)
    # (0,0)->(1,.5) slope .5; (1,.5)->(3,.9) slope .2 passes above (2,.6); then flat
    assert kx.tolist() == [0, 1, 3, 4]
    np.testing.assert_allclose(s, [0.5, 0.2, 0.0])


def test_statistic_by_hand():
    # KM: S = 5/6 at 1, 5/8 at 4, 5/12 at 7; F = 1/6, 3/8, 7/12. The LCM from (0,0) goes
    # to (1, 1/6) (slope 1/6), then through (4, 3/8) and (7, 7/12) (both slope 5/72), flat.
    t = [1, 2, 4, 7, 9, 10]
    e = [1, 0, 1, 1, 0, 0]
    n, tg = 6, 10.0
    u = tg - tg * n ** (-A_RATE)
    assert 4 < u < 7
    assert grenander_at(t, e, u) == pytest.approx(5 / 72, rel=1e-12)
    assert grenander_at(t, e, 8.0) == 0.0
    r = yuen_musta_test(t, e, tau=20.0)
    assert r.statistic == pytest.approx(5 / 72, rel=1e-12)
    assert r.threshold == pytest.approx(0.01 * (7 / 12) / 10, rel=1e-12)
    # reverse KM just before 10: censorings at 2 (5 at risk) and 9 (2 at risk)
    assert r.censoring_survival_before_tau_g == pytest.approx(0.8 * 0.5, rel=1e-12)
    x = (r.threshold - r.statistic) * n ** ((1 - A_RATE) / 2) * np.sqrt(tg * 0.4) \
        / np.sqrt(r.statistic)
    assert r.p_value == brownian_lcm_slope_sf(x) == 1.0  # x < 0: far from rejecting


def test_long_plateau_rejects_with_p_zero():
    # events only early, long plateau: the LCM is flat at tau_G (1 - n^-a): T = 0, p = 0
    r = yuen_musta_test([1, 2, 3, 4, 10, 12], [1, 1, 1, 0, 0, 0])
    assert r.statistic == 0.0 and r.p_value == 0.0 and r.tau == 24.0


def test_tau_must_exceed_followup():
    with pytest.raises(OptionError):
        yuen_musta_test([1, 2, 3], [1, 1, 0], tau=2.0)


def test_slope_law_against_inverse_gaussian_representation():
    # D = sqrt(sigma), sigma | M ~ IG(M, M^2), M ~ Exp(2): Monte Carlo with 400k draws has
    # standard error <= 0.0008; 5 SE = 0.004
    rng = np.random.default_rng(2024)
    m = rng.exponential(0.5, 400_000)
    d = np.sqrt(rng.wald(m, m ** 2))
    for x in (0.2, 0.5, 1.0, 1.5, 2.0):
        assert brownian_lcm_slope_sf(x) == pytest.approx(np.mean(d > x), abs=0.004)


@pytest.mark.slow
def test_slope_law_against_discretised_brownian_motion():
    # Independent check of the switching-relation derivation: the slope at 1 of the concave
    # majorant of simulated Brownian paths (grid 0.002 on [0, 3], geometric to 2000).
    # Discretisation biases the slope by < 0.01; Monte Carlo SE <= 0.5/sqrt(paths): bands of
    # 4 SE + 0.01.
    paths = 400 if REDUCED else 2000
    rng = np.random.default_rng(7)
    grid = np.unique(np.concatenate([np.linspace(0, 3, 1501), np.geomspace(3, 2000, 1500)]))
    dt = np.diff(grid)
    slopes = np.empty(paths)
    for i in range(paths):
        w = np.concatenate([[0.0], np.cumsum(rng.normal(0, np.sqrt(dt)))])
        kx, s = lcm_slopes(grid, w)
        slopes[i] = s[np.searchsorted(kx, 1.0, side="right") - 1]
    band = 4 * 0.5 / np.sqrt(paths) + 0.01
    for x in (0.3, 0.5, 1.0):
        assert brownian_lcm_slope_sf(x) == pytest.approx(np.mean(slopes > x), abs=band)
