"""Covariates, case weights and per-level scales against R survreg
(tests/fixtures/survreg_covariates.R -> survreg_covariates.json; the test never calls R).

Tolerances as in test_survreg_fixtures.py: log-likelihood 1e-9 relative (second order in the
coefficients), coefficients 1e-6 relative / 1e-6 absolute (survreg stops at a 1e-9 relative
change in loglik, i.e. ~1e-6 in the least-determined coefficient with these smaller data),
covariance 1e-5 relative (finite-difference versus analytic Hessian).
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from remission.data.survival_data import SurvivalData
from remission.models import fit_parametric

from ..bundled import FIXTURES, frame

FIX = json.loads((FIXTURES / "survreg_covariates.json").read_text())
VET = frame("veteran")


def data(weights=None):
    return SurvivalData.from_arrays(VET.time, VET.status, weights=weights, covariates=VET)


def to_r(fit):
    """Our coefficients/covariance reordered to survreg's (location coefs..., log scale)."""
    p = fit.k
    if fit.dist.name == "lognormal":
        return fit.coef, fit.vcov
    P = np.zeros((p, p))
    P[: p - 1, 1:] = np.eye(p - 1)
    P[p - 1, 0] = -1.0
    return P @ fit.coef, P @ fit.vcov @ P.T


@pytest.mark.parametrize("key,dist,cov,weights", [
    ("weibull_karno_celltype", "weibull", ["karno", "celltype"], None),
    ("loglogistic_karno_age", "loglogistic", ["karno", "age"], None),
    ("lognormal_weighted", "lognormal", ["factor(trt)"], "trt"),
])
def test_location_covariates(key, dist, cov, weights):
    ref = FIX[key]
    w = None if weights is None else VET[weights].to_numpy(float)
    fit = fit_parametric(data(w), dist, covariates=cov)
    assert fit.converged
    assert fit.loglik == pytest.approx(ref["loglik"], rel=1e-9)
    coef, vc = to_r(fit)
    expected = ref["coef"] + ref["log_scale"]
    np.testing.assert_allclose(coef, expected, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(vc, np.asarray(ref["vcov"]), rtol=1e-5, atol=1e-9)


def test_strata_are_covariates_on_the_shape():
    """survreg's strata(celltype) (one scale per level) = flexsurv's anc on the shape."""
    ref = FIX["weibull_strata_celltype"]
    fit = fit_parametric(data(), "weibull", covariates=["celltype"], anc={"shape": ["celltype"]})
    assert fit.converged
    assert fit.loglik == pytest.approx(ref["loglik"], rel=1e-9)
    names = list(fit.coef_names)
    loc = [fit.coef[names.index("scale")]] + [fit.coef[names.index(f"scale:celltype={lev}")]
                                              for lev in ("large", "smallcell", "squamous")]
    np.testing.assert_allclose(loc, ref["coef"], rtol=1e-6, atol=1e-6)
    g0 = fit.coef[names.index("shape")]
    log_shape = [g0] + [g0 + fit.coef[names.index(f"shape:celltype={lev}")]
                        for lev in ("large", "smallcell", "squamous")]
    np.testing.assert_allclose(-np.asarray(log_shape), ref["log_scale"], rtol=1e-6, atol=1e-6)
