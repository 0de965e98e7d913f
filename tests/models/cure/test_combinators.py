"""Mixture and non-mixture cure combinators over every family: identities, derivatives, fits."""
from __future__ import annotations

import numpy as np
import pytest

from remission.distributions import Distribution, get_distribution
from remission.models import fit_distribution
from remission.models.cure import LINKS, MixtureCure, NonMixtureCure, get_link
from tests.distributions.distribution_examples import EXAMPLES, IDS, TIMES

COMBINATORS = [MixtureCure, NonMixtureCure]


@pytest.mark.parametrize("cls", COMBINATORS)
@pytest.mark.parametrize("case", EXAMPLES, ids=IDS)
def test_identities(cls, case):
    _, base, params = case
    d = cls(base)
    p = (0.3,) + tuple(params)
    S = d.survival(p, TIMES)
    H = d.cumulative_hazard(p, TIMES)
    # S = exp(-H) to rounding (1e-12 relative: both are a handful of float operations)
    np.testing.assert_allclose(S, np.exp(-H), rtol=1e-12, atol=1e-300)
    # S in (pi, 1], decreasing, tends to pi
    assert np.all(S > 0.3 - 1e-12) and np.all(S <= 1) and np.all(np.diff(S) <= 1e-15)
    plateau = d.long_term_survival(p)
    su_inf = base.long_term_survival(params)  # > 0 for an improper base (Gompertz shape < 0)
    assert plateau == pytest.approx(0.3 + 0.7 * su_inf if cls is MixtureCure else 0.3 ** (1 - su_inf))
    # dH/dt = h: central differences of H, step 1e-6 relative; truncation error ~1e-10
    # relative, rounding error ~1e-16 * H / 1e-6 (H <= -log 0.3 ~ 1.2: atol 1e-9)
    h = d.hazard(p, TIMES)
    e = 1e-6 * TIMES
    dH = (d.cumulative_hazard(p, TIMES + e) - d.cumulative_hazard(p, TIMES - e)) / (2 * e)
    np.testing.assert_allclose(h * TIMES, dH * TIMES, rtol=1e-6, atol=1e-9)
    # formulae: mixture S = pi + (1 - pi) S_u; non-mixture S = pi^(1 - S_u)
    Su = base.survival(params, TIMES)
    want = 0.3 + 0.7 * Su if cls is MixtureCure else 0.3 ** (1 - Su)
    np.testing.assert_allclose(S, want, rtol=1e-12)
    # quantile inverts the cdf below 1 - pi and is infinite beyond
    probs = np.array([0.2, 0.5, 0.99]) * (1 - plateau)
    q = d.quantile(p, probs)
    np.testing.assert_allclose(d.cdf(p, q), probs, rtol=1e-9)
    assert np.isinf(d.quantile(p, 1 - plateau + 0.01))


@pytest.mark.parametrize("cls", COMBINATORS)
@pytest.mark.parametrize("case", EXAMPLES, ids=IDS)
def test_analytic_derivatives_match_numerical(cls, case):
    _, base, params = case
    d = cls(base)
    p = (0.35,) + tuple(params)
    logh, H, dlogh, dH = d.derivatives(p, TIMES)
    # the base class's per-observation central differences (relative error ~1e-9)
    nlogh, nH, ndlogh, ndH = Distribution.derivatives(d, p, TIMES)
    # same quantities computed along two algebraic routes: agree to ~1e-11 relative
    np.testing.assert_allclose(logh, nlogh, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(H, nH, rtol=1e-10, atol=1e-15)
    for a, b in zip(dlogh, ndlogh):
        np.testing.assert_allclose(np.broadcast_to(a, TIMES.shape), b, rtol=1e-5, atol=1e-7)
    for a, b in zip(dH, ndH):
        np.testing.assert_allclose(np.broadcast_to(a, TIMES.shape), b, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("link", LINKS)
def test_links_are_monotone_bijections(link):
    b = get_link(link)
    pis = np.array([1e-6, 0.01, 0.3, 0.5, 0.9, 0.999])
    eta = b.inverse(pis)
    np.testing.assert_allclose(b.forward(eta), pis, rtol=1e-10)
    # Stata/flexsurvcure conventions: loglog is log(-log pi), decreasing; the others increase
    assert np.all(np.diff(eta) < 0) if link == "loglog" else np.all(np.diff(eta) > 0)
    e = 1e-6
    num = (b.forward(eta + e) - b.forward(eta - e)) / (2 * e)
    np.testing.assert_allclose(b.jacobian(eta), num, rtol=1e-6, atol=1e-14)


def simulate(n, pi, shape, scale, rng, cmin=4.0, cmax=8.0):
    cured = rng.random(n) < pi
    t = np.where(cured, np.inf, scale * rng.weibull(shape, n))
    c = rng.uniform(cmin, cmax, n)
    return np.minimum(t, c), (t <= c)


@pytest.mark.parametrize("cls", COMBINATORS)
@pytest.mark.parametrize("name", ["exponential", "weibull", "gompertz", "lognormal",
                                  "loglogistic", "gengamma", "spline"])
def test_every_family_fits_and_recovers_the_cure_fraction(cls, name):
    """Fit to Weibull-mixture data, then simulate from that fit (the truth) and refit."""
    rng = np.random.default_rng(11)
    t, d = simulate(1500, 0.4, 1.5, 2.0, rng)
    base = get_distribution(name, k=1) if name == "spline" else get_distribution(name)
    first = fit_distribution(cls(base), t, d)
    assert first.converged
    truth = [float(p[0]) for p in first.natural_parameters()]
    dist = first.dist
    tt = dist.quantile(truth, rng.random(1500))  # inf for the cured
    c = rng.uniform(4, 8, 1500)
    fit = fit_distribution(dist, np.minimum(tt, c), tt <= c)
    assert fit.converged
    pi = fit.parameters()[0]
    # within 4 standard errors of the simulation truth
    assert abs(pi["estimate"] - truth[0]) < 4 * pi["se"]
    assert pi["lower"] < pi["estimate"] < pi["upper"]
    s = fit.survival([1.0, 3.0, 10.0])
    assert np.all(s.lower <= s.estimate) and np.all(s.estimate <= s.upper)
    assert float(fit.long_term_survival().estimate[0, 0]) >= pi["estimate"] - 1e-12


def test_covariates_on_the_cure_fraction_are_recovered():
    rng = np.random.default_rng(5)
    n = 3000
    x = rng.integers(0, 2, n).astype(float)
    pi = 1 / (1 + np.exp(-(-0.8 + 1.2 * x)))
    cured = rng.random(n) < pi
    t = np.where(cured, np.inf, 2.0 * rng.weibull(1.3, n))
    c = rng.uniform(6, 10, n)
    X = np.column_stack([np.ones(n), x])
    fit = fit_distribution(MixtureCure(get_distribution("weibull")), np.minimum(t, c), t <= c,
                           designs={"cure": X}, design_names={"cure": ["(Intercept)", "x"]})
    assert fit.converged
    est = dict(zip(fit.coef_names, fit.coef))
    se = dict(zip(fit.coef_names, fit.se))
    # within 4 standard errors of the truth (a 1-in-15,000 event for a correct estimator)
    assert abs(est["cure"] - -0.8) < 4 * se["cure"]
    assert abs(est["cure:x"] - 1.2) < 4 * se["cure:x"]


def test_links_give_the_same_intercept_only_fit():
    """Reparameterisation invariance: the MLE of pi does not depend on the link."""
    rng = np.random.default_rng(2)
    t, d = simulate(300, 0.35, 1.2, 1.5, rng)
    fits = [fit_distribution(MixtureCure(get_distribution("weibull"), link), t, d)
            for link in LINKS]
    pis = [f.parameters()[0]["estimate"] for f in fits]
    lls = [f.loglik for f in fits]
    # all optimisers stop at |gradient| ~ 1e-8: pi agrees to ~1e-7, loglik to ~1e-10
    np.testing.assert_allclose(pis, pis[0], rtol=1e-6)
    np.testing.assert_allclose(lls, lls[0], rtol=1e-10)


@pytest.mark.parametrize("cls", COMBINATORS)
@pytest.mark.parametrize("truncated", [False, True])
def test_weibull_fast_path_equals_the_generic_likelihood(cls, truncated):
    """The intercept-only Weibull fast path and the generic per-observation chain rule are two
    routes to the same sums: equal to rounding (1e-10 relative)."""
    from remission.models.likelihood import Layout, SurvivalArrays, loglik

    rng = np.random.default_rng(0)
    n = 500
    t = 3 * rng.weibull(1.2, n)
    d = (rng.random(n) < 0.6).astype(float)
    e = np.where(rng.random(n) < 0.3, t * rng.random(n), 0.0) if truncated else None
    w = rng.integers(1, 4, n).astype(float)
    dist = cls(get_distribution("weibull"))
    data = SurvivalArrays.build(t, d, e, w)
    beta = np.array([-0.3, 0.2, 1.1])
    assert hasattr(dist, "fast_loglik")
    ll, g = loglik(Layout.build(dist), beta, data, gradient=True)
    generic = Layout.build(dist, designs={"cure": np.ones((n, 1))})  # bypasses the fast path
    ll2, g2 = loglik(generic, beta, data, gradient=True)
    assert ll == pytest.approx(ll2, rel=1e-12)
    np.testing.assert_allclose(g, g2, rtol=1e-10, atol=1e-10)
