"""The generalized gamma nests the Weibull (Q = 1), the log-normal (Q -> 0) and the gamma
(Q = sigma), as in flexsurv's tests/testthat/test_gengamma.R."""
from __future__ import annotations

import numpy as np
import pytest

from remission.distributions import Gamma, GeneralizedGamma, LogNormal, Weibull
from remission.models import fit_distribution

from ..bundled import frame
from ..reference_cases import reference

T = np.geomspace(0.01, 100, 25)
G = GeneralizedGamma()


def test_q_one_is_weibull():
    mu, sigma = 1.3, 0.7
    w = (1 / sigma, np.exp(mu))
    np.testing.assert_allclose(G.log_hazard([mu, sigma, 1.0], T), Weibull().log_hazard(w, T),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(G.cumulative_hazard([mu, sigma, 1.0], T),
                               Weibull().cumulative_hazard(w, T), rtol=1e-12)


def test_q_sigma_is_gamma():
    mu, sigma = 0.4, 0.8  # gamma shape 1/sigma^2, rate exp(-mu) / sigma^2
    g = (1 / sigma ** 2, np.exp(-mu) / sigma ** 2)
    np.testing.assert_allclose(G.survival([mu, sigma, sigma], T), Gamma().survival(g, T),
                               rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize("Q", [0.0, 1e-12, 1e-7, -1e-7])
def test_q_zero_limit_is_lognormal(Q):
    # the deviation from the log-normal is O(Q) (|d log S / dQ| < 1 here): tolerance 10 |Q|
    # plus rounding
    tol = 10 * abs(Q) + 1e-12
    np.testing.assert_allclose(G.log_survival([1.0, 0.8, Q], T),
                               LogNormal().log_survival([1.0, 0.8], T), rtol=tol, atol=tol)
    np.testing.assert_allclose(G.log_density([1.0, 0.8, Q], T),
                               LogNormal().log_density([1.0, 0.8], T), rtol=tol, atol=tol)


def test_continuous_across_small_q_branches():
    """Temme's expansion (|Q| < 1e-3) and the incomplete gamma meet smoothly."""
    a = G.log_survival([1.0, 0.8, 0.999e-3], T)
    b = G.log_survival([1.0, 0.8, 1.001e-3], T)
    # d log S / dQ is O(1) here, so a step of 2e-6 in Q moves log S by at most ~1e-5
    np.testing.assert_allclose(a, b, rtol=2e-5, atol=2e-5)


@pytest.fixture(scope="module")
def lung():
    df = frame("lung")
    return df.time.to_numpy(float), (df.status == 2).to_numpy()


def test_fit_with_q_fixed_at_one_is_the_weibull_fit(lung):
    t, d = lung
    gg = fit_distribution(G, t, d, fixed={"Q": 1.0})
    wb = fit_distribution(Weibull(), t, d)
    # both optimisers polish to machine precision: the optima agree to ~1e-10
    assert gg.loglik == pytest.approx(wb.loglik, rel=1e-10)
    mu, sigma = gg.coef  # (mu, log sigma)
    assert np.exp(mu) == pytest.approx(np.exp(wb.coef[1]), rel=1e-7)
    assert np.exp(sigma) == pytest.approx(1 / np.exp(wb.coef[0]), rel=1e-7)


def test_fit_with_q_fixed_at_zero_is_the_lognormal_fit(lung):
    t, d = lung
    gg = fit_distribution(G, t, d, fixed={"Q": 0.0})
    ln = fit_distribution(LogNormal(), t, d)
    assert gg.loglik == pytest.approx(ln.loglik, rel=1e-10)
    np.testing.assert_allclose(gg.coef, ln.coef, rtol=1e-7)


def test_free_fit_is_at_least_as_good_as_its_limits(lung):
    t, d = lung
    gg = fit_distribution(G, t, d)
    ref = reference("lung")["parametric"]
    assert gg.converged
    assert gg.loglik >= ref["weibull"]["loglik"] - 1e-9
    assert gg.loglik >= ref["lognormal"]["loglik"] - 1e-9
