"""Life-years with general-population mortality (issue 15) against outside references:
a hand computation from the bundled table's daily hazards and the published US life
expectancy, closed forms (exponential model, zero population hazard), and an independent ODE
integration (scipy solve_ivp) of each extrapolation method on real fits."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.integrate import solve_ivp

import remission as rm
from remission.cli import main
from remission.models.background import BackgroundMortality, LifeTable
from remission.models.lifeyears import life_years

from ..bundled import csv

LUNG = csv("lung")


def _hand_life_expectancy(age: int, sex: str = "male", year: int = 2014) -> float:
    """Period life expectancy from the table's daily hazards by hand: hazard constant within
    each year of age (age and year are integers at baseline, so both step together), rates
    after the table's last year = its last year's; e = sum_k S(k) (1 - exp(-m_k)) / m_k."""
    t = LifeTable.us()
    r = t.rates[sex][:, min(year, t.years[1]) - t.year0] * 365.25
    m = np.concatenate([r[age:], np.full(60, r[-1])])
    S = np.concatenate([[1.0], np.exp(-np.cumsum(m))])
    return float(np.sum(S[:-1] * (1 - np.exp(-m)) / m))


def test_population_mean_survival_is_life_expectancy():
    # a 61-year-old US man in 2014, to age 131 (survival there ~ 1e-40)
    bg = BackgroundMortality(LifeTable.us(), [61], ["male"], [2014], "years")
    fit = rm.fit_model(rm.load_example("lung", output_unit="years"), dist="exponential")
    ly = life_years(fit, bg, 70.0, n_grid=4000)
    # trapezoid on a 0.0175-year grid vs the exact sum: error ~ dt^2/12 * |S''| ~ 1e-7 a year
    assert ly.population_mean == pytest.approx(_hand_life_expectancy(61), rel=1e-6)
    # published cross-check: Arias, Heron & Xu, United States Life Tables 2014, NVSR 66(4)
    # (2017), life expectancy at 65 of US males = 18.0 years (rounded to 0.1; the bundled
    # table is survexp.us, built from the same NCHS data: tolerance 0.1 year)
    assert _hand_life_expectancy(65) == pytest.approx(18.0, abs=0.1)


def test_exponential_with_zero_population_hazard_is_closed_form():
    zero = pd.DataFrame([(a, s, y, 0.0) for s in ("male", "female") for y in (2000, 2001)
                         for a in range(111)], columns=["age", "sex", "year", "hazard_per_day"])
    bg = BackgroundMortality(LifeTable.from_frame(zero), [61], ["male"], [2000], "years")
    fit = rm.fit_model(rm.load_example("lung", output_unit="years"), dist="exponential")
    rate = float(fit.natural_parameters()[0][0])
    for h in (0.5, 3.0, 20.0):
        ly = life_years(fit, bg, h, n_grid=4000, discount=0.0)
        # the trapezoid rule's relative error for exp(-rate t) on step dt is (rate dt)^2 / 12
        # (to leading order): the tolerance is that, plus 10 %
        tol = 1.1 * (rate * h / 4000) ** 2 / 12
        assert ly.mean[0] == pytest.approx((1 - np.exp(-rate * h)) / rate, rel=tol)
        assert ly.population_mean == pytest.approx(h, rel=1e-12)
        assert ly.mean[1] < ly.mean[0] < ly.mean[2]
        d = life_years(fit, bg, h, n_grid=4000, discount=0.035).discounted[0]
        k = rate + np.log(1.035)  # discounting multiplies S by exp(-log(1.035) t)
        assert d == pytest.approx((1 - np.exp(-k * h)) / k, rel=1.1 * (k * h / 4000) ** 2 / 12)


def _pop_hazard(age, sex, year):
    """Per-year hazard of the bundled table after t years, by hand (the table's rates)."""
    t = LifeTable.us()
    r = t.rates[sex]

    def h(s):
        a = min(int(np.floor(age + s)), t.max_age)
        y = min(int(np.floor(year + s)), t.years[1]) - t.year0
        return r[a, y] * 365.25
    return h


def _weibull_h(shape, scale):
    return lambda s: (shape / scale) * (s / scale) ** (shape - 1) if s > 0 else \
        (np.inf if shape < 1 else (shape / scale if shape == 1 else 0.0))


def _ode_mean(total_hazard, horizon, weights=None):
    """Mean of S = sum_j w_j exp(-H_j) to the horizon by an ODE (RK45, rtol 1e-10)."""
    weights = weights or [1.0] * len(total_hazard)

    def rhs(s, y):
        k = len(total_hazard)
        hs = [f(s) for f in total_hazard]
        surv = sum(w * np.exp(-y[j]) for j, w in enumerate(weights))
        return hs + [surv]
    y0 = [0.0] * len(total_hazard) + [0.0]
    sol = solve_ivp(rhs, (1e-12, horizon), y0, rtol=1e-10, atol=1e-12, max_step=0.25)
    return float(sol.y[-1, -1])


def _cli(capsys, *args):
    code = main(["fit", LUNG, "--event", "status", "--time-unit", "days", "--output-unit",
                 "months", "--lifetable", "us", "--age", "61", "--sex", "male", "--year",
                 "2014", "--horizon", "480", "--format", "json", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def _params(doc):
    return {p["name"]: p["estimate"] for p in doc["parameters"]}


def test_weibull_max_rule_matches_independent_integration(capsys):
    doc = _cli(capsys, "--dist", "weibull")
    p, ex = _params(doc), doc["extrapolation"]
    hp = _pop_hazard(61, "male", 2014)
    hm = _weibull_h(p["shape"], p["scale"])
    want = _ode_mean([lambda s: max(hm(s), hp(s / 12) / 12)], 480.0)
    assert ex["method"] == "max"
    # the bar: 0.1 %; grid 0.24 months, midpoint excess + trapezoid: ~1e-5 relative
    assert ex["mean_survival"]["estimate"] == pytest.approx(want, rel=1e-3)
    lo, est, up = (ex["mean_survival"][k] for k in ("lower", "estimate", "upper"))
    assert lo < est < up and ex["interval"].startswith("delta")
    assert [round(x["time"]) for x in ex["landmarks"]] == [60, 120, 240, 480]
    assert ex["cohort"]["age"] == 61 and ex["cohort"]["sex"] == "male" and not ex["notes"]


def test_mixture_cure_matches_independent_integration(capsys):
    # all-cause mixture cure extrapolated via compare's route (no relative survival)
    data = rm.load_example("lung", output_unit="months")
    fit = rm.fit_model(data, dist="weibull", cure="mixture")
    bg = BackgroundMortality(LifeTable.us(), [61], ["male"], [2014], "months")
    for smr in (1.0, 3.0):
        ly = life_years(fit, bg, 480.0, smr=smr)
        pi, shape, scale = (float(np.ravel(v)[0]) for v in fit.fit.natural_parameters())
        hp = _pop_hazard(61, "male", 2014)
        hu = _weibull_h(shape, scale)
        # the HTA form S = S*^smr (pi + (1 - pi) S_u): the cured with smr h*, the
        # uncured with smr h* + h_u
        want = _ode_mean([lambda s: smr * hp(s / 12) / 12,
                          lambda s: smr * hp(s / 12) / 12 + hu(s)], 480.0, [pi, 1 - pi])
        assert ly.method == "mixture"
        assert ly.mean[0] == pytest.approx(want, rel=1e-3)  # the 0.1 %
    # a higher SMR can only shorten life
    assert life_years(fit, bg, 480.0, smr=3.0).mean[0] < life_years(fit, bg, 480.0).mean[0]


def test_relative_survival_cure_matches_independent_integration(capsys):
    doc = _cli(capsys, "--dist", "weibull", "--cure", "mixture")
    p, ex = _params(doc), doc["extrapolation"]
    assert doc["relative_survival"] and ex["method"] == "additive"
    pi, shape, scale = p["cure"], p["shape"], p["scale"]
    hp = _pop_hazard(61, "male", 2014)
    hu = _weibull_h(shape, scale)
    # S = S* (pi + (1 - pi) S_u): the cured with H*, the uncured with H* + H_u
    want = _ode_mean([lambda s: hp(s / 12) / 12, lambda s: hp(s / 12) / 12 + hu(s)], 480.0,
                     [pi, 1 - pi])
    assert ex["mean_survival"]["estimate"] == pytest.approx(want, rel=1e-3)


def test_year_beyond_table_is_noted_everywhere(capsys):
    doc = _cli(capsys, "--dist", "weibull", "--year", "2019")
    assert "2019 is beyond the table's last year 2014; 2014 rates used" in \
        doc["extrapolation"]["notes"]
    code = main(["fit", LUNG, "--event", "status", "--time-unit", "days", "--lifetable", "us",
                 "--age", "61", "--sex", "male", "--year", "2019", "--horizon", "3650"])
    out, _ = capsys.readouterr()
    assert code == 0 and "note: 2019 is beyond the table's last year 2014" in out


@pytest.mark.parametrize("opt,value,words", [
    ("--age", "130", ("age", "0 to 120")), ("--age", "-1", ("age",)),
    ("--year", "99999", ("year", "1800-2200")), ("--smr", "nan", ("--smr",)),
    ("--smr", "-2", ("--smr",)), ("--smr", "1e9", ("--smr",)),
    ("--discount", "-0.1", ("--discount",)), ("--discount", "inf", ("--discount",))])
def test_bad_hta_options_are_one_line_errors(capsys, opt, value, words):
    args = {"--age": "61", "--sex": "male", "--year": "2014"}
    args[opt] = value
    flat = [x for kv in args.items() for x in kv] if opt in args else \
        [x for kv in args.items() for x in kv] + [opt, value]
    code = main(["fit", LUNG, "--event", "status", "--time-unit", "days", "--lifetable", "us",
                 "--horizon", "3650", *flat])
    _, err = capsys.readouterr()
    assert code == 2 and err.startswith("error:") and len(err.strip().splitlines()) == 1
    assert all(w in err for w in words), err


def test_compare_reports_life_years_per_model(capsys):
    code = main(["compare", LUNG, "--event", "status", "--time-unit", "days", "--output-unit",
                 "months", "--dists", "weibull,exponential", "--cure", "none,mixture",
                 "--lifetable", "us", "--age", "61", "--sex", "male", "--year", "2014",
                 "--horizon", "480", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    rows = json.loads(out)["models"]
    assert len(rows) == 4 and all(r["extrapolation"]["mean_survival"]["estimate"] > 0
                                  for r in rows)
    # the compare row's Weibull life-years are fit's (one implementation)
    fitted = _cli(capsys, "--dist", "weibull")["extrapolation"]["mean_survival"]
    w = next(r for r in rows if r["dist"] == "weibull" and r["cure"] is None)
    assert w["extrapolation"]["mean_survival"] == pytest.approx(fitted, rel=1e-9)


# ---------------------------------------------------------------- issue 13 leftovers
def test_non_converged_fit_exits_3_with_one_error_line(capsys, monkeypatch):
    from remission.errors import ConvergenceError
    from remission.models import spec as spec_mod

    def fail(self, data, **kw):
        raise ConvergenceError("the weibull model did not converge (test)")
    monkeypatch.setattr(spec_mod.ModelSpec, "fit", fail)
    code = main(["fit", LUNG, "--event", "status"])
    _, err = capsys.readouterr()
    assert code == 3 and err.startswith("error:") and len(err.strip().splitlines()) == 1


def test_tiny_data_with_a_rich_model_fails_at_once(capsys, tmp_path):
    import time

    p = tmp_path / "five.csv"
    p.write_text("time,status\n1,1\n2,0\n3,1\n4,1\n5,0\n")
    t0 = time.perf_counter()
    code = main(["fit", str(p), "--event", "status", "--dist", "gengamma", "--cure", "mixture"])
    _, err = capsys.readouterr()
    # it took about a minute before (the optimiser on a flat 4-parameter likelihood with 3
    # events); the refusal needs no fitting: 5 s is generous on a loaded 2-core machine
    assert time.perf_counter() - t0 < 5.0
    assert code == 2 and "3 events" in err and "4 parameters" in err
    # 5 events: a cure model needs two events per parameter (it took 38 s before)
    p.write_text("time,status\n1,1\n2,1\n3,1\n4,1\n5,1\n6,0\n")
    t0 = time.perf_counter()
    code = main(["fit", str(p), "--event", "status", "--dist", "gengamma", "--cure", "mixture"])
    _, err = capsys.readouterr()
    assert time.perf_counter() - t0 < 5.0
    assert code == 2 and "5 events" in err and "8 events are needed" in err


# ---------------------------------------------------------------- life tables: HMD and CSV
def test_hmd_table_gives_the_same_life_years_as_the_csv_and_the_bundled_table(capsys):
    from pathlib import Path

    fx = Path(__file__).parents[1] / "fixtures" / "lifetables"  # make_examples.py made them
    hmd = f"{fx / 'mltper_1x1.txt'},{fx / 'fltper_1x1.txt'}"
    out = {}
    for name, table in (("hmd", hmd), ("csv", str(fx / "us_2013_2014.csv")), ("us", "us")):
        doc = _cli(capsys, "--dist", "weibull", "--lifetable", table)
        out[name] = doc["extrapolation"]
    # the same hazards (2013-2014; later years use 2014's): mx written with 10 decimals
    # (relative rounding <= 1e-6 at the smallest rates) -> life-years equal to 1e-6
    for key in ("mean_survival", "mean_survival_discounted"):
        assert out["hmd"][key]["estimate"] == pytest.approx(out["csv"][key]["estimate"],
                                                            rel=1e-6)
        assert out["hmd"][key]["estimate"] == pytest.approx(out["us"][key]["estimate"],
                                                            rel=1e-6)
    assert out["hmd"]["population_mean_survival"] == pytest.approx(
        out["us"]["population_mean_survival"], rel=1e-6)
    assert out["hmd"]["cohort"]["lifetable"].startswith("HMD")
    one = LifeTable.from_hmd(fx / "mltper_1x1.txt")
    assert set(one.rates) == {"male"} and one.years == (2013, 2014) and one.max_age == 110
