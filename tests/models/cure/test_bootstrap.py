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
    # one Newton step from the full-data estimate cannot reach the 1e-9 decrement for most
    # resamples: those must be reported as failed and left out of the intervals
    b = bootstrap_cure(fit, d, reps=30, seed=2, scheduler="sync", max_iter=1)
    assert b.n_failed > 0
    assert b.coefs.shape[0] == 30 - b.n_failed
    assert b.to_dict()["failed"] == b.n_failed
    good = bootstrap_cure(fit, d, reps=30, seed=2, scheduler="sync")
    ok = b.status == 0
    np.testing.assert_allclose(b.all_coefs[ok], good.all_coefs[ok], rtol=1e-6, atol=1e-8)
