"""Background mortality from life tables and extrapolation with it."""
from __future__ import annotations

import numpy as np
import pytest

from remission.data.survival_data import SurvivalData
from remission.errors import DataError
from remission.models import fit_parametric
from remission.models.background import BackgroundMortality, LifeTable
from remission.models.extrapolate import extrapolate

from ..bundled import frame

# the bundled US life table as a plain table (its bytes are pinned by SHA-256 in
# tests/datasets/test_registry.py)
CSV = frame("us-lifetable")


def test_bundled_table_gives_the_csv_numbers():
    tab = LifeTable.us()
    for _, r in CSV.sample(50, random_state=1).iterrows():
        got = tab.daily_hazard(r.age, r.sex, r.year)
        assert float(got) == r.hazard_per_day  # same numbers, no rounding


def test_user_table_and_sex_codings():
    tab = LifeTable.from_frame(CSV)
    a = tab.daily_hazard([50.5, 50.5], np.array(["male", "female"], dtype=object), [2000, 2000])
    bg = BackgroundMortality(tab, [50.5, 50.5], [1, 2], [2000, 2000], "days")
    np.testing.assert_array_equal(bg.hazard([0.0])[:, 0], a)


def test_follows_subjects_as_age_and_year_advance():
    tab = LifeTable.us()
    bg = BackgroundMortality(tab, [60.0], ["male"], [1990.0], "years")
    h = bg.hazard([0.5, 1.5, 10.5])[0]
    exp = [tab.daily_hazard(60, "male", 1990), tab.daily_hazard(61, "male", 1991),
           tab.daily_hazard(70, "male", 2000)]
    np.testing.assert_allclose(h, np.asarray(exp).ravel() * 365.25, rtol=1e-15)
    # beyond the table: oldest age, last year
    assert bg.hazard([80.0])[0, 0] == pytest.approx(tab.daily_hazard(109, "male", 2014) * 365.25)


def test_cumulative_hazard_is_exact_integral():
    bg = BackgroundMortality(LifeTable.us(), [61.3, 45.0], ["female", "male"], [2003.6, 1970.0],
                             "months")
    t = np.linspace(0, 400, 400001)
    h = bg.hazard(t)
    num = np.concatenate([np.zeros((2, 1)), np.cumsum(0.5 * (h[:, 1:] + h[:, :-1]) * np.diff(t),
                                                      axis=1)], axis=1)
    # the trapezoid rule errs only across the ~70 jumps, by <= jump * dt / 2 each: ~1e-6
    np.testing.assert_allclose(bg.cumulative_hazard([400.0])[:, 0], num[:, -1], rtol=1e-5)


def test_bad_sex_code():
    with pytest.raises(DataError, match="sex"):
        BackgroundMortality(LifeTable.us(), [60], ["x"], [2000])


@pytest.fixture(scope="module")
def lung():
    df = frame("lung")
    d = SurvivalData.from_arrays(df.time, df.status, covariates=df, time_unit="days")
    return d, BackgroundMortality(LifeTable.us(), df.age, df.sex, np.full(len(df), 2000), "days")


def test_extrapolation_never_exceeds_model_or_population(lung):
    d, bg = lung
    fit = fit_parametric(d, "lognormal")
    ex = extrapolate(fit, bg, 365.25 * 30, n_grid=3000)
    assert np.all(ex.survival <= ex.model_survival + 1e-12)
    assert np.all(ex.survival <= ex.expected_survival + 1e-12)
    assert ex.mean_survival < ex.model_mean_survival
    assert 0 < ex.mean_survival < 365.25 * 30


def test_extrapolation_equals_model_when_model_hazard_dominates(lung):
    d, bg = lung
    fit = fit_parametric(d, "exponential")  # rate ~ 0.0024/day >> population hazard (~5e-5)
    ex = extrapolate(fit, bg, 365.25 * 5, n_grid=500)
    np.testing.assert_allclose(ex.survival, ex.model_survival, rtol=1e-12, atol=1e-300)


def test_plateau_model_is_pulled_down_by_population(lung):
    """A cure-like Gompertz plateau cannot outlive the general population."""
    d, bg = lung
    from remission.distributions import Gompertz
    from remission.models import fit_distribution

    fit = fit_distribution(Gompertz(), d.time, d.event, start=[(-0.003, 0.004)])
    ex = extrapolate(fit, bg, 365.25 * 60, n_grid=4000)
    assert ex.survival[-1] <= ex.expected_survival[-1] + 1e-12


def test_one_builder_values_equal_constant_columns(lung):
    """background_for takes each of age, sex and year as a column or one value: patients
    that are all alike (values) are followed as one, and give the cohort curve of n identical
    patients given as columns, with or without covariate profiles."""
    from remission.models.background import background_for

    d, _ = lung
    cols = d.covariates.assign(a60=60.0, s="female", y=2000.0)
    dc = SurvivalData.from_arrays(d.time, d.event, covariates=cols, time_unit="days")
    by_value = background_for(dc, "us", 60, "female", 2000)
    by_column = background_for(dc, "us", "a60", "s", "y")
    assert by_value.n == 1 and by_column.n == d.n
    for covs in ((), ("sex",)):
        fit = fit_parametric(dc, "weibull", covariates=covs)
        a = extrapolate(fit, by_value, 3650.0)
        b = extrapolate(fit, by_column, 3650.0)
        # the same per-patient sums; the mean over identical patients rounds differently
        np.testing.assert_allclose(a.survival, b.survival, rtol=1e-12)
        np.testing.assert_allclose(a.expected_survival, b.expected_survival, rtol=1e-12)
    # a fraction of men is a cohort, not one patient
    assert background_for(dc, "us", 60, 0.4, 2000).n == d.n
    with pytest.raises(DataError, match="neither a value nor a column"):
        background_for(dc, "us", "nope", "female", 2000)
