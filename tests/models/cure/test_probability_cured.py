"""P(cured | event-free at t) = pi / S(t): its interval.

For a mixture cure model logit(pi / S(t)) = logit(pi) + H_u(t) rises with t for every
coefficient vector, so an honest interval has non-decreasing bounds.  The linearised
delta-method interval did not: the delta-method SE of H_u(t) grows faster than H_u(t) past the
follow-up, and on alloauto type 2 its lower bound fell (0.2195 at t = 42 to 0.206 at t = 56
and 0.055 at t = 120).  The interval is now the projection of the coefficients' Wald
ellipsoid (remission.models.cure.derived.projection_prediction).
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from remission.data import SurvivalData
from remission.models.cure import derived as dv
from remission.models.cure import fit_cure_model

from ...bundled import frame
from ...sizes import REDUCED


@pytest.fixture(scope="module")
def allo2():
    d = frame("alloauto")
    d = d[d["type"] == 2]
    return SurvivalData.from_arrays(d["time"].to_numpy(), d["delta"].to_numpy())


@pytest.mark.parametrize("cure", ["mixture", "non-mixture"])
def test_bounds_are_monotone_and_in_range_on_alloauto_type2(allo2, cure):
    fit = fit_cure_model(allo2, "weibull", cure)
    assert fit.converged
    grid = np.linspace(0.0, 3 * 56.086, 61)  # out to three times the follow-up
    p = fit.probability_cured(grid)
    lo, est, up = p.lower[0], p.estimate[0], p.upper[0]
    assert np.all(np.isfinite(lo)) and np.all(np.isfinite(up))
    assert np.all((0 <= lo) & (lo <= est) & (est <= up) & (up <= 1))
    # non-decreasing up to the optimiser's tolerance (ftol 1e-10 on the logit scale)
    assert np.all(np.diff(est) >= 0)
    assert np.all(np.diff(lo) >= -1e-6), np.diff(lo).min()
    assert np.all(np.diff(up) >= -1e-6), np.diff(up).min()
    # at t = 0 it is the cure fraction: with the logistic link logit(pi) is linear in the
    # coefficients, so the projection is exactly the cure fraction's delta-method interval
    cf = fit.cure_fraction()
    assert lo[0] == pytest.approx(cf.lower[0, 0], rel=1e-6)
    assert up[0] == pytest.approx(cf.upper[0, 0], rel=1e-6)


def test_projection_is_the_envelope_over_the_ellipsoid(allo2):
    """Brute force: the extremes of pi / S(t) over 20,000 points on the surface of the 95%
    Wald ellipsoid (the extremes of a function without interior stationary points lie on the
    surface).  The optimiser's end points can only be more extreme than any sampled point;
    with 20,000 points in 3 dimensions the sampled envelope is within ~1e-3 of the true one."""
    fit = fit_cure_model(allo2, "weibull", "mixture")
    T = np.array([0.0, 10.0, 20.0, 40.0, 56.0, 80.0, 120.0])
    p = fit.probability_cured(T)
    f = fit.fit
    L = np.linalg.cholesky(f.vcov)
    u = np.random.default_rng(0).normal(size=(20000, f.coef.size))
    u /= np.linalg.norm(u, axis=1)[:, None]
    Xs, m = fit._designs(None)
    vals = dv.evaluate(f, dv.probability_cured_q(fit.dist).fn, T,
                       f.coef + norm.ppf(0.975) * u @ L.T, Xs, m)[:, 0, :]
    assert np.all(p.lower[0] <= vals.min(axis=0) + 1e-9)
    assert np.all(p.upper[0] >= vals.max(axis=0) - 1e-9)
    assert np.all(p.lower[0] >= vals.min(axis=0) - 1e-3)
    assert np.all(p.upper[0] <= vals.max(axis=0) + 1e-3)


@pytest.mark.slow
def test_pointwise_coverage_by_simulation():
    """Known truth: Weibull(1.1, 16.24) mixture cure with pi = 0.28 (the alloauto type 2 fit),
    uniform censoring on [4, 56], n = 300.  Pointwise coverage of the 95% interval at times
    inside and beyond the follow-up.  (At the data's own n = 51 every Wald-based interval
    under-covers, 87-92% in a 280-trial run; the old delta interval was 92-100% only because
    its lower bound collapsed.)"""
    reduced = REDUCED
    # Monte Carlo SE of a 95% coverage: sqrt(.95 * .05 / sims) = 0.0154 (200) or 0.0069
    # (1000); the band is +-2.9 SE.  Observed: 0.959, 0.942, 0.946 at the three times over these
    # 1000 trials; over the first 200 (the reduced run) 0.965, 0.925, 0.925
    sims, (lo_ok, hi_ok) = (200, (0.905, 0.995)) if reduced else (1000, (0.93, 0.97))
    pi, k, lam, n = 0.28, 1.1, 16.24, 300
    T = np.array([10.0, 40.0, 80.0])
    truth = pi / (pi + (1 - pi) * np.exp(-(T / lam) ** k))
    rng = np.random.default_rng(11)
    hits = np.zeros(T.size)
    done = 0
    while done < sims:
        cured = rng.random(n) < pi
        t = np.where(cured, np.inf, lam * rng.weibull(k, n))
        c = rng.uniform(4, 56, n)
        fit = fit_cure_model(SurvivalData.from_arrays(np.minimum(t, c), (t <= c).astype(int)),
                             "weibull", "mixture")
        if not fit.converged or fit.boundary is not None:
            continue
        done += 1
        p = fit.probability_cured(T)
        assert np.all(np.diff(p.lower[0]) >= -1e-6)
        hits += (p.lower[0] <= truth) & (truth <= p.upper[0])
    cov = hits / sims
    print("coverage of P(cured | T > t) at", T, ":", cov)
    assert np.all((lo_ok <= cov) & (cov <= hi_ok)), cov
