"""Parametric competing risks against outside references (issue 18, part 3).

* Each cause-specific fit equals R ``survreg(Surv(time, etype == k) ~ 1)`` (the cause with the
  other causes censored) on bmt and mgus2 for four families
  (tests/fixtures/competing_parametric/survreg.R, survival 3.5.3).  Tolerances as
  tests/models/test_survreg_fixtures.py: survreg was run with rel.tolerance 1e-12, so its
  optimum is within ~1e-7 relative in the coefficients; the log-likelihood (second order at
  the optimum) at 1e-9 relative; the covariance compares our finite-difference Hessian with
  R's analytic one at 1e-5 relative.
* The cumulative incidences the two Weibull fits imply equal R's ``integrate()`` of
  h_k exp(-H_1 - H_2) from the same survreg estimates (an independent code and quadrature):
  1e-6 relative, the coefficients' own agreement (F is first order in them).
* Our quadrature equals ``scipy.integrate.quad`` of the same integrand at our estimates to
  1e-9 absolute (both integrate the same function; quad's requested tolerance is 1e-12 and
  Gauss-Legendre on the panels is exact to rounding for these smooth integrands, so 1e-9
  leaves room for the geometric panels near a singular Weibull hazard at 0).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.integrate import quad

from remission.models.competing import fit_competing

from ...bundled import FIXTURES
from ...nonparametric._competing_data import datasets
from ..test_survreg_fixtures import r_coefficients

REF = FIXTURES / "competing_parametric"
DISTS = ["exponential", "weibull", "lognormal", "loglogistic"]
_DATA = datasets()
_FITS: dict = {}


def fitted(name, dist):
    if (name, dist) not in _FITS:
        _FITS[(name, dist)] = fit_competing(_DATA[name], dist)
    return _FITS[(name, dist)]


def survreg():
    return pd.read_csv(REF / "survreg.csv")


@pytest.mark.parametrize("name", ["bmt", "mgus2"])
@pytest.mark.parametrize("dist", DISTS)
def test_each_cause_equals_survreg_with_the_others_censored(name, dist):
    ref = survreg()
    cr = fitted(name, dist)
    assert cr.causes == ("1", "2")
    for cause in ("1", "2"):
        r = ref[(ref.dataset == name) & (ref.dist == dist) & (ref.cause == int(cause))].iloc[0]
        fit = cr.fit_of(cause)
        assert fit.converged and fit.dist_name == dist
        assert fit.loglik == pytest.approx(r.loglik, rel=1e-9)
        coef, P = r_coefficients(fit)
        want = [r.intercept] + ([] if dist == "exponential" else [r.log_scale])
        np.testing.assert_allclose(coef, want, rtol=1e-6, atol=1e-7)
        vc = P @ fit.vcov @ P.T
        rv = np.array([[r.var_intercept]]) if dist == "exponential" else np.array(
            [[r.var_intercept, r.cov_intercept_log_scale],
             [r.cov_intercept_log_scale, r.var_log_scale]])
        np.testing.assert_allclose(vc, rv, rtol=1e-5, atol=1e-10)
    # the likelihood factorises: the joint log-likelihood is the sum of the causes'
    tot = ref[(ref.dataset == name) & (ref.dist == dist)].loglik.sum()
    assert cr.loglik == pytest.approx(tot, rel=1e-9)
    assert cr.aic == pytest.approx(-2 * tot + 2 * cr.k, rel=1e-9)


def test_a_family_per_cause_is_the_fit_of_that_family():
    d = _DATA["bmt"]
    cr = fit_competing(d, "lognormal,2=weibull")
    assert [f.dist_name for f in cr.fits] == ["lognormal", "weibull"]
    assert cr.fit_of("1").loglik == pytest.approx(fitted("bmt", "lognormal").fit_of("1").loglik,
                                                  rel=1e-12)
    assert cr.fit_of("2").loglik == pytest.approx(fitted("bmt", "weibull").fit_of("2").loglik,
                                                  rel=1e-12)


@pytest.mark.parametrize("name", ["bmt", "mgus2"])
def test_weibull_cif_equals_r_integrate(name):
    ref = pd.read_csv(REF / "cif.csv")
    ref = ref[ref.dataset == name]
    cr = fitted(name, "weibull")
    for cause in ("1", "2"):
        r = ref[ref.cause == int(cause)]
        got = cr.cumulative_incidence(cause, r.time.to_numpy()).estimate[0]
        np.testing.assert_allclose(got, r.cif.to_numpy(), rtol=1e-6)


def _quad_cif(cr, cause, times):
    """F_k at ``times`` (increasing) by scipy.integrate.quad of h_k exp(-sum H) at the fits'
    estimates, panel by panel between the times."""
    th = [[float(np.ravel(x)[0]) for x in f.natural_parameters()] for f in cr.fits]
    k = cr.causes.index(cause)

    def g(u):
        H = sum(float(f.dist.cumulative_hazard(p, u)) for f, p in zip(cr.fits, th))
        return float(cr.fits[k].dist.hazard(th[k], u)) * np.exp(-H)
    knots = [float(x) for f in cr.fits if getattr(f.dist, "knots", None) is not None
             for x in np.exp(f.dist.knots)]  # a spline's hazard has kinks at its knots
    out, acc, a = [], 0.0, 0.0
    for t in times:
        brk = [x for x in knots if a < x < t]
        if a == 0:
            brk += [t * 2.0 ** -j for j in range(1, 30)]  # a Weibull hazard singular at 0
        acc += quad(g, a, t, epsabs=1e-13, epsrel=1e-12, limit=500, points=brk or None)[0]
        out.append(acc)
        a = t
    return out


@pytest.mark.parametrize("dist", ["weibull", "gompertz", "gamma", "spline", "lognormal"])
def test_cif_integral_equals_quad(dist):
    """Families with and without closed forms, a spline included; times inside the data
    and beyond them (extrapolated).  The incidences and the event-free probability add to
    one (rounding only)."""
    d = _DATA["bmt"]
    cr = fit_competing(d, {"1": dist, "2": "weibull"})
    times = np.array([30.0, 365.0, 1000.0, 2640.0, 6000.0])
    pred = cr._predict(times)
    tot = pred["event-free"].estimate[0].copy()
    for c in cr.causes:
        F = pred[c][0].estimate[0]
        tot += F
        want = _quad_cif(cr, c, times)
        np.testing.assert_allclose(F, want, rtol=0, atol=1e-9)
    np.testing.assert_allclose(tot, 1.0, atol=1e-10)


def test_intervals_contain_the_estimate_inside_zero_one():
    cr = fitted("bmt", "weibull")
    p = cr.cumulative_incidence("1", [0.0, 100.0, 1000.0, 5000.0])
    assert p.estimate[0, 0] == 0 and p.lower[0, 0] == 0 and p.upper[0, 0] == 0
    assert np.all((0 < p.lower[0, 1:]) & (p.lower[0, 1:] < p.estimate[0, 1:])
                  & (p.estimate[0, 1:] < p.upper[0, 1:]) & (p.upper[0, 1:] < 1))
    assert p.scale == "log(-log)" and p.what == "cumulative_incidence"


def test_document_keys_and_landmarks():
    doc = fitted("bmt", "weibull").as_dict(times=[365, 730], horizon=3650)
    assert {"causes", "models", "cifs", "event_free", "horizon", "aic", "loglik",
            "nrm_population", "conf_level"} <= set(doc)
    assert [m["cause"] for m in doc["models"]] == ["1", "2"]
    assert {"dist", "parameters", "aic", "loglik"} <= set(doc["models"][0])
    assert [r["time"] for r in doc["cifs"][0]["landmarks"]] == [365.0, 730.0, 3650.0]
    assert doc["nrm_population"] is None
    s = np.array(doc["event_free"]["curve"]["estimate"])
    for c in doc["cifs"]:
        s = s + np.array(c["curve"]["estimate"])
    np.testing.assert_allclose(s, 1.0, atol=1e-10)


def test_bad_input():
    from remission.errors import DataError, OptionError
    from remission.data import SurvivalData

    with pytest.raises(OptionError, match="no cause 'x'"):
        fit_competing(_DATA["bmt"], "weibull,x=gompertz")
    with pytest.raises(DataError, match="cause"):
        fit_competing(SurvivalData.from_arrays([1.0, 2.0, 3.0], [1, 0, 1]))
    one = SurvivalData.from_arrays([1.0, 2.0, 3.0, 4.0], cause=["a", None, "a", "a"])
    with pytest.raises(DataError, match="two causes"):
        fit_competing(one)
    with pytest.raises(OptionError, match="--lifetable"):
        fit_competing(_DATA["bmt"], nrm_from=10)
