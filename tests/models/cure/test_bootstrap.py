"""Batched bootstrap: agreement with one-at-a-time refits, reproducibility, Dask."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from remission.data import SurvivalData
from remission.models import fit_distribution
from remission.models.cure import bootstrap_cure, fit_cure_model
from remission.parallel import make_chunks


def cartitude():
    from importlib import resources

    with resources.files("remission.datasets").joinpath(
            "cartitude1-pfs-approx.csv.gz").open("rb") as f:
        df = pd.read_csv(f, compression="gzip")
    return SurvivalData.from_arrays(df.time, df.event)


@pytest.fixture(scope="module")
def fitted():
    d = cartitude()
    return d, fit_cure_model(d, "weibull", "mixture")


def test_batched_refits_equal_generic_optimiser_refits(fitted):
    d, fit = fitted
    b = bootstrap_cure(fit, d, reps=12, seed=3, scheduler="sync")
    seeds = make_chunks(12, 3)[0].seeds
    for i in range(12):
        if b.status[i] != 0:
            continue
        w = np.random.default_rng(seeds[i]).multinomial(d.n, np.full(d.n, 1 / d.n))
        f = fit_distribution(fit.dist, d.time, d.event, weights=w)
        # both are converged to a Newton decrement < 1e-9: coefficients agree to ~1e-6
        np.testing.assert_allclose(b.all_coefs[i], f.coef, rtol=1e-5, atol=1e-6)


def test_same_seed_same_numbers_whatever_the_chunking(fitted):
    d, fit = fitted
    a = bootstrap_cure(fit, d, reps=60, seed=11, scheduler="sync", chunk_size=60)
    b = bootstrap_cure(fit, d, reps=60, seed=11, scheduler="sync", chunk_size=7)
    np.testing.assert_array_equal(a.all_coefs, b.all_coefs)
    np.testing.assert_array_equal(a.status, b.status)
    c = bootstrap_cure(fit, d, reps=60, seed=12, scheduler="sync")
    assert not np.array_equal(a.all_coefs, c.all_coefs)


def test_local_dask_cluster_gives_the_same_numbers(fitted):
    d, fit = fitted
    a = bootstrap_cure(fit, d, reps=40, seed=5, scheduler="sync", chunk_size=10)
    b = bootstrap_cure(fit, d, reps=40, seed=5, scheduler="local", n_workers=2, chunk_size=10)
    np.testing.assert_array_equal(a.all_coefs, b.all_coefs)


@pytest.mark.parametrize("kind", ["nonparametric", "parametric"])
def test_bootstrap_intervals_and_bookkeeping(fitted, kind):
    d, _ = fitted
    r = fit_cure_model(d, "weibull", "mixture", ci="bootstrap", reps=400, seed=1,
                       bootstrap=kind)
    doc = r.to_dict()
    bs = doc["bootstrap"]
    assert bs["reps"] == 400 and bs["used"] + bs["failed"] == 400 and bs["type"] == kind
    cf = doc["cure_fraction"]
    assert 0 <= cf["lower"] < cf["estimate"] < cf["upper"] <= 1
    # the percentile interval of the replicate cure fractions (pi = expit of coefficient 0)
    pis = 1 / (1 + np.exp(-r.bootstrap.coefs[:, 0]))
    assert cf["lower"] == pytest.approx(np.quantile(pis, 0.025), rel=1e-9)
    for p in doc["predictions"]:
        assert p["lower"] <= p["survival"] <= p["upper"]
    # the same seed reproduces the document exactly
    r2 = fit_cure_model(d, "weibull", "mixture", ci="bootstrap", reps=400, seed=1,
                        bootstrap=kind)
    assert r2.to_dict() == doc


def test_non_converged_replicates_are_counted_not_used(fitted):
    d, fit = fitted
    # five Newton steps from the full-data estimate do not reach the 1e-9 decrement for many
    # resamples (19 of 30 here): those must be reported as failed and left out of the
    # intervals
    b = bootstrap_cure(fit, d, reps=30, seed=2, scheduler="sync", max_iter=5)
    assert 0 < b.n_failed < 29
    assert b.coefs.shape[0] == 30 - b.n_failed
    assert b.to_dict()["failed"] == b.n_failed
    good = bootstrap_cure(fit, d, reps=30, seed=2, scheduler="sync")
    ok = b.status == 0
    np.testing.assert_allclose(b.all_coefs[ok], good.all_coefs[ok], rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("kind", ["nonparametric", "parametric"])
def test_bootstrap_standard_errors_match_the_information(kind):
    """n = 1,000 with a well-identified plateau: bootstrap SDs of the coefficients agree with
    the inverse-information SEs.  400 replicates: Monte Carlo relative error of an SD is
    1 / sqrt(2 * 400) = 3.5%; large-sample agreement of the two is within a few percent, so
    20% is a generous (> 5 sigma) bound that still catches a wrong simulation or weighting."""
    rng = np.random.default_rng(10)
    n = 1000
    cured = rng.random(n) < 0.4
    t = np.where(cured, np.inf, 2.0 * rng.weibull(1.4, n))
    c = rng.uniform(5, 9, n)
    d = SurvivalData.from_arrays(np.minimum(t, c), (t <= c).astype(int))
    fit = fit_cure_model(d, "weibull", "mixture")
    b = bootstrap_cure(fit, d, reps=400, seed=8, kind=kind, scheduler="sync")
    assert b.n_failed == 0 and b.n_boundary == 0
    sd = np.std(b.coefs, axis=0, ddof=1)
    np.testing.assert_allclose(sd, fit.fit.se, rtol=0.2)
    # and the replicates are centred on the estimate (bias << SE at this n)
    assert np.all(np.abs(np.mean(b.coefs, axis=0) - fit.fit.coef) < 0.3 * fit.fit.se)


def test_too_few_usable_replicates_is_a_convergence_error(fitted):
    """One Newton step converges no resample: no interval can be formed, and that is said
    rather than returned as an empty result."""
    from remission.errors import ConvergenceError

    d, fit = fitted
    with pytest.raises(ConvergenceError, match="0 of 30"):
        bootstrap_cure(fit, d, reps=30, seed=2, scheduler="sync", max_iter=1)


def test_boundary_resamples_are_refitted_as_the_base_model(fitted):
    """CARTITUDE-1's plateau is short: some resamples have no interior maximum (pi -> 0).  They
    are kept with pi = 0 and their latency is the exact weighted base-model MLE."""
    from remission.distributions import get_distribution

    d, fit = fitted
    b = bootstrap_cure(fit, d, reps=200, seed=1, scheduler="sync")
    rows = np.flatnonzero(b.status == 1)
    assert rows.size > 0 and b.n_failed == 0
    seeds = make_chunks(200, 1)[0].seeds
    for i in rows[:3]:
        w = np.random.default_rng(seeds[i]).multinomial(d.n, np.full(d.n, 1 / d.n))
        base = fit_distribution(get_distribution("weibull"), d.time, d.event, weights=w)
        assert b.all_coefs[i, 0] == -np.inf  # logit(0)
        np.testing.assert_allclose(b.all_coefs[i, 1:], base.coef, rtol=1e-6, atol=1e-8)
