"""Likelihood-ratio test of cure fraction 0 with the boundary null 0.5 chi2(0) + 0.5 chi2(1)."""
import numpy as np
import pytest
from scipy import stats

from remission.evidence.lrt import boundary_lrt_pvalue, model_evidence

from .conftest_data import cure_data


def test_boundary_pvalue_is_half_the_chi2_tail():
    for lr in (0.1, 1.0, 2.705543, 5.0, 10.0):
        assert boundary_lrt_pvalue(lr) == pytest.approx(0.5 * stats.chi2.sf(lr, 1), rel=1e-12)
    assert boundary_lrt_pvalue(0.0) == 1.0 and boundary_lrt_pvalue(-1e-9) == 1.0
    # the 5% critical value of the mixture is the 10% point of chi2(1)
    assert boundary_lrt_pvalue(stats.chi2.isf(0.10, 1)) == pytest.approx(0.05, rel=1e-12)


def test_lrt_detects_a_large_cure_fraction_and_agrees_with_km():
    t, e = cure_data(1, n=300, cure=0.4)
    ev = model_evidence(t, e)
    assert ev.converged and ev.lr > 20 and ev.p_value < 1e-5
    assert ev.preferred == "cure"
    # AIC difference = LR - 2 (one extra parameter), exactly
    assert ev.aic_nocure - ev.aic_cure == pytest.approx(ev.lr - 2, rel=1e-10)
    ag = ev.agreement()
    # KM plateau and Weibull cure fraction estimate the same quantity from the same patients:
    # they differ by far less than the CI half-width (~0.06); observed 0.003 (fixed seed)
    assert ag["intervals_overlap"] and abs(ag["difference"]) < 0.03
    d = ev.to_dict()
    assert d["null_distribution"] == "0.5 chi2(0) + 0.5 chi2(1)"
    assert d["cure_fraction"]["lower"] < 0.4 < d["cure_fraction"]["upper"]


def test_lr_is_twice_the_loglik_difference():
    t, e = cure_data(5, n=120, cure=0.2)
    ev = model_evidence(t, e)
    assert ev.lr == pytest.approx(max(0.0, 2 * (ev.loglik_cure - ev.loglik_nocure)), rel=1e-12)


def test_mixture_loglik_matches_the_formula():
    # l = sum_events [log(1 - pi) + log f_u(t)] + sum_censored log(pi + (1 - pi) S_u(t)),
    # Weibull f_u, S_u: the full censored log-likelihood SPEC asks for; same doubles, 1e-10
    from remission.evidence.lrt import fit_cure_weibull

    t, e = cure_data(9, n=150, cure=0.35)
    f1, f0 = fit_cure_weibull(t, e)
    pi, k, lam = (float(np.ravel(v)[0]) for v in f1.natural_parameters())
    z = (t / lam) ** k
    logf = np.log(k / lam) + (k - 1) * np.log(t / lam) - z
    ll = np.sum(np.log1p(-pi) + logf[e]) + np.sum(np.log(pi + (1 - pi) * np.exp(-z[~e])))
    assert f1.loglik == pytest.approx(ll, rel=1e-10)
    k0, lam0 = (float(np.ravel(v)[0]) for v in f0.natural_parameters())
    z0 = (t / lam0) ** k0
    ll0 = np.sum(np.log(k0 / lam0) + (k0 - 1) * np.log(t[e] / lam0)) - np.sum(z0)
    assert f0.loglik == pytest.approx(ll0, rel=1e-10)
