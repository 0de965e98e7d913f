"""The report's HTA section: life-years per model with the cohort stated, the year-beyond-
table note, and the TSD 14 diagnostic figures."""
import numpy as np
import pytest

import remission as rm
from remission.plots.diagnostics import loglog_figure

from .helpers import FAST, bundled


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    p = bundled("cartitude1-pfs-approx.csv.gz",
                tmp_path_factory.mktemp("d") / "cartitude1-pfs-approx.csv")
    return rm.analyze(p, age=61, sex="male", year=2019, **FAST)


def test_life_years_table_and_cohort(report):
    sec = report.section("hta")
    assert sec is not None
    ly = sec.data["cohorts"][0]["life_years"]
    assert ly
    for d in ly.values():
        m = d["mean_survival"]
        assert m["lower"] <= m["estimate"] <= m["upper"]
        assert d["mean_survival_discounted"]["estimate"] <= m["estimate"]
        # no model outlives the matched general population (population hazard is a floor)
        assert m["estimate"] <= d["population_mean_survival"] + 1e-9
    html = sec.html
    assert "age 61" in html and "sex male" in html and "year 2019" in html
    assert "2019 is beyond the table&#x27;s last year 2014" in html \
        or "2019 is beyond the table's last year 2014" in html
    assert "fig-hazard-0" in sec.figures and "fig-loglog-0" in sec.figures


def test_smr_and_discount_reach_the_life_years(report, tmp_path):
    """analyze(smr=, discount=): every model's life-years are those of the public
    rm.life_years with the same background mortality, SMR and rate (the one implementation,
    checked against an independent integration in tests/models), the cohort line states
    them, and the defaults (SMR 1, 3.5%) are what the report used before."""
    from remission.models.background import background_for
    from remission.models.lifeyears import life_years

    p = bundled("cartitude1-pfs-approx.csv.gz", tmp_path / "cartitude1-pfs-approx.csv")
    rep = rm.analyze(p, age=61, sex="male", year=2014, smr=3.0, discount=0.0, **FAST)
    sec = rep.section("hta")
    assert "SMR 3; discount 0% a year" in sec.html
    c = rep.context.cohorts[0]
    bg = background_for(c.data, "us", 61, "male", 2014, time_unit=rep.context.unit)
    base = report.section("hta").data["cohorts"][0]["life_years"]
    ly = sec.data["cohorts"][0]["life_years"]
    assert set(ly) == set(base)
    from remission.report import compute

    for m in compute.models(rep.context, c):
        if m.key not in ly:
            continue
        d = ly[m.key]
        assert d["smr"] == 3.0 and d["discount_rate"] == 0.0
        # no discounting: the discounted life-years are the undiscounted ones
        assert d["mean_survival_discounted"]["estimate"] == pytest.approx(
            d["mean_survival"]["estimate"], rel=1e-12)
        ref = life_years(m.fit, bg, rep.context.horizon, smr=3.0, discount=0.0, n_grid=480)
        assert d["mean_survival"]["estimate"] == pytest.approx(ref.mean[0], rel=1e-12)
        assert base[m.key]["smr"] == 1.0 and base[m.key]["discount_rate"] == 0.035
    with pytest.raises(rm.OptionError, match="--smr"):
        rm.analyze(p, smr=float("nan"), **FAST)


def test_loglog_of_a_weibull_is_a_line_of_slope_shape():
    shape, scale = 1.7, 3.0
    t = np.linspace(0.1, 10, 50)
    s = np.exp(-(t / scale) ** shape)
    fig = loglog_figure([], [("weibull", t, s, "#000")], "months")
    x, y = np.array(fig["data"][0]["x"]), np.array(fig["data"][0]["y"])
    slope = np.polyfit(np.log(x), y, 1)[0]
    assert slope == pytest.approx(shape, rel=1e-9)  # exact: log(-log S) = a log t - a log b


def test_extrapolation_plot_shows_the_life_years_curves_and_the_general_population(report):
    """The HTA section's extrapolation figure draws the very curves of the table: the area
    under each model's trace is its life-years and the area under the general-population
    trace is the population's mean survival (same trapezoid rule and grid as
    models/lifeyears.py, so equal to 1e-9 relative)."""
    sec = report.section("hta")
    fig = sec.figures["fig-lifeyears-0"]
    ly = sec.data["cohorts"][0]["life_years"]
    traces = {t["name"]: t for t in fig["data"] if t.get("name")}
    pop = [t for n, t in traces.items() if "general population" in n]
    assert len(pop) == 1

    def area(t):
        x, y = np.asarray(t["x"], float), np.asarray(t["y"], float)
        return float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(x)))

    d0 = next(iter(ly.values()))
    assert area(pop[0]) == pytest.approx(d0["population_mean_survival"], rel=1e-9)
    from remission.report import compute

    c = report.context.cohorts[0]
    models = {m.key: m for m in compute.models(report.context, c)}
    found = 0
    for key, d in ly.items():
        tr = traces.get(models[key].label)
        if tr is not None:
            found += 1
            assert area(tr) == pytest.approx(d["mean_survival"]["estimate"], rel=1e-9)
    assert found == len(ly)
    # the general population outlives every model (its hazard is each model's floor)
    assert float(pop[0]["y"][-1]) >= max(float(traces[models[k].label]["y"][-1]) for k in ly) \
        - 1e-12
    assert "fig-lifeyears-0" in sec.html
