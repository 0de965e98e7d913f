"""The one censored likelihood: truncation, weights, background hazard, gradients."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats

from remission.data.survival_data import SurvivalData
from remission.distributions import REGISTRY, Exponential, Weibull, get_distribution
from remission.errors import ConvergenceError, DataError
from remission.models import Layout, SurvivalArrays, fit_distribution, fit_parametric, loglik

from ..bundled import frame

RNG = np.random.default_rng(20240501)
N = 300
TIME = RNG.weibull(1.4, N) * 10 + 0.01
ENTRY = np.where(RNG.random(N) < 0.4, TIME * RNG.random(N), 0.0)
EVENT = RNG.random(N) < 0.7
X = RNG.normal(size=N)
W = RNG.integers(1, 4, N).astype(float)
BH = RNG.uniform(0.001, 0.02, N)


def _layout(name):
    dist = get_distribution(name, **({"k": 1} if name == "spline" else {}))
    dist = dist.setup(TIME, EVENT)
    X1 = np.column_stack([np.ones(N), X])
    designs = {dist.location: X1, dist.parameters[0 if dist.location != dist.parameters[0] else -1]: X1}
    return Layout.build(dist, designs)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_gradient_matches_finite_differences(name):
    """Exact/per-observation gradients through covariates, truncation, weights and bhazard."""
    layout = _layout(name)
    data = SurvivalArrays.build(TIME, EVENT, ENTRY, W, BH)
    start = layout.dist.start(TIME, EVENT)[0]
    beta = layout.start_from(start) + 0.01
    ll, g = loglik(layout, beta, data, gradient=True)
    assert np.isfinite(ll)
    fd = np.empty_like(beta)
    for i in range(beta.size):
        h = 1e-6 * (1 + abs(beta[i]))
        e = np.zeros_like(beta)
        e[i] = h
        fd[i] = (loglik(layout, beta + e, data) - loglik(layout, beta - e, data)) / (2 * h)
    # central differences of a sum of ~300 terms: error ~1e-7 relative; the per-observation
    # numerical gradients of gamma/gengamma add ~1e-8; 1e-5 relative + small absolute
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-5 * np.max(np.abs(fd)))


def test_loglik_matches_scipy_with_truncation_and_censoring():
    """sum w [d log f(t) + (1-d) log S(t) - log S(entry)] computed with scipy.stats."""
    a, b = 1.3, 9.0
    layout = Layout.build(Weibull())
    data = SurvivalArrays.build(TIME, EVENT, ENTRY, W)
    ours = loglik(layout, np.log([a, b]), data)
    ref = stats.weibull_min(c=a, scale=b)
    terms = np.where(EVENT, ref.logpdf(TIME), ref.logsf(TIME)) - ref.logsf(ENTRY)
    assert ours == pytest.approx(np.sum(W * terms), rel=1e-12)


def test_left_truncated_exponential_closed_form():
    fit = fit_distribution(Exponential(), TIME, EVENT, entry=ENTRY)
    rate = EVENT.sum() / np.sum(TIME - ENTRY)
    assert fit.parameters()[0]["estimate"] == pytest.approx(rate, rel=1e-10)
    # observed information D / rate^2 on the rate scale -> var(log rate) = 1 / D
    assert fit.vcov[0, 0] == pytest.approx(1 / EVENT.sum(), rel=1e-6)


def test_left_truncated_weibull_matches_direct_optimisation():
    fit = fit_distribution(Weibull(), TIME, EVENT, entry=ENTRY)

    def nll(p):
        ref = stats.weibull_min(c=np.exp(p[0]), scale=np.exp(p[1]))
        return -np.sum(np.where(EVENT, ref.logpdf(TIME), ref.logsf(TIME)) - ref.logsf(ENTRY))

    r = optimize.minimize(nll, [0.0, 2.0], method="Nelder-Mead",
                          options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 5000})
    assert fit.loglik == pytest.approx(-r.fun, rel=1e-10)
    # Nelder-Mead stops at xatol 1e-10 but flat directions leave ~1e-6 in the coefficients
    np.testing.assert_allclose(fit.coef, r.x, atol=1e-5)


def test_integer_weights_equal_replicated_rows():
    w = W.astype(int)
    a = fit_distribution(Weibull(), TIME, EVENT, weights=w)
    b = fit_distribution(Weibull(), np.repeat(TIME, w), np.repeat(EVENT, w))
    assert a.loglik == pytest.approx(b.loglik, rel=1e-12)
    np.testing.assert_allclose(a.coef, b.coef, rtol=1e-8)
    np.testing.assert_allclose(a.vcov, b.vcov, rtol=1e-5)


def test_background_hazard_zero_is_the_plain_model():
    a = fit_distribution(Weibull(), TIME, EVENT)
    b = fit_distribution(Weibull(), TIME, EVENT, bhazard=np.zeros(N))
    assert a.loglik == pytest.approx(b.loglik, rel=1e-12)
    assert b.relative_survival


def test_excess_hazard_is_smaller_with_background():
    a = fit_distribution(Exponential(), TIME, EVENT)
    b = fit_distribution(Exponential(), TIME, EVENT, bhazard=BH)
    assert b.parameters()[0]["estimate"] < a.parameters()[0]["estimate"]


def test_non_convergence_raises_or_is_flagged():
    # every event at one time: the Weibull shape runs off to infinity (no finite MLE)
    t = np.full(20, 5.0)
    d = np.ones(20, dtype=bool)
    with pytest.raises(ConvergenceError):
        fit_distribution(Weibull(), t, d)
    res = fit_distribution(Weibull(), t, d, raise_on_failure=False)
    assert res.converged is False


def test_bad_data_errors():
    with pytest.raises(DataError, match="positive"):
        fit_distribution(Weibull(), [0.0, 1.0, 2.0], [1, 1, 0])
    with pytest.raises(DataError, match="no events"):
        fit_distribution(Weibull(), [1.0, 2.0], [0, 0])


def test_separate_group_fits_equal_full_interaction():
    """A factor on both Weibull parameters = independent fits per group (sum of logliks)."""
    df = frame("veteran")
    d = SurvivalData.from_arrays(df.time, df.status, covariates=df)
    full = fit_parametric(d, "weibull", covariates=["factor(trt)"], anc={"shape": ["factor(trt)"]})
    parts = [fit_parametric(SurvivalData.from_arrays(g.time, g.status), "weibull")
             for _, g in df.groupby("trt")]
    assert full.loglik == pytest.approx(sum(p.loglik for p in parts), rel=1e-10)


@pytest.mark.parametrize("name", ["weibull", "lognormal"])
def test_fast_path_equals_generic_likelihood(name):
    """The intercept-only fast paths agree with the generic per-observation likelihood
    (bhazard = 0 forces the generic route)."""
    dist = get_distribution(name)
    layout = Layout.build(dist)
    beta = layout.start_from(dist.start(TIME, EVENT)[0]) + 0.05
    fast = SurvivalArrays.build(TIME, EVENT, ENTRY, W)
    slow = SurvivalArrays.build(TIME, EVENT, ENTRY, W, np.zeros(N))
    a, ga = loglik(layout, beta, fast, gradient=True)
    b, gb = loglik(layout, beta, slow, gradient=True)
    assert a == pytest.approx(b, rel=1e-12)
    np.testing.assert_allclose(ga, gb, rtol=1e-10)


_EXTREME = (-800.0, -60.0, -20.0, 20.0, 60.0, 800.0)


@pytest.mark.parametrize("cure", [None, "mixture", "non-mixture"])
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_extreme_coefficients_are_silent_and_infeasible_not_nan(name, cure):
    """The optimiser probes extreme coefficients; the likelihood must not emit RuntimeWarnings
    (they reached users of `remission fit/compare`) and must answer a finite value or -inf
    (with a nan gradient), never nan.  Covers the generic path (covariates, truncation,
    weights, background hazard) and the intercept-only fast path."""
    import warnings

    from remission.models.cure import cure_distribution

    base = get_distribution(name, **({"k": 1} if name == "spline" else {}))
    dist = (base if cure is None else cure_distribution(base, cure)).setup(TIME, EVENT)
    generic = (_layout(name) if cure is None
               else Layout.build(dist, {dist.parameters[1]: np.column_stack([np.ones(N), X])}))
    cases = [(generic, SurvivalArrays.build(TIME, EVENT, ENTRY, W, BH)),
             (Layout.build(dist), SurvivalArrays.build(TIME, EVENT))]
    rng = np.random.default_rng(7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for layout, data in cases:
            k = layout.n_coef
            betas = [np.full(k, v) for v in _EXTREME]
            betas += [rng.choice(_EXTREME, k) for _ in range(20)]
            for beta in betas:
                ll = loglik(layout, beta, data)
                assert isinstance(ll, float) and not np.isnan(ll) and ll < np.inf
                ll2, g = loglik(layout, beta, data, gradient=True)
                assert not np.isnan(ll2) and ll2 < np.inf
                if np.isfinite(ll2):
                    assert np.all(np.isfinite(g))
                else:
                    assert ll2 == -np.inf and np.all(np.isnan(g))
