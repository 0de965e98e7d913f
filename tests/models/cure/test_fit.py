"""Cure-model fits: agreement with lifelines, the no-plateau boundary, links, covariates,
relative survival and the SPEC document."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from remission.data import SurvivalData
from remission.distributions import Distribution, get_distribution
from remission.models import fit_distribution
from remission.models.cure import (MixtureCure, NonMixtureCure, fit_cure, fit_cure_model,
                                   probability_cured)

from ...bundled import frame


def bundled(name, tcol, ecol, event_code=1):
    df = frame(name)
    return SurvivalData.from_arrays(df[tcol].to_numpy(float),
                                    (df[ecol].to_numpy() == event_code).astype(int),
                                    covariates=df)


@pytest.mark.parametrize("name,tcol,ecol,code", [("ovarian", "futime", "fustat", 1),
                                                  ("alloauto", "time", "delta", 1),
                                                  ("lung", "time", "status", 2)])
def test_weibull_mixture_agrees_with_lifelines(name, tcol, ecol, code):
    import lifelines  # a test dependency (pyproject [test]): missing must fail, not skip

    d = bundled(name, tcol, ecol, code)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = lifelines.MixtureCureFitter(base_fitter=lifelines.WeibullFitter()).fit(
            d.time, d.event.astype(int))
    r = fit_cure_model(d, "weibull", "mixture")
    assert r.converged and r.boundary is None
    # both report the full censored log-likelihood; lifelines stops its optimiser at a
    # gradient tolerance that leaves ~1e-9 in the log-likelihood
    assert r.loglik == pytest.approx(m.log_likelihood_, abs=1e-6)
    # lifelines: S(t) = exp(-(t / lambda_)^rho_) -> our scale = lambda_, shape = rho_; the
    # estimates agree to lifelines' convergence tolerance (~1e-6 relative)
    est = {p["name"]: p["estimate"] for p in r.parameters()}
    assert est["cure"] == pytest.approx(m.params_["cured_fraction_"], rel=2e-5, abs=1e-6)
    assert est["shape"] == pytest.approx(m.params_["rho_"], rel=2e-5)
    assert est["scale"] == pytest.approx(m.params_["lambda_"], rel=2e-5)
    times = np.quantile(d.time, [0.1, 0.5, 0.9])
    np.testing.assert_allclose(r.survival(times).estimate[0],
                               m.survival_function_at_times(times).to_numpy(), rtol=1e-5)


@pytest.mark.parametrize("cure", ["mixture", "non-mixture"])
def test_no_plateau_reports_boundary_not_failure(cure):
    """myeloma has no plateau: the cure fraction is 0 at the boundary, with a one-sided bound."""
    df = frame("myeloma")
    d = SurvivalData.from_arrays(df.futime, df.death)
    r = fit_cure_model(d, "weibull", cure)
    assert r.converged and r.boundary is not None
    cf = r.cure_fraction()
    assert cf.estimate[0, 0] == 0.0 and cf.lower[0, 0] == 0.0
    # 3,882 patients, survival falling steadily to ~0.05: any plateau is tiny
    assert 0 < cf.upper[0, 0] < 0.01
    doc = r.to_dict()
    assert doc["boundary"] and doc["converged"] and doc["cure_fraction"]["estimate"] == 0.0
    base = fit_distribution(get_distribution("weibull"), d.time, d.event)
    if cure == "mixture":  # the boundary mixture model is exactly the base model
        assert r.loglik == pytest.approx(base.loglik, rel=1e-12)
    # the profile bound satisfies its defining equation 2 (l0 - l(U)) = chi2_1(0.90)
    if cure == "mixture":
        f = fit_distribution(r.dist, d.time, d.event, fixed={"cure": cf.upper[0, 0]})
        # the bound is found by brentq with xtol 1e-3 on log(pi) (boundary.py); near a
        # quadratic profile LR ~ (pi/se)^2 moves by ~2 * LR * 1e-3 = 0.005: 0.02 is 4x that
        assert 2 * (r.loglik - f.loglik) == pytest.approx(2.7055, abs=0.02)


def simulate(n, pi, rng, shape=1.3, scale=2.0, cmin=5.0, cmax=9.0):
    cured = rng.random(n) < pi
    t = np.where(cured, np.inf, scale * rng.weibull(shape, n))
    c = rng.uniform(cmin, cmax, n)
    return np.minimum(t, c), (t <= c).astype(int)


def test_logistic_and_identity_links_give_the_same_cure_fraction():
    rng = np.random.default_rng(8)
    t, e = simulate(300, 0.3, rng)
    d = SurvivalData.from_arrays(t, e)
    a = fit_cure(d, dist="weibull", cure="mixture", link="logistic")
    b = fit_cure(d, dist="weibull", cure="mixture", link="identity")
    # the MLE is invariant to the parameterisation; optimiser tolerance ~1e-8
    assert a["cure_fraction"]["estimate"] == pytest.approx(b["cure_fraction"]["estimate"],
                                                           rel=1e-6)
    assert a["loglik"] == pytest.approx(b["loglik"], rel=1e-10)
    # the identity-link interval is the symmetric Wald interval, the logistic one is not
    lo, up = b["cure_fraction"]["lower"], b["cure_fraction"]["upper"]
    assert (lo + up) / 2 == pytest.approx(b["cure_fraction"]["estimate"], rel=1e-6)


class _MixtureAsPromotion(Distribution):
    """F'(t) = log S_mix(t) / log pi0: the base that turns a non-mixture model into the
    mixture model with S_mix = pi0 + (1 - pi0) S_u, for a fixed pi0 (a proper cdf: 0 at t = 0,
    increasing, 1 at infinity)."""

    name = "mixture-as-promotion"

    def __init__(self, pi0):
        self.pi0 = pi0
        self.w = get_distribution("weibull")
        self.parameters = self.w.parameters
        self.constraints = self.w.constraints
        self.location = "scale"

    def cumulative_hazard(self, params, t):
        S = self.pi0 + (1 - self.pi0) * self.w.survival(params, t)
        return -np.log1p(-np.log(S) / np.log(self.pi0))

    def log_hazard(self, params, t):
        S = self.pi0 + (1 - self.pi0) * self.w.survival(params, t)
        f = (1 - self.pi0) * self.w.density(params, t)
        Fp = np.log(S) / np.log(self.pi0)
        return np.log(f / (S * -np.log(self.pi0))) - np.log1p(-Fp)

    def start(self, time, event, weights=None):
        return self.w.start(time, event, weights)


def test_non_mixture_coincides_with_mixture_for_the_transformed_base():
    """Theory: any mixture model S = pi + (1 - pi) S_u is the non-mixture model pi^F' with
    F' = log S / log pi.  With the cure fraction held at the mixture MLE, the non-mixture fit
    over that base must reproduce the mixture fit exactly (same likelihood surface)."""
    rng = np.random.default_rng(3)
    t, e = simulate(400, 0.35, rng)
    mix = fit_distribution(MixtureCure(get_distribution("weibull")), t, e)
    pi = mix.parameters()[0]["estimate"]
    non = fit_distribution(NonMixtureCure(_MixtureAsPromotion(pi)), t, e, fixed={"cure": pi})
    assert non.loglik == pytest.approx(mix.loglik, rel=1e-10)
    np.testing.assert_allclose(non.coef, mix.coef[1:], rtol=1e-5)
    tt = np.array([0.5, 2.0, 6.0])
    np.testing.assert_allclose(non.survival(tt).estimate, mix.survival(tt).estimate,
                               rtol=1e-8)


def test_cure_covariates_and_cure_fraction_by():
    rng = np.random.default_rng(21)
    n = 1500
    arm = rng.choice(["A", "B"], n)
    age = rng.normal(60, 8, n)
    pi = np.where(arm == "B", 0.5, 0.25)
    cured = rng.random(n) < pi
    tt = np.where(cured, np.inf, 2.0 * rng.weibull(1.3, n) * np.exp(0.01 * (age - 60)))
    c = rng.uniform(6, 10, n)
    df = pd.DataFrame({"arm": arm, "age": age})
    d = SurvivalData.from_arrays(np.minimum(tt, c), (tt <= c).astype(int), covariates=df)
    doc = fit_cure(d, dist="weibull", cure="mixture", cure_covariates=["arm"],
                   covariates=["age"])
    by = {r["pattern"]["arm"]: r for r in doc["cure_fraction_by"]}
    assert set(by) == {"A", "B"}
    for arm_, truth in (("A", 0.25), ("B", 0.5)):
        r = by[arm_]
        assert r["lower"] < r["estimate"] < r["upper"]
        # n = 750 per arm: SE ~0.02; 4 SE
        assert abs(r["estimate"] - truth) < 0.08
    # overall = the average of the patients' cure fractions
    share_b = np.mean(arm == "B")
    want = (1 - share_b) * by["A"]["estimate"] + share_b * by["B"]["estimate"]
    assert doc["cure_fraction"]["estimate"] == pytest.approx(want, rel=1e-9)
    names = [p["name"] for p in doc["parameters"]]
    assert "cure:arm=B" in names and "scale:age" in names


def test_spec_document_and_derived_quantities():
    rng = np.random.default_rng(5)
    t, e = simulate(400, 0.4, rng)
    d = SurvivalData.from_arrays(t, e)
    fit = fit_cure_model(d, "weibull", "mixture")
    doc = fit.to_dict([1.0, 2.0, 4.0])
    for key in ("dist", "cure", "n", "events", "k", "converged", "loglik", "aic", "bic",
                "parameters", "predictions", "median", "cure_fraction", "cure_fraction_by"):
        assert key in doc
    assert doc["k"] == 3 and doc["cure"] == "mixture" and doc["dist"] == "weibull"
    pi = doc["cure_fraction"]["estimate"]
    # P(cured | event-free at t) = pi / S(t): pi at t = 0, increasing, towards 1
    pc = probability_cured(fit, [0.0, 1.0, 3.0, 8.0])
    assert pc.estimate[0, 0] == pytest.approx(pi)
    assert np.all(np.diff(pc.estimate[0]) > 0)
    assert np.all((pc.lower <= pc.estimate) & (pc.estimate <= pc.upper))
    # time to 90% / 95%: pi / S(t) equals the level there
    ct = fit.cure_time((0.9, 0.95))
    for j, lev in enumerate((0.9, 0.95)):
        tq = ct.estimate[0, j]
        assert pi / fit.survival([tq]).estimate[0, 0] == pytest.approx(lev, rel=1e-6)
        assert ct.lower[0, j] < tq < ct.upper[0, j]
    # the uncured median is the base distribution's median
    th = [float(p[0]) for p in fit.fit.natural_parameters()]
    assert fit.uncured_median().estimate[0, 0] == pytest.approx(
        get_distribution("weibull").median(th[1:]), rel=1e-9)


def test_relative_survival_recovers_the_statistical_cure():
    """Simulate excess-hazard cure data over US life-table mortality; the relative-survival
    cure model recovers pi, the naive model (ignoring background deaths) underestimates it."""
    from remission.models.background import BackgroundMortality, LifeTable

    rng = np.random.default_rng(4)
    n = 2000
    age = rng.uniform(60, 80, n)
    sex = rng.choice(["male", "female"], n)
    year = rng.uniform(1990, 2000, n)
    bg = BackgroundMortality(LifeTable.us(), age, sex, year, "years")
    cured = rng.random(n) < 0.4
    te = np.where(cured, np.inf, 2.0 * rng.weibull(1.3, n))
    # background death times by inversion of each subject's exact cumulative hazard
    grid = np.linspace(0, 40, 4001)
    Hb = bg.cumulative_hazard(grid)
    target = -np.log(rng.random(n))
    tb = np.array([np.interp(target[i], Hb[i], grid) if target[i] < Hb[i, -1] else np.inf
                   for i in range(n)])
    c = rng.uniform(8, 14, n)
    tt = np.minimum(te, tb)
    df = pd.DataFrame({"age": age, "sex": sex, "year": year})
    d = SurvivalData.from_arrays(np.minimum(tt, c), (tt <= c).astype(int), covariates=df,
                                 time_unit="years")
    doc = fit_cure(d, dist="weibull", cure="mixture", lifetable="us", age="age", sex="sex",
                   year="year")
    cf = doc["cure_fraction"]
    assert doc["relative_survival"]
    # SE ~0.012 at n = 2000: the 95% interval should contain the truth (fixed seed), and the
    # estimate be within 4 SE
    assert cf["lower"] < 0.4 < cf["upper"]
    naive = fit_cure(d, dist="weibull", cure="mixture")
    assert naive["cure_fraction"]["estimate"] < cf["lower"]
    lol = doc["loss_of_lifetime"]
    assert 0 < lol["lower"] < lol["estimate"] < lol["upper"] < lol["expected_life"]
    # the same model through a per-subject bhazard column
    df2 = df.assign(bh=bg.hazard_at_exit(d.time))
    d2 = SurvivalData.from_arrays(d.time, d.event, covariates=df2, time_unit="years")
    doc2 = fit_cure(d2, dist="weibull", cure="mixture", bhazard="bh")
    assert doc2["cure_fraction"]["estimate"] == pytest.approx(cf["estimate"], rel=1e-8)
