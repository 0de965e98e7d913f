"""Static TSD 14 diagnostics (``remission plot hazard|loglog``, issue 15 item 3): the plotted
points are the package's own estimators, the same ones the report's interactive figures use."""
import numpy as np
import pytest

import pandas as pd

import remission as rm
from remission.data import from_dataframe
from remission.datasets import load_example
from remission.models import ModelSpec
from remission.nonparametric.hazard_smooth import smoothed_hazard
from remission.plots import diagnostics
from remission.plots.static_diagnostics import hazard_plot, loglog_plot


@pytest.fixture(scope="module")
def lung():
    return load_example("lung")


def test_loglog_points_are_log_minus_log_kaplan_meier(lung):
    fig = loglog_plot(lung)
    lines = fig.axes[0].get_lines()
    groups = list(lung.by_group())
    assert len(lines) == len(groups) == 2
    for ln, (_, sub) in zip(lines, groups):
        km = rm.kaplan_meier(sub.time, sub.event)
        ok = (km.time > 0) & (km.survival > 0) & (km.survival < 1)
        want_t, want_y = km.time[ok], np.log(-np.log(km.survival[ok]))
        # same floats through the same transform; 1e-12 only allows for re-ordering of
        # floating-point operations (the values are O(1))
        np.testing.assert_allclose(ln.get_xdata(), want_t, rtol=0, atol=1e-12)
        np.testing.assert_allclose(ln.get_ydata(), want_y, rtol=0, atol=1e-12)
        assert len(want_y) > 20                 # a real curve, not an empty one
    assert fig.axes[0].get_xscale() == "log"


def test_loglog_of_exponential_data_has_slope_one():
    """Simulation with known truth: for exponential times log(-log S) = log(rate) + log t,
    a line of slope 1 on the plot (Weibull shape 1)."""
    rng = np.random.default_rng(15)
    t = rng.exponential(10.0, 4000)
    data = from_dataframe(pd.DataFrame({"t": t, "e": 1}), time="t", event="e")
    ln = loglog_plot(data).axes[0].get_lines()[0]
    x, y = np.log(ln.get_xdata()), ln.get_ydata()
    mid = (x > np.log(2)) & (x < np.log(30))        # away from the noisy ends
    slope, icpt = np.polyfit(x[mid], y[mid], 1)
    # n = 4000: the KM's relative error in -log S is ~1/sqrt(events) ~ 2-5%; 0.05 on a slope
    # fitted over 2.7 log-units is several standard errors wide
    assert abs(slope - 1.0) < 0.05
    assert abs(icpt - np.log(0.1)) < 0.1


@pytest.mark.parametrize("cure", ["none", "mixture"])
def test_model_hazard_curves_are_the_fits_hazard(lung, cure):
    fig = hazard_plot(lung, ["weibull", "lognormal"], cure=cure)
    assert len(fig.axes) == 2                   # one panel per sex
    for ax, (_, sub) in zip(fig.axes, lung.by_group()):
        emp, *models = ax.get_lines()
        grid = diagnostics.hazard_grid(sub.time)
        np.testing.assert_array_equal(emp.get_xdata(), grid)
        np.testing.assert_allclose(emp.get_ydata(), smoothed_hazard(sub.time, sub.event, grid),
                                   rtol=0, atol=1e-12)  # identical computation
        assert len(models) == 2
        for ln, d in zip(models, ["weibull", "lognormal"]):
            f = ModelSpec(dist=d, cure=None if cure == "none" else cure).fit(sub)
            want = np.ravel(f.hazard(grid).estimate[0])
            # same deterministic optimiser on the same data; 1e-9 relative leaves room for
            # nothing but floating-point noise
            np.testing.assert_allclose(ln.get_ydata(), want, rtol=1e-9, atol=0)
            assert np.all(want > 0)


def test_weibull_hazard_follows_the_empirical_one_on_lung(lung):
    """Outside check on the shape: lung's hazard rises (Weibull shape ~1.3 in survreg);
    the fitted Weibull hazard is increasing and within a factor 2 of the smoothed empirical
    one over the middle of follow-up (the kernel estimate is biased only near the ends)."""
    fig = hazard_plot(lung, ["weibull"])
    emp, wb = fig.axes[0].get_lines()
    y, h = emp.get_ydata(), wb.get_ydata()
    assert np.all(np.diff(h) > 0)
    mid = slice(20, 80)
    assert np.all((h[mid] / y[mid] > 0.5) & (h[mid] / y[mid] < 2))


def test_the_report_uses_the_same_transform():
    t = np.array([0.0, 1.0, 2.0, 3.0])
    s = np.array([1.0, 0.8, 0.5, 0.0])
    x, y = diagnostics.loglog_points(t, s)
    np.testing.assert_array_equal(x, [1.0, 2.0])
    np.testing.assert_allclose(y, np.log(-np.log([0.8, 0.5])), rtol=0, atol=1e-15)
    fig = diagnostics.loglog_figure([("", t, s)], [], "days")
    assert fig["data"][0]["y"] == [float(v) for v in y]
