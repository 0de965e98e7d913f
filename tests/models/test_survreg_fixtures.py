"""Agreement with R survival 3.5.3 ``survreg`` on five public datasets.

Reference values: tests/fixtures/r_survival/<dataset>.json (see the README.md there for their
conventions: survreg's intercept is log(scale) for Weibull/log-logistic, meanlog for the
log-normal, -log(rate) for the exponential; ``log_scale`` is log(survreg$scale), i.e.
-log(shape) for Weibull/log-logistic, log(sdlog) for the log-normal; ``vcov`` is on
(intercept, log scale)).

Tolerances: R's Newton-Raphson stops at a relative log-likelihood change of 1e-9
(``survreg.control``), so its coefficients sit within ~1e-8 relative of the true optimum
(the likelihood is quadratic there: an O(1e-9) change in loglik means O(sqrt(1e-9 / n)) in
the coefficients); our optimiser polishes to machine precision.  Quantities that depend on the
coefficients to first order (S(t), medians, coefficients) are compared at 1e-6 relative, the
log-likelihood and AIC (second order) at 1e-9 relative.  The covariance compares a finite-
difference Hessian (ours) with R's analytic one at slightly different points: 1e-5 relative.
"""
from __future__ import annotations

import numpy as np
import pytest

from remission.data.survival_data import SurvivalData
from remission.models import fit_parametric

from ..bundled import frame
from ..reference_cases import reference

DATASETS = {  # name: (time column, event column, group column of weibull_by_group)
    "lung": ("time", "status", "sex"),
    "veteran": ("time", "status", "trt"),
    "ovarian": ("futime", "fustat", "rx"),
    "alloauto": ("time", "delta", "type"),
    "myeloma": ("futime", "death", None),
}
DISTS = ["exponential", "weibull", "lognormal", "loglogistic"]


def load(name):
    tcol, ecol, _ = DATASETS[name]
    df = frame(name)
    return SurvivalData.from_arrays(df[tcol], df[ecol], covariates=df)


_FITS: dict = {}


def fitted(name, dist):
    key = (name, dist)
    if key not in _FITS:
        _FITS[key] = fit_parametric(load(name), dist)
    return _FITS[key]


def r_coefficients(fit):
    """Our estimates on survreg's (intercept, log scale) scale, with the Jacobian."""
    c = fit.coef
    if fit.dist.name == "exponential":
        return np.array([-c[0]]), np.array([[-1.0]])
    if fit.dist.name == "lognormal":  # (meanlog, log sdlog) is survreg's scale already
        return c.copy(), np.eye(2)
    # Weibull, log-logistic: ours (log shape, log scale) -> (log scale, -log shape)
    P = np.array([[0.0, 1.0], [-1.0, 0.0]])
    return P @ c, P


CASES = [(n, d) for n in DATASETS for d in DISTS]


@pytest.mark.parametrize("name,dist", CASES)
def test_loglik_and_aic(name, dist):
    ref = reference(name)["parametric"][dist]
    fit = fitted(name, dist)
    assert fit.converged
    assert fit.loglik == pytest.approx(ref["loglik"], rel=1e-9)
    assert fit.aic == pytest.approx(ref["aic"], rel=1e-9)


@pytest.mark.parametrize("name,dist", CASES)
def test_survival_and_median(name, dist):
    ref = reference(name)["parametric"][dist]
    fit = fitted(name, dist)
    s = fit.survival(ref["survival_at"]["time"]).estimate[0]
    np.testing.assert_allclose(s, ref["survival_at"]["survival"], rtol=1e-6)
    assert fit.median().estimate[0, 0] == pytest.approx(ref["median"], rel=1e-6)


@pytest.mark.parametrize("name,dist", CASES)
def test_coefficients_and_vcov(name, dist):
    ref = reference(name)["parametric"][dist]
    fit = fitted(name, dist)
    coef, P = r_coefficients(fit)
    expected = [ref["intercept"]] + ([ref["log_scale"]] if dist != "exponential" else [])
    # coefficients are logs (or a log-mean): an absolute difference of 1e-7 is a relative
    # difference of 1e-7 in scale/sigma, so near-zero log scales (myeloma: 0.035) use atol
    np.testing.assert_allclose(coef, expected, rtol=1e-6, atol=1e-7)
    vc = P @ fit.vcov @ P.T
    np.testing.assert_allclose(vc, np.asarray(ref["vcov"]), rtol=1e-5, atol=1e-10)


@pytest.mark.parametrize("name", [n for n, v in DATASETS.items() if v[2]])
def test_weibull_with_group_covariate(name):
    """survreg(Surv(time, status) ~ factor(group), dist = "weibull")."""
    ref = reference(name)["weibull_by_group"]
    group = DATASETS[name][2]
    fit = fit_parametric(load(name), "weibull", covariates=[f"factor({group})"])
    assert fit.converged
    assert fit.loglik == pytest.approx(ref["loglik"], rel=1e-9)
    # coefficients: (log shape, log scale intercept, group effect on log scale)
    np.testing.assert_allclose(fit.coef[1:], ref["coef"], rtol=1e-6, atol=1e-8)
    assert -fit.coef[0] == pytest.approx(ref["log_scale"], rel=1e-6)


@pytest.mark.parametrize("name", ["lung", "ovarian"])
def test_numeric_and_factor_coding_agree(name):
    """A two-level numeric column gives the same model as its factor (only the intercept
    moves), as in R."""
    group = DATASETS[name][2]
    a = fit_parametric(load(name), "weibull", covariates=[group])
    b = fit_parametric(load(name), "weibull", covariates=[f"factor({group})"])
    assert a.loglik == pytest.approx(b.loglik, rel=1e-12)
    assert a.coef[2] == pytest.approx(b.coef[2], rel=1e-6)
