"""Known truth: two Weibull cause-specific hazards (relapse: shape 1.3, scale 12; death
without relapse: shape 0.8, scale 25), uniform censoring on (0, 30), n = 300.  The true
cumulative incidences at t = 10 (inside the data) and t = 40 (extrapolated, beyond the last
censoring time) are integrals of the true hazards (scipy quad).  Checked: the mean estimate
recovers the truth and the delta-method 95% intervals cover it.

Sizes (tests/sizes.py): 1,000 data sets with REMISSION_FULL=1, 120 by default.  Bands: the
coverage band is the 99.9% binomial range around 0.95 for the number of data sets (full:
0.93-0.97 up to rounding, as the issue's 93-97%); the bias band is 4 Monte Carlo standard
errors of the mean (maximum-likelihood bias at n = 300 is far smaller).
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from remission.data import SurvivalData
from remission.models.competing import fit_competing

from ...sizes import FULL

SHAPE = (1.3, 0.8)
SCALE = (12.0, 25.0)
N = 300
SETS = 1000 if FULL else 120
TIMES = (10.0, 40.0)


def h(k, u):
    return SHAPE[k] / SCALE[k] * (u / SCALE[k]) ** (SHAPE[k] - 1)


def H(k, u):
    return (u / SCALE[k]) ** SHAPE[k]


def truth(k, t):
    return quad(lambda u: h(k, u) * np.exp(-H(0, u) - H(1, u)), 0, t, epsabs=1e-13,
                epsrel=1e-12, limit=200)[0]


def simulate(rng):
    t1 = SCALE[0] * rng.weibull(SHAPE[0], N)
    t2 = SCALE[1] * rng.weibull(SHAPE[1], N)
    c = rng.uniform(0, 30, N)
    t = np.minimum(np.minimum(t1, t2), c)
    cause = np.where(c <= np.minimum(t1, t2), None, np.where(t1 < t2, "relapse", "nrm"))
    return SurvivalData.from_arrays(t, cause=cause)


@pytest.mark.slow
def test_cif_recovered_and_covered():
    rng = np.random.default_rng(20261202)
    true = np.array([[truth(k, t) for t in TIMES] for k in (0, 1)])
    est = np.empty((SETS, 2, len(TIMES)))
    cover = np.empty((SETS, 2, len(TIMES)), dtype=bool)
    for i in range(SETS):
        cr = fit_competing(simulate(rng), "weibull", cause="relapse")
        pred = cr._predict(np.array(TIMES))
        for k, c in enumerate(("relapse", "nrm")):
            p = pred[c][0]
            est[i, k] = p.estimate[0]
            cover[i, k] = (p.lower[0] <= true[k]) & (true[k] <= p.upper[0])
    mc_se = est.std(axis=0, ddof=1) / np.sqrt(SETS)
    assert np.all(np.abs(est.mean(axis=0) - true) < 4 * mc_se), (est.mean(axis=0), true)
    half = 3.29 * np.sqrt(0.95 * 0.05 / SETS)   # 99.9% binomial range
    cov = cover.mean(axis=0)
    assert np.all(np.abs(cov - 0.95) <= half + 1e-12), cov
