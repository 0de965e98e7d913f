"""rm.extrapolate on every parametric fitted model (issue 15: it raised AttributeError on a
CureFit), each method against a direct computation from the fit's own curves."""
import numpy as np
import pytest

import remission as rm
from remission.models.background import BackgroundMortality, LifeTable
from remission.models.extrapolate import trapz


@pytest.fixture(scope="module")
def lung():
    return rm.load_example("lung", output_unit="years")


@pytest.fixture(scope="module")
def bg():
    return BackgroundMortality(LifeTable.us(), [70], ["female"], [2010], "years")


def _direct(fit, bg, grid, smr=1.0):
    """S by the rule written out with the fit's own survival/hazard curves on a fine grid:
    independent of extrapolate's chunks and parameter plumbing."""
    mid = 0.5 * (grid[1:] + grid[:-1])
    hp = smr * bg.hazard(mid)[0]
    Hp = bg.cumulative_hazard(grid)[0]
    if fit.cure_kind == "mixture":
        pi = float(fit.cure_fraction().estimate[0, 0])
        Su = fit.uncured_survival(grid).estimate[0]
        # the HTA mixture form: everyone carries smr h*, the uncured their latency on top
        return np.exp(-smr * Hp) * (pi + (1 - pi) * Su)
    S = fit.survival(grid).estimate[0]
    h = fit.hazard(mid).estimate[0]
    extra = np.concatenate([[0.0], np.cumsum(np.maximum(0, hp - h) * np.diff(grid))])
    return S * np.exp(-extra)


@pytest.mark.parametrize("cure,method", [(None, "max"), ("mixture", "mixture"),
                                         ("non-mixture", "max")])
@pytest.mark.parametrize("smr", [1.0, 2.5])
def test_every_fit_extrapolates(lung, bg, cure, method, smr):
    fit = rm.fit_model(lung, dist="weibull", cure=cure)
    ex = rm.extrapolate(fit, bg, 30.0, n_grid=3000, smr=smr)
    assert ex.method == method
    want = _direct(fit, bg, ex.time, smr)
    # the same rule on the same grid, evaluated through the public curves: equal to rounding
    assert ex.survival == pytest.approx(want, rel=1e-9, abs=1e-12)
    assert ex.mean_survival == pytest.approx(trapz(want, ex.time), rel=1e-9)
    # the population hazard is a floor and the model alone an upper bound
    assert np.all(ex.survival <= ex.model_survival + 1e-12)
    assert np.all(ex.survival <= ex.expected_survival ** smr + 1e-12)


def test_cache_gives_the_same_numbers(lung, bg):
    fit = rm.fit_model(lung, dist="weibull", cure="mixture")
    cache = {}
    a = rm.extrapolate(fit, bg, 20.0, cache=cache)
    b = rm.extrapolate(fit, bg, 20.0, cache=cache)
    c = rm.extrapolate(fit, bg, 20.0)
    assert cache and np.array_equal(a.survival, b.survival)
    assert np.array_equal(a.survival, c.survival)


def test_cox_latency_is_refused_clearly(lung, bg):
    from remission.errors import OptionError

    fit = rm.fit_model(lung, dist="cox", cure="mixture", reps=20)
    with pytest.raises(OptionError, match="cox"):
        rm.extrapolate(fit, bg, 10.0)
