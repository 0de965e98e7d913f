"""``remission compare --group --lifetable``: life-years per arm, each arm's general-population
mortality built from its own patients (issue 15 leftover).  The life-years computation is
models/lifeyears.py (checked against an independent integration in tests/models); here each
arm's numbers must be exactly those of ``compare`` run on that arm's rows alone."""
import json

import pytest

from remission.cli import main
from remission.datasets import read_example

HTA = ["--dists", "weibull,lognormal", "--cure", "none,mixture", "--lifetable", "us",
       "--sex", "female", "--year", "1975", "--horizon", "7300"]
COLS = ["--time", "futime", "--event", "fustat", "--time-unit", "days"]


def run_json(capsys, *args):
    assert main(["compare", *map(str, args), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def arms(tmp_path_factory):
    d = tmp_path_factory.mktemp("arms")
    df = read_example("ovarian")
    paths = {"all": d / "ovarian.csv"}
    df.to_csv(paths["all"], index=False)
    for rx in (1, 2):
        paths[str(rx)] = d / f"rx{rx}.csv"
        df[df.rx == rx].to_csv(paths[str(rx)], index=False)
    return paths


def _ly(doc):
    return {(m["dist"], m["cure"]): m["extrapolation"] for m in doc["models"]
            if m.get("extrapolation")}


@pytest.mark.parametrize("age", ["60", "age"])  # one value for the cohort, or a column
def test_each_arm_equals_compare_on_its_own_rows(arms, capsys, age):
    grouped = run_json(capsys, arms["all"], *COLS, "--group", "rx", *HTA, "--age", age)
    assert [g["group"] for g in grouped["groups"]] == ["1", "2"]
    pops = []
    for g in grouped["groups"]:
        alone = run_json(capsys, arms[g["group"]], *COLS, *HTA, "--age", age)
        got, ref = _ly(g), _ly(alone)
        assert got and set(got) == set(ref)  # every converged model has its life-years
        for k in ref:
            for key in ("mean_survival", "mean_survival_discounted"):
                # the same computation on the same rows: equal to rounding
                assert got[k][key] == pytest.approx(ref[k][key], rel=1e-12)
            assert got[k]["population_mean_survival"] == pytest.approx(
                ref[k]["population_mean_survival"], rel=1e-12)
        pops.append(next(iter(got.values()))["population_mean_survival"])
    if age == "age":  # each arm's own patients, not the pooled cohort's
        pooled = run_json(capsys, arms["all"], *COLS, *HTA, "--age", age)
        pool = next(iter(_ly(pooled).values()))["population_mean_survival"]
        assert abs(pops[0] - pops[1]) > 100  # days: the arms' ages differ
        # the cohort's expected survival is the mean of its patients' (Ederer): with 13
        # patients per arm the pooled cohort's mean survival is the arms' average (to the
        # rounding of the sums)
        assert pool == pytest.approx((pops[0] + pops[1]) / 2, rel=1e-9)
    else:  # one cohort value: the same general population for both arms
        assert pops[0] == pytest.approx(pops[1], rel=1e-12)


def test_text_has_a_life_years_table_per_arm(arms, capsys):
    assert main(["compare", str(arms["all"]), *COLS, "--group", "rx", *HTA,
                 "--age", "60"]) == 0
    out = capsys.readouterr().out
    assert out.count("Life-years to 7300 with general-population mortality") == 2
    assert "== rx = 1 ==" in out and "== rx = 2 ==" in out


def test_background_options_still_need_lifetable_and_horizon(arms, capsys):
    assert main(["compare", str(arms["all"]), *COLS, "--group", "rx", "--age", "60"]) == 2
    assert "--lifetable" in capsys.readouterr().err
    assert main(["compare", str(arms["all"]), *COLS, "--group", "rx", "--lifetable", "us",
                 "--age", "60", "--sex", "female", "--year", "1975"]) == 2
    assert "--horizon" in capsys.readouterr().err
