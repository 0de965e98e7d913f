"""Yuen-Musta smoothed-Grenander test: the estimator against a direct quadrature of its
definition, the hull against the single-sample LCM, the bootstrap p-value's mechanics and the
per-group (covariate) form."""
import doctest

import numpy as np
import pytest
from scipy import integrate

from remission.evidence import smoothed_grenander as sg
from remission.evidence.followup_tests import lcm_slopes
from remission.evidence.yuen_musta import smooth_world, yuen_musta_by_group, yuen_musta_test
from remission.nonparametric import kaplan_meier
from remission.nonparametric.km_batch import km_batch

from .conftest_data import cure_data


def k(s):
    return 35 / 32 * (1 - s * s) ** 3


def boundary_kernel(lo, hi):
    """Local-linear boundary kernel on [lo, hi], built from quadrature moments (independent
    of the closed-form moments in the module)."""
    m = [integrate.quad(lambda s: s ** j * k(s), lo, hi, epsabs=1e-14)[0] for j in range(3)]
    det = m[0] * m[2] - m[1] ** 2
    return lambda v: (m[2] - m[1] * v) / det * k(v)


def test_kernel_moments_match_quadrature():
    for s in (-1.0, -0.3, 0.0, 0.55, 1.0, 2.0):
        got = sg.kernel_moments(s)
        for j in range(3):
            ref = integrate.quad(lambda u: u ** j * k(u), -1, min(s, 1.0), epsabs=1e-14)[0]
            assert got[j] == pytest.approx(ref, abs=1e-12)


def _samples(seed=1, b=4, n=60):
    rng = np.random.default_rng(seed)
    lat = 10 * rng.weibull(1.2, (b, n))
    t = np.where(rng.random((b, n)) < 0.3, np.inf, lat)
    c = rng.uniform(10, 30, (b, n))
    return np.minimum(t, c), t <= c


def test_hull_is_the_least_concave_majorant():
    y, d = _samples()
    kx, ky = sg.km_lcm_rows(km_batch(y, d))
    for i in range(y.shape[0]):
        km = kaplan_meier(y[i], d[i])
        hx, _ = lcm_slopes(np.r_[0.0, km.time], np.r_[0.0, 1 - km.survival])
        np.testing.assert_allclose(np.unique(kx[i]), hx, rtol=0, atol=0)


def test_smoothed_grenander_at_tau_g_matches_its_definition():
    # f^SG(tau_G) = int k_B((tau_G - u)/h) f^G(u) du / h, integrated numerically from the hull
    # slopes; quadrature tolerance 1e-10 relative (piecewise-polynomial integrand split at the
    # hull vertices)
    y, d = _samples(seed=2)
    got = sg.sg_at_end(km_batch(y, d))
    kb = boundary_kernel(0.0, 1.0)
    for i in range(y.shape[0]):
        km = kaplan_meier(y[i], d[i])
        hx, sl = lcm_slopes(np.r_[0.0, km.time], np.r_[0.0, 1 - km.survival])
        tg = y[i].max()
        h = min(tg * y.shape[1] ** -0.2, tg / 2)

        def f_g(u):
            j = np.searchsorted(hx, u, side="left") - 1
            return sl[min(max(j, 0), sl.size - 1)] if u <= hx[-1] else 0.0

        pts = list(hx[(hx > tg - h) & (hx < tg)])
        ref = integrate.quad(lambda u: kb((tg - u) / h) * f_g(u) / h, tg - h, tg,
                             points=pts or None, limit=200, epsabs=1e-13)[0]
        assert got[i] == pytest.approx(ref, rel=1e-10, abs=1e-13)


def test_smoothed_lcm_matches_its_definition_at_both_ends_and_inside():
    y, d = _samples(seed=3, b=1, n=80)
    km = kaplan_meier(y[0], d[0])
    kx, ky = sg.km_lcm_rows(km_batch(y, d))
    kx, ky = kx[0], ky[0]
    tg = y[0].max()
    h = 0.3 * tg
    grid = np.array([0.05 * tg, 0.5 * tg, 0.9 * tg, tg])
    got = sg.smooth_cdf_grid(kx, ky, grid, h, tg)

    def lcm(u):
        return np.interp(u, kx, ky)

    for x, g in zip(grid, got):
        lo, hi = max(-1.0, (x - tg) / h), min(1.0, x / h)
        kb = boundary_kernel(lo, hi)
        ref = integrate.quad(lambda v: kb(v) * lcm(x - h * v), lo, hi, limit=200,
                             points=[(x - p) / h for p in kx if lo < (x - p) / h < hi] or None,
                             epsabs=1e-13)[0]
        assert g == pytest.approx(ref, rel=1e-9, abs=1e-12)


def test_world_inverts_the_smoothed_distribution():
    t, e = cure_data(5, n=120)
    w = smooth_world(t, e)
    u = np.array([0.0, 0.2, 0.5, w.cdf.max() - 1e-9, w.cdf.max() + 1e-6])
    x = w.draw(u)
    assert np.isinf(x[-1]) and np.all(np.isfinite(x[:-1]))
    # each finite draw is the first grid point where the running maximum reaches u
    run = np.maximum.accumulate(w.cdf)
    for ui, xi in zip(u[:-1], x[:-1]):
        j = np.searchsorted(w.grid, xi)
        assert run[j] >= ui and (j == 0 or run[j - 1] < ui)


def test_bootstrap_pvalue_is_reproducible_and_counts_exceedances():
    t, e = cure_data(7, n=150, cure=0.4, shape=2.0, scale=8.0, c_lo=25, c_hi=50)
    a = yuen_musta_test(t, e, reps=199, seed=3)
    b = yuen_musta_test(t, e, reps=199, seed=3, scheduler="threads")
    assert a == b
    k_plus_1 = a.p_value * 200
    assert k_plus_1 == pytest.approx(round(k_plus_1), abs=1e-9)
    # well-followed cure (F_u(25) = 1 - 6e-5): follow-up is shown sufficient
    assert a.p_value < 0.05 and a.statistic < a.critical_value


def test_insufficient_followup_is_not_called_sufficient():
    # exponential latency, mean 30, followed 10-30: F_u(30) = 0.63
    t, e = cure_data(8, n=200, cure=0.3, shape=1.0, scale=30.0, c_lo=10, c_hi=30)
    a = yuen_musta_test(t, e, reps=199, seed=1)
    assert a.p_value > 0.5 and a.statistic > a.critical_value
    # the seed drives the bootstrap: another seed, another critical value
    assert yuen_musta_test(t, e, reps=199, seed=2).critical_value != a.critical_value


def test_each_group_gets_its_own_answer():
    t1, e1 = cure_data(9, n=120, cure=0.4, shape=2.0, scale=8.0, c_lo=25, c_hi=50)
    t2, e2 = cure_data(10, n=100, cure=0.3, shape=1.0, scale=30.0, c_lo=10, c_hi=30)
    t, e = np.r_[t1, t2], np.r_[e1, e2]
    g = np.array(["A"] * 120 + ["B"] * 100)
    r = yuen_musta_by_group(t, e, g, reps=99, seed=2)
    tau = 2 * t.max()
    assert r["groups"]["A"] == yuen_musta_test(t1, e1, tau=tau, reps=99, seed=2)
    assert r["groups"]["B"].tau_g == t2.max() and r["groups"]["B"].tau == tau
    assert r["groups"]["A"].p_value < 0.05 < r["groups"]["B"].p_value
    assert r["least_sufficient"] == "B" and not r["all_sufficient"]
    assert r["p_value_all"] == r["groups"]["B"].p_value


def test_docstring_examples():
    res = doctest.testmod(sg)
    assert res.attempted > 0 and res.failed == 0
