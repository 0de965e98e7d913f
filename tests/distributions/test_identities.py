"""Identities every family must satisfy, over every registered family (see conftest.py)."""
from __future__ import annotations

import numpy as np
import pytest

from remission.distributions.base import Distribution, _generic_quantile, _generic_rmst

from .distribution_examples import EXAMPLES, IDS, TIMES


@pytest.mark.parametrize("name,dist,params", EXAMPLES, ids=IDS)
def test_derivative_of_cumulative_hazard_is_hazard(name, dist, params):
    # central difference with relative step 1e-5: truncation error ~ (1e-5)^2 * H''' / H',
    # rounding ~ 1e-16 / 1e-5; 1e-6 relative leaves a wide margin for both
    t = TIMES
    h = 1e-5 * t
    dH = (dist.cumulative_hazard(params, t + h) - dist.cumulative_hazard(params, t - h)) / (2 * h)
    np.testing.assert_allclose(dH, dist.hazard(params, t), rtol=1e-6)


@pytest.mark.parametrize("name,dist,params", EXAMPLES, ids=IDS)
def test_survival_is_exp_minus_cumulative_hazard_and_monotone(name, dist, params):
    t = np.geomspace(1e-3, 1e3, 400)
    S = dist.survival(params, t)
    np.testing.assert_allclose(S, np.exp(-dist.cumulative_hazard(params, t)), rtol=1e-14)
    assert np.all((S >= 0) & (S <= 1))
    assert np.all(np.diff(S) <= 1e-15)
    # density = h S and cdf = 1 - S, to rounding
    np.testing.assert_allclose(dist.density(params, t), dist.hazard(params, t) * S,
                               rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(dist.cdf(params, t), 1 - S, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name,dist,params", EXAMPLES, ids=IDS)
def test_quantile_inverts_cdf(name, dist, params):
    t = TIMES
    p = dist.cdf(params, t)
    ok = (p > 1e-10) & (p < 1 - 1e-10)
    # closed-form or 90-step bisection quantiles: exact to ~1e-13 relative except where F
    # is flat (dt = dp / f), so 1e-8 relative
    np.testing.assert_allclose(dist.quantile(params, p[ok]), t[ok], rtol=1e-8)
    np.testing.assert_allclose(_generic_quantile(dist, params, p[ok]), t[ok], rtol=1e-8)


@pytest.mark.parametrize("name,dist,params", EXAMPLES, ids=IDS)
def test_analytic_gradient_matches_finite_differences(name, dist, params):
    t = TIMES
    logh, H, dl, dH = dist.derivatives(params, t)
    _, _, dl0, dH0 = Distribution.derivatives(dist, params, t)
    np.testing.assert_allclose(logh, dist.log_hazard(params, t), rtol=1e-12)
    np.testing.assert_allclose(H, dist.cumulative_hazard(params, t), rtol=1e-12)
    for a, b in zip(dl, dl0):
        # central differences with step 6e-6: ~1e-10 relative error, 1e-6 is generous
        np.testing.assert_allclose(np.broadcast_to(a, t.shape), b, rtol=1e-6, atol=1e-8)
    for a, b in zip(dH, dH0):
        np.testing.assert_allclose(np.broadcast_to(a, t.shape), b, rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("name,dist,params", EXAMPLES, ids=IDS)
def test_restricted_mean_closed_forms_match_quadrature(name, dist, params):
    taus = np.array([0.5, 3.0, 12.0])
    # quad is run at epsrel 1e-11; 1e-8 covers closed forms built from special functions
    np.testing.assert_allclose(dist.rmst(params, taus), _generic_rmst(dist, params, taus),
                               rtol=1e-8)


@pytest.mark.parametrize("name,dist,params", EXAMPLES, ids=IDS)
def test_mean_is_restricted_mean_to_infinity(name, dist, params):
    m = dist.mean(params)
    if np.isinf(m):
        assert dist.long_term_survival(params) > 0 or name.startswith(("loglogistic", "spline"))
        return
    assert m == pytest.approx(_generic_rmst(dist, params, np.inf), rel=1e-7)


@pytest.mark.parametrize("name,dist,params", EXAMPLES, ids=IDS)
def test_parameter_arrays_broadcast(name, dist, params):
    """Per-observation parameter arrays (linear predictors) give the elementwise answer."""
    n = TIMES.size
    arr = [np.full(n, p) for p in params]
    np.testing.assert_allclose(dist.cumulative_hazard(arr, TIMES),
                               dist.cumulative_hazard(params, TIMES), rtol=1e-14)
    np.testing.assert_allclose(dist.log_hazard(arr, TIMES), dist.log_hazard(params, TIMES),
                               rtol=1e-14)
