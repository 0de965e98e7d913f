"""The one contract of every fitted model (remission.models.protocol.FittedModel).

Every concrete subclass of FittedModel anywhere under remission.models is found by walking the
package, so a new kind of fitted model cannot join without a real fit here: the test of
coverage below fails until FITS makes one.  Each fit is checked against identities that hold
for any survival model (S = exp(-H), median = quantile(0.5), S(quantile(p)) = 1 - p, dH/dt = h,
rmst = integral of S, the plateau of a cure model is its cure fraction) and against the shape
of its predictions, summary and document.
"""
from __future__ import annotations

import importlib
import inspect
import json
import pkgutil

import numpy as np
import pytest

import remission.models as models
from remission.cli._parametric_common import clean
from remission.data import SurvivalData
from remission.models import FittedCureModel, FittedModel, ModelSpec, Prediction

SPEC_KEYS = {"dist", "cure", "n", "events", "k", "converged", "loglik", "aic", "bic",
             "parameters", "predictions", "median", "cure_fraction", "cure_fraction_by"}

#: one real fit of every kind of fitted model
FITS = {
    "weibull": ModelSpec(dist="weibull"),
    "lognormal-covariate": ModelSpec(dist="lognormal", covariates=("arm",)),
    "weibull-mixture": ModelSpec(dist="weibull", cure="mixture"),
    "loglogistic-non-mixture": ModelSpec(dist="loglogistic", cure="non-mixture"),
    "weibull-mixture-bootstrap": ModelSpec(dist="weibull", cure="mixture", ci="bootstrap",
                                           reps=60, seed=5),
    "cox-mixture": ModelSpec(dist="cox", cure="mixture", reps=60, seed=5),
}
#: the models whose S, H and quantiles are continuous in t (the Cox latency is a step function)
CONTINUOUS = {k for k in FITS if not k.startswith("cox")}


def _data():
    """A cure trial with known truth: 35% cured, Weibull(1.3, 2) latency, uniform censoring
    on (4, 8); arm shortens the latency."""
    rng = np.random.default_rng(20261202)
    n = 400
    arm = rng.integers(0, 2, n)
    cured = rng.random(n) < 0.35
    t = np.where(cured, np.inf, 2.0 * rng.weibull(1.3, n) * np.exp(-0.3 * arm))
    c = rng.uniform(4, 8, n)
    import pandas as pd

    return SurvivalData.from_arrays(np.minimum(t, c), t <= c,
                                    covariates=pd.DataFrame({"arm": arm}))


@pytest.fixture(scope="module")
def fits():
    d = _data()
    return {k: spec.fit(d) for k, spec in FITS.items()}


def fitted_model_classes() -> set:
    for info in pkgutil.walk_packages(models.__path__, "remission.models."):
        importlib.import_module(info.name)
    out, todo = set(), [FittedModel]
    while todo:
        for sub in todo.pop().__subclasses__():
            out.add(sub)
            todo.append(sub)
    return {c for c in out if not inspect.isabstract(c)}


def test_every_fitted_model_class_has_a_fit_here(fits):
    classes = fitted_model_classes()
    assert {"ParametricFit", "CureFit", "CoxCureFit"} <= {c.__name__ for c in classes}
    assert classes == {type(f) for f in fits.values()}


def _ordered(p: Prediction):
    """lower <= estimate <= upper wherever all three are finite (1e-12 relative slack for
    the rounding of mapping an interval back from its scale)."""
    e, lo, up = p.estimate, p.lower, p.upper
    ok = np.isfinite(e) & np.isfinite(lo) & np.isfinite(up)
    tol = 1e-12 * np.maximum(1.0, np.abs(e))
    assert ok.any(), p.what
    assert np.all(lo[ok] <= e[ok] + tol[ok]) and np.all(e[ok] <= up[ok] + tol[ok]), p.what


@pytest.mark.parametrize("key", list(FITS))
def test_predictions_are_predictions_with_ordered_limits(fits, key):
    f = fits[key]
    times = np.array([0.5, 1.0, 2.0, 3.5])
    preds = [f.survival(times), f.cumulative_hazard(times), f.quantile([0.2, 0.4]),
             f.rmst([1.0, 3.0]), f.median(), f.hazard(times)]
    for p in preds:
        assert isinstance(p, Prediction)
        assert p.estimate.shape == p.lower.shape == p.upper.shape == (1, p.at.size)
    for p in preds[:5]:  # the hazard of a step baseline is 0 between events: checked below
        _ordered(p)


@pytest.mark.parametrize("key", list(FITS))
def test_survival_is_exp_of_minus_cumulative_hazard(fits, key):
    f = fits[key]
    t = np.linspace(0.1, 6.0, 13)
    S, H = f.survival(t).estimate, f.cumulative_hazard(t).estimate
    # the two are computed by different code (a cure combinator's S = pi + (1 - pi) S_u,
    # H = -log S); agreement to rounding
    np.testing.assert_allclose(S, np.exp(-H), rtol=1e-10)
    assert np.all(np.diff(S[0]) <= 1e-15) and np.all((0 <= S) & (S <= 1))


@pytest.mark.parametrize("key", list(FITS))
def test_median_is_quantile_one_half(fits, key):
    f = fits[key]
    m, q = f.median(), f.quantile(0.5)
    for a in ("estimate", "lower", "upper"):
        np.testing.assert_array_equal(getattr(m, a), getattr(q, a))


@pytest.mark.parametrize("key", sorted(CONTINUOUS))
def test_quantile_inverts_survival_and_hazard_is_dH_dt(fits, key):
    f = fits[key]
    p = np.array([0.1, 0.3, 0.45])
    q = f.quantile(p).estimate[0]
    # the quantile is found by bisection/closed form to ~1e-10 relative; S(q) = 1 - p
    np.testing.assert_allclose(f.survival(q).estimate[0], 1 - p, rtol=1e-7)
    t = np.array([0.7, 1.5, 3.0])
    h = 1e-5
    dH = (f.cumulative_hazard(t + h).estimate - f.cumulative_hazard(t - h).estimate) / (2 * h)
    # central difference: error O(h^2 H''') ~ 1e-10, plus rounding 1e-16 / h ~ 1e-11
    np.testing.assert_allclose(f.hazard(t).estimate, dH, rtol=1e-6)


@pytest.mark.parametrize("key", list(FITS))
def test_rmst_is_the_integral_of_survival(fits, key):
    f = fits[key]
    tau = 3.0
    if key in CONTINUOUS:
        g = np.linspace(0.0, tau, 4001)
        s = f.survival(g).estimate[0]
        ref = float(np.sum(0.5 * (s[1:] + s[:-1]) * np.diff(g)))
        # trapezoid rule on 4000 panels of a smooth S: error ~ tau h^2 |S''| / 12 < 1e-6
        np.testing.assert_allclose(f.rmst(tau).estimate[0, 0], ref, rtol=1e-6)
    else:
        # a step function: the left Riemann sum over its own jump times is exact
        knots = np.concatenate([[0.0], f.time[f.time < tau], [tau]])
        s = f.survival(knots[:-1]).estimate[0]
        np.testing.assert_allclose(f.rmst(tau).estimate[0, 0], np.sum(s * np.diff(knots)),
                                   rtol=1e-12)


def test_step_hazard_jumps_add_up_to_the_cumulative_hazard(fits):
    f = fits["cox-mixture"]
    jt = f.time[f.time <= 3.0]
    jumps = f.hazard(jt).estimate[0]
    assert np.all(jumps >= 0) and f.hazard([0.123456]).estimate[0, 0] == 0.0
    np.testing.assert_allclose(np.sum(jumps), f.cumulative_hazard([3.0]).estimate[0, 0],
                               rtol=1e-12)


@pytest.mark.parametrize("key", list(FITS))
def test_cure_fraction_is_the_plateau_or_none(fits, key):
    f = fits[key]
    cf = f.cure_fraction()
    if f.cure_kind is None:
        assert cf is None and f.marginal_cure_fraction() is None
        assert f.to_dict([1.0])["cure_fraction"] is None
        return
    assert isinstance(cf, Prediction)
    _ordered(cf)
    pi = float(cf.estimate[0, 0])
    assert 0 <= cf.lower[0, 0] <= cf.upper[0, 0] <= 1
    # far beyond the follow-up the uncured have all had the event: S -> pi (at t = 1e9 even
    # the log-logistic's polynomial tail leaves S_u < 1e-9); the truth is 0.35 and a fit of
    # 400 patients is within a few standard errors of it
    np.testing.assert_allclose(f.survival([1e9]).estimate[0, 0], pi, rtol=1e-8)
    assert abs(pi - 0.35) < 0.12


@pytest.mark.parametrize("key", [k for k in FITS if "mixture" in k])
def test_cure_models_combine_the_cured_and_the_uncured(fits, key):
    f = fits[key]
    assert isinstance(f, FittedCureModel)
    t = np.array([0.5, 1.5, 3.0, 6.0])
    S = f.survival(t).estimate[0]
    Su = f.uncured_survival(t).estimate[0]
    pi = float(f.cure_fraction().estimate[0, 0])
    # mixture: S = pi + (1 - pi) S_u; non-mixture (promotion time): S = pi^(1 - S_u)
    model = pi + (1 - pi) * Su if f.cure_kind == "mixture" else pi ** (1 - Su)
    np.testing.assert_allclose(S, model, rtol=1e-10)
    # P(cured | event-free at t) = pi / S(t), rising from pi towards 1
    pc = f.probability_cured(t)
    np.testing.assert_allclose(pc.estimate[0], np.clip(pi / S, 0, 1), rtol=1e-10)
    assert np.all(np.diff(pc.estimate[0]) >= 0)
    _ordered(pc)
    um = f.uncured_median().estimate[0, 0]
    if f.cure_kind == "mixture" and np.isfinite(um):  # half of the uncured by their median
        assert f.uncured_survival([um]).estimate[0, 0] <= 0.5 + 1e-7


@pytest.mark.parametrize("key", list(FITS))
def test_parameters_summary_and_document(fits, key):
    f = fits[key]
    rows = f.parameters()
    assert rows and all({"name", "estimate", "se", "lower", "upper"} <= set(r) for r in rows)
    tab = f.summary()
    assert tab.to_text() and tab.to_html().startswith("<table")
    json.dumps(tab.to_dict())
    doc = f.to_dict([1.0, 2.0])
    assert SPEC_KEYS <= set(doc)
    assert doc["cure"] == f.cure_kind and doc["n"] == 400 and doc["converged"]
    assert [p["time"] for p in doc["predictions"]] == [1.0, 2.0]
    assert doc["median"]["estimate"] == pytest.approx(float(f.median().estimate[0, 0]))
    json.dumps(clean(doc), allow_nan=False)


def test_the_spec_validates_once_before_any_data():
    from remission.errors import OptionError

    for bad, word in ((dict(dist="cox"), "--cure mixture"),
                      (dict(dist="cox", cure="non-mixture"), "--cure mixture"),
                      (dict(cure="promotion"), "--cure"),
                      (dict(dist="nope"), "nope"),
                      (dict(link="cloglog"), "--link"),
                      (dict(cure="mixture", anc={"shape": ["age"]}), "--anc"),
                      (dict(ci="bootstrap", reps=0), "--reps"),
                      (dict(bootstrap="parametric"), "--ci bootstrap"),
                      (dict(conf_level=float("nan")), "--conf-level"),
                      (dict(horizon=10.0), "--lifetable"),
                      (dict(lifetable="us", age="age"), "--sex"),
                      (dict(lifetable="us", age=1, sex=1, year=1, bhazard="bh"), "not both"),
                      (dict(dist="cox", cure="mixture", bhazard="bh"), "--bhazard"),
                      (dict(dist="cox", cure="mixture", bootstrap="parametric"), "parametric")):
        with pytest.raises(OptionError, match=word.replace("-", r"\-")):
            ModelSpec(**bad)
    s = ModelSpec(dist="Weibull", cure="nonmixture", covariates=["factor(arm)"],
                  lifetable="us", age="age", sex="female", year=2001)
    assert (s.dist, s.cure) == ("weibull", "non-mixture")
    assert s.columns == ["arm", "age"]  # sex and year are values for every patient
    with pytest.raises(Exception):
        s.dist = "gompertz"  # frozen
    assert hash(s) == hash(ModelSpec(dist="weibull", cure="non-mixture",
                                     covariates=("factor(arm)",), lifetable="us", age="age",
                                     sex="female", year=2001))
