"""Issue 13: shuffling the rows changes no fitted number (loglik, estimates, standard errors)
beyond 1e-8 relative, for every family (gamma and gengamma included, whose derivatives are
taken by differences) and for a mixture cure model, with and without covariates.

The fits see the rows in a canonical order (models/fit.py: canonical_order), so the agreement
is in fact exact; 1e-8 relative is the issue's contract and leaves room for a platform's
summation to reassociate.  A test that could fail: before the canonical order, gengamma's SEs
moved by ~1e-5 and gamma's by ~3e-6 relative on lung under a shuffle.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import remission as rm
from remission.models.cure.fit import fit_cure_model
from remission.models.fit import fit_parametric

FAMILIES = ["exponential", "weibull", "gompertz", "lognormal", "loglogistic", "gamma",
            "gengamma", "spline", "cure"]
RTOL = 1e-8  # the contract (see the module docstring)


@pytest.fixture(scope="module")
def lung():
    return rm.load_example("lung", covariates=["sex", "age"])


def _numbers(data, family, covariates):
    if family == "cure":
        f = fit_cure_model(data, "weibull", "mixture", covariates=covariates)
        fit = f.fit
    else:
        fit = fit_parametric(data, family, covariates=covariates)
    se = np.sqrt(np.diag(fit.vcov))
    return np.concatenate([[fit.loglik], fit.coef, se])


def _check(data, family, covariates, seed):
    perm = np.random.default_rng(seed).permutation(data.n)
    a = _numbers(data, family, covariates)
    b = _numbers(data.subset(perm), family, covariates)
    assert np.all(np.isfinite(a))
    np.testing.assert_allclose(b, a, rtol=RTOL, atol=0)


@pytest.mark.parametrize("family", FAMILIES)
@settings(max_examples=3, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_shuffle_changes_no_number(lung, family, seed):
    _check(lung, family, (), seed)


@pytest.mark.parametrize("family", ["weibull", "gengamma", "cure"])
@settings(max_examples=2, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_shuffle_with_covariates(lung, family, seed):
    _check(lung, family, ["sex", "age"], seed)
