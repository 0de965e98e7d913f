"""Semi-parametric mixture cure model (Cox PH latency, EM as smcure)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from remission.data import SurvivalData
from remission.models.cure import fit_cure, fit_cure_model
from remission.models.cure.cox_fit import fit_cox_cure


def test_administrative_censoring_gives_the_exact_closed_form():
    """No covariates, every censoring after the last event: the zero-tail constraint makes all
    censored subjects cured (w = 0), so pi = #censored / n exactly, and the Breslow step is the
    Nelson-Aalen estimator among the uncured (the events): S_u(t) = exp(-sum d_k / r_k), r_k
    the number of events at or after t_k."""
    rng = np.random.default_rng(0)
    ev_t = np.sort(rng.uniform(0.1, 5.0, 40))
    t = np.concatenate([ev_t, rng.uniform(6, 9, 25)])
    d = np.concatenate([np.ones(40), np.zeros(25)]).astype(int)
    fit = fit_cox_cure(SurvivalData.from_arrays(t, d), reps=0)
    assert fit.converged
    assert fit.cure_fraction().estimate[0, 0] == pytest.approx(25 / 65, rel=1e-9)
    tt = np.array([0.5, 2.0, 4.0])
    r = 40 - np.arange(40)  # events at risk at each (distinct) event time
    H = np.array([np.sum(1.0 / r[ev_t <= x]) for x in tt])
    want = 25 / 65 + 40 / 65 * np.exp(-H)
    np.testing.assert_allclose(fit.survival(tt).estimate[0], want, rtol=1e-9)


def simulate(n, rng):
    x = rng.normal(size=n)
    z = rng.integers(0, 2, n)
    pi = 1 / (1 + np.exp(-(-0.5 + 1.0 * z)))
    cured = rng.random(n) < pi
    # Weibull latency with log hazard ratio 0.5 for x
    tu = 2.0 * (rng.exponential(size=n) * np.exp(-0.5 * x)) ** (1 / 1.5)
    t = np.where(cured, np.inf, tu)
    c = rng.uniform(6, 10, n)
    df = pd.DataFrame({"x": x, "z": z})
    return SurvivalData.from_arrays(np.minimum(t, c), (t <= c).astype(int), covariates=df)


def test_recovers_incidence_and_latency_effects():
    d = simulate(1000, np.random.default_rng(1))
    fit = fit_cox_cure(d, covariates=["x"], cure_covariates=["z"], reps=100, seed=3)
    assert fit.converged and fit.n_failed == 0
    p = {r["name"]: r for r in fit.parameters()}
    # within 4 bootstrap standard errors of the truth
    assert abs(np.log(p["cure"]["estimate"] / (1 - p["cure"]["estimate"])) + 0.5) < 0.4
    assert abs(p["cure:z"]["estimate"] - 1.0) < 4 * p["cure:z"]["se"]
    assert abs(p["latency:x"]["estimate"] - 0.5) < 4 * p["latency:x"]["se"]
    # bootstrap SEs are of the size the information predicts (~0.15 and ~0.05 here)
    assert 0.08 < p["cure:z"]["se"] < 0.3 and 0.02 < p["latency:x"]["se"] < 0.1


def test_agrees_with_the_parametric_weibull_mixture_on_weibull_data():
    rng = np.random.default_rng(7)
    n = 800
    cured = rng.random(n) < 0.35
    t = np.where(cured, np.inf, 2.0 * rng.weibull(1.3, n))
    c = rng.uniform(5, 9, n)
    d = SurvivalData.from_arrays(np.minimum(t, c), (t <= c).astype(int))
    cox = fit_cox_cure(d, reps=0)
    par = fit_cure_model(d, "weibull", "mixture")
    # both consistent for pi; SE ~0.017 at n = 800, the two estimators differ by far less
    assert cox.cure_fraction().estimate[0, 0] == pytest.approx(
        float(par.cure_fraction().estimate[0, 0]), abs=0.02)
    tt = np.array([1.0, 3.0])
    np.testing.assert_allclose(cox.survival(tt).estimate[0], par.survival(tt).estimate[0], atol=0.03)


def test_bootstrap_is_reproducible_and_chunking_invariant():
    d = simulate(200, np.random.default_rng(2))
    a = fit_cox_cure(d, covariates=["x"], reps=30, seed=9, chunk_size=30, scheduler="sync")
    b = fit_cox_cure(d, covariates=["x"], reps=30, seed=9, chunk_size=4, scheduler="sync")
    # the same replicates up to rounding: a batch that shrinks to one row takes NumPy's
    # single-row summation path (another rounding order, ~1e-16); bit-for-bit equality on any
    # scheduler for the same chunks is tested in test_cox_bootstrap.py
    np.testing.assert_allclose(a.boot_b, b.boot_b, rtol=0, atol=1e-12)
    np.testing.assert_allclose(a.boot_beta, b.boot_beta, rtol=0, atol=1e-12)


def test_document_through_fit_cure():
    d = simulate(300, np.random.default_rng(4))
    doc = fit_cure(d, dist="cox", cure="mixture", covariates=["x"], cure_covariates=["z"],
                   reps=50, seed=1)
    for key in ("dist", "cure", "n", "events", "k", "converged", "loglik", "aic", "bic",
                "parameters", "predictions", "median", "cure_fraction", "cure_fraction_by"):
        assert key in doc
    assert doc["dist"] == "cox" and doc["loglik"] is None
    assert len(doc["cure_fraction_by"]) == 2
    for p in doc["predictions"]:
        assert p["lower"] <= p["survival"] <= p["upper"]
