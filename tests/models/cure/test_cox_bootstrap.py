"""The batched bootstrap of the Cox-latency mixture cure model (cox_fit._boot_chunk): every
replicate refitted at once by an ECM with one Newton step per M-step and an active set,
checked against one-at-a-time refits by the single-fit EM (M-steps solved to convergence)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from remission.data import SurvivalData
from remission.models.cure.cox_em import _prepare, em_batch
from remission.models.cure.cox_fit import fit_cox_cure, resample_counts
from remission.parallel import make_chunks

from ...fixtures.cox_cure.make_e1684_like import TRUTH, simulate
from ...sizes import REDUCED

FIXTURE = "tests/fixtures/cox_cure/e1684_like.csv"


def _data(df):
    return SurvivalData.from_arrays(df.FAILTIME.to_numpy(), df.FAILCENS.to_numpy(),
                                    covariates=df[["TRT"]])


@pytest.fixture(scope="module")
def e1684_like():
    from pathlib import Path

    return _data(pd.read_csv(Path(__file__).parents[3] / FIXTURE))


def test_batched_bootstrap_equals_one_at_a_time_refits(e1684_like):
    """Same seed -> same resamples; each replicate refitted alone by the full-data EM path
    (em_batch with one row, M-steps to convergence, warm start at the full estimate).  Both
    stop at change < 1e-8 (EM_TOL) on the same fixed point; EM contracts at rate < 0.99 here,
    so the two stopping points differ by well under 1e-6 (measured: 7e-9 on 200 replicates)."""
    reps, seed = 20, 5
    fit = fit_cox_cure(e1684_like, covariates=["TRT"], cure_covariates=["TRT"], reps=reps,
                       seed=seed, scheduler="sync")
    assert fit.n_failed == 0
    frame = e1684_like.covariates
    trt = frame["TRT"].to_numpy(float)
    Z = np.column_stack([np.ones(trt.size), trt])
    s = _prepare(e1684_like.time, e1684_like.event, Z, trt[:, None])
    C = resample_counts(s, np.ones(trt.size), False, make_chunks(reps, seed)[0])
    one = [em_batch(s, C[r:r + 1], fit.b[None], fit.beta[None]) for r in range(reps)]
    assert all(o["converged"][0] for o in one)
    b = np.array([o["b"][0] for o in one])
    beta = np.array([o["beta"][0] for o in one])
    np.testing.assert_allclose(fit.boot_b, b, atol=1e-6, rtol=0)
    np.testing.assert_allclose(fit.boot_beta, beta, atol=1e-6, rtol=0)
    se = {r["name"]: r["se"] for r in fit.parameters()}
    np.testing.assert_allclose([se["cure:TRT"], se["latency:TRT"]],
                               [np.std(b[:, 1], ddof=1), np.std(beta[:, 0], ddof=1)],
                               atol=1e-6, rtol=0)


def test_chunking_and_scheduler_do_not_change_the_numbers(e1684_like):
    """The same chunks give the same numbers bit for bit on any scheduler.  Other chunk sizes
    give the same replicates up to rounding: a batch that shrinks to one row takes NumPy's
    single-row summation path (other rounding order, ~1e-16), so 1e-12 bounds it."""
    kw = dict(covariates=["TRT"], cure_covariates=["TRT"], reps=12, seed=3)
    a = fit_cox_cure(e1684_like, chunk_size=5, scheduler="sync", **kw)
    b = fit_cox_cure(e1684_like, chunk_size=5, scheduler="threads", **kw)
    c = fit_cox_cure(e1684_like, chunk_size=12, scheduler="sync", **kw)
    np.testing.assert_array_equal(a.boot_b, b.boot_b)
    np.testing.assert_array_equal(a.boot_beta, b.boot_beta)
    np.testing.assert_array_equal(a.boot_H0, b.boot_H0)
    np.testing.assert_allclose(a.boot_b, c.boot_b, rtol=0, atol=1e-12)
    np.testing.assert_allclose(a.boot_beta, c.boot_beta, rtol=0, atol=1e-12)


def test_non_converged_replicates_are_flagged_not_frozen_mid_way(e1684_like):
    """A replicate stopped by the iteration cap is reported as not converged, its iteration
    count is the cap, and the replicates that converge are unaffected by it."""
    trt = e1684_like.covariates["TRT"].to_numpy(float)
    s = _prepare(e1684_like.time, e1684_like.event, np.column_stack([np.ones(trt.size), trt]),
                 trt[:, None])
    C = resample_counts(s, np.ones(trt.size), False, make_chunks(6, 2)[0])
    full = em_batch(s, C, newton=1)
    capped = em_batch(s, C, newton=1, max_iter=3)
    assert full["converged"].all() and not capped["converged"].any()
    assert (capped["replicate_iterations"] == 3).all()
    alone = em_batch(s, C[:1], newton=1)  # rounding-order differences only (see above)
    np.testing.assert_allclose(alone["b"][0], full["b"][0], rtol=0, atol=1e-12)


def test_failed_replicates_are_counted_and_excluded(e1684_like, monkeypatch):
    import remission.models.cure.cox_fit as cox_fit

    real = cox_fit.em_batch

    def capped(s, C, b0=None, beta0=None, newton=None):
        if C.shape[0] == 1:        # the full-data fit runs to convergence
            return real(s, C, b0, beta0, newton=newton)
        return real(s, C, b0, beta0, newton=newton, max_iter=2)

    monkeypatch.setattr(cox_fit, "em_batch", capped)
    fit = fit_cox_cure(e1684_like, covariates=["TRT"], cure_covariates=["TRT"], reps=8, seed=1,
                       scheduler="sync")
    assert fit.converged and fit.n_failed == 8 and fit.boot_b.shape[0] == 0
    assert fit.to_dict()["bootstrap"]["failed"] == 8


@pytest.mark.slow
def test_estimates_recover_the_truth_by_simulation():
    """Point estimates over simulated e1684-like trials (the fixture's generator and truth).
    Reduced: 40 trials of 284 (SD of one estimate ~0.2-0.35, so the mean's SE is <= 0.06 and
    a band of 0.2 is > 3 SE plus the small-sample bias of the logistic MLE, ~0.02).  Full: 200
    trials, band 0.1."""
    m, band = (40, 0.2) if REDUCED else (200, 0.1)
    rng = np.random.default_rng(20261202)
    est = []
    for _ in range(m):
        fit = fit_cox_cure(_data(simulate(284, rng)), covariates=["TRT"],
                           cure_covariates=["TRT"], reps=0)
        assert fit.converged
        est.append([fit.b[0], fit.b[1], fit.beta[0]])
    mean = np.mean(est, axis=0)
    want = [TRUTH["cure"], TRUTH["cure:TRT"], TRUTH["latency:TRT"]]
    np.testing.assert_allclose(mean, want, atol=band)
