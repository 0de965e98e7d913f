"""Kernel-smoothed hazard against known truth (simulated constant and increasing hazards)."""
import numpy as np
import pytest

from remission.nonparametric.hazard_smooth import smoothed_hazard


def test_constant_hazard_is_recovered():
    rng = np.random.default_rng(15)
    n, lam = 4000, 0.5
    t = rng.exponential(1 / lam, n)
    c = rng.uniform(0, 6, n)
    time, event = np.minimum(t, c), (t <= c).astype(float)
    grid = np.array([1.5, 2.0, 2.5])
    h = smoothed_hazard(time, event, grid)
    # interior points (more than a bandwidth, ~1.2, from 0 and from the end): no bias for a
    # constant hazard; sd ~ sqrt(lam * 0.6 / (b * n_at_risk)) ~ 0.025 with >= 450 at risk, so
    # 0.1 is four standard deviations
    assert h == pytest.approx(np.full(3, lam), abs=0.1)


def test_increasing_hazard_is_tracked():
    rng = np.random.default_rng(16)
    n = 4000
    t = rng.weibull(2.0, n) * 2.0          # hazard h(t) = 2 t / 4 = t / 2
    c = rng.uniform(0, 5, n)
    time, event = np.minimum(t, c), (t <= c).astype(float)
    h = smoothed_hazard(time, event, np.array([1.0, 2.0]), bandwidth=0.5)
    # a linear hazard has no kernel bias in the interior (symmetric kernel); sd <= 0.06 at
    # t = 2 (~ 700 at risk), tolerance 0.15
    assert h == pytest.approx([0.5, 1.0], abs=0.15)
    assert h[1] > h[0]
