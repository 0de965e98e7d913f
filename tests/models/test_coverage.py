"""Simulation check: 95% delta-method intervals of the Weibull median cover ~95%."""
from __future__ import annotations

import numpy as np
import pytest

from remission.distributions import Weibull
from remission.models import fit_distribution

from ..sizes import REDUCED


@pytest.mark.slow
def test_median_interval_coverage():
    reduced = REDUCED
    # 1000 replicates: the Monte Carlo SE of a 95% coverage is sqrt(.95*.05/1000) = 0.0069, so
    # the 93-97% band is +-2.9 SE.  Reduced (CI): 250 replicates, SE 0.0138; the same +-2.9 SE
    # gives 91-99%.
    reps, band = (250, (0.91, 0.99)) if reduced else (1000, (0.93, 0.97))
    rng = np.random.default_rng(12345)
    shape, scale, n = 1.5, 10.0, 200
    true_median = scale * np.log(2) ** (1 / shape)
    hits = 0
    for _ in range(reps):
        t = scale * rng.weibull(shape, n)
        c = rng.uniform(0, 30, n)  # ~20% censoring
        fit = fit_distribution(Weibull(), np.minimum(t, c), t <= c)
        m = fit.median()
        hits += m.lower[0, 0] <= true_median <= m.upper[0, 0]
    cover = hits / reps
    assert band[0] <= cover <= band[1], cover
