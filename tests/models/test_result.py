"""The frozen fit result: parameters, predictions with delta-method intervals, summary."""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from remission.data.survival_data import SurvivalData
from remission.models import fit_parametric

from ..bundled import frame

DF = frame("lung")
DATA = SurvivalData.from_arrays(DF.time, DF.status, covariates=DF, time_unit="days")


@pytest.fixture(scope="module")
def weib():
    return fit_parametric(DATA, "weibull")


def test_result_is_frozen(weib):
    with pytest.raises(dataclasses.FrozenInstanceError):
        weib.loglik = 0.0


def test_aic_bic(weib):
    assert weib.aic == pytest.approx(-2 * weib.loglik + 4)
    assert weib.bic == pytest.approx(-2 * weib.loglik + 2 * np.log(228))


def test_median_delta_method_closed_form(weib):
    """log median = log b + log(log 2) / a: its gradient in (log a, log b) is analytic."""
    la, lb = weib.coef
    a = np.exp(la)
    g = np.array([-np.log(np.log(2)) / a, 1.0])
    se = np.sqrt(g @ weib.vcov @ g)
    m = weib.median()
    z = norm.ppf(0.975)
    # finite-difference Jacobian (step 1e-6) against the exact gradient: 1e-7 relative
    assert m.lower[0, 0] == pytest.approx(m.estimate[0, 0] * np.exp(-z * se), rel=1e-7)
    assert m.upper[0, 0] == pytest.approx(m.estimate[0, 0] * np.exp(z * se), rel=1e-7)


def test_survival_intervals_inside_unit_interval(weib):
    t = np.array([1.0, 100, 500, 1000, 3000])
    p = weib.survival(t)
    assert np.all((p.lower >= 0) & (p.upper <= 1))
    assert np.all((p.lower <= p.estimate) & (p.estimate <= p.upper))
    assert p.scale == "log-cumulative-hazard"


@pytest.mark.parametrize("what", ["hazard", "cumulative_hazard", "rmst"])
def test_other_predictions_bracket_estimate(weib, what):
    p = getattr(weib, what)([100.0, 400.0])
    assert np.all((p.lower < p.estimate) & (p.estimate < p.upper))


def test_mean_and_rmst(weib):
    assert weib.rmst([np.inf]).estimate[0, 0] == pytest.approx(weib.mean().estimate[0, 0],
                                                                rel=1e-9)


def test_summary_renders_three_ways(weib):
    s = weib.summary()
    assert "shape" in str(s) and "scale" in str(s)
    assert s.to_html().startswith("<table")
    doc = json.loads(s.to_json())
    assert doc["rows"][0]["parameter"] == "shape"
    assert doc["loglik"] == pytest.approx(weib.loglik)


def test_predictions_for_new_covariate_profiles():
    fit = fit_parametric(DATA, "weibull", covariates=["factor(sex)", "age"])
    new = pd.DataFrame({"sex": [1, 2], "age": [60, 60]})
    s = fit.survival([365.0], new).estimate[:, 0]
    assert s[1] > s[0]  # women (sex 2) live longer in lung
    ref = fit.survival([365.0]).estimate[0, 0]  # reference profile: sex 1, mean age
    pr = fit.natural_parameters(pd.DataFrame({"sex": [1], "age": [DF.age.mean()]}))
    assert ref == pytest.approx(float(fit.dist.survival([p[0] for p in pr], 365.0)), rel=1e-12)


def test_string_categories_use_first_level_as_reference():
    df = DF.assign(arm=np.where(DF.sex == 1, "control", "treated"))
    d = SurvivalData.from_arrays(df.time, df.status, covariates=df)
    fit = fit_parametric(d, "weibull", covariates=["arm"])
    assert "scale:arm=treated" in fit.coef_names
