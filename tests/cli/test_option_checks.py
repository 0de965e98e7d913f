"""Option values that would give silent nonsense are refused at once (exit 2, one ``error:``
line), and a background-hazard column follows the data through ``--output-unit``."""
import contextlib
import io
import json
import math

import numpy as np
import pandas as pd
import pytest

from remission.cli import main

from .test_bad_input import LUNG, run_err

DAYS_PER_MONTH = 365.25 / 12


def run_json(*args):
    # the console script's function in this process (a Python start-up per call was most of
    # this file's time); the installed script is run for `fit` in test_bad_input.py
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main([*map(str, args), "--format", "json"])
    assert rc == 0 and "Traceback" not in err.getvalue(), err.getvalue()
    return json.loads(out.getvalue())


@pytest.mark.parametrize("args, must", [
    (["fit", LUNG, "--cure", "mixture", "--ci", "bootstrap", "--reps", "0"], "--reps"),
    (["fit", LUNG, "--times", "-5,100"], "--times"),
    (["fit", LUNG, "--cure", "mixture", "--conf-level", "1.5"], "--conf-level"),
    (["fit", LUNG, "--conf-level", "0"], "--conf-level"),
    (["compare", LUNG, "--conf-level", "1.5"], "--conf-level"),
    (["compare", LUNG, "--horizon", "-5"], "--horizon"),
    (["cure-test", LUNG, "--eps", "2"], "--eps"),
    (["cure-test", LUNG, "--eps", "-1"], "--eps"),
    (["fit", LUNG, "--dist", "spline", "--knots", "11"], "--knots"),
    # the life table's hazards are per day: without the data's unit nothing can be matched
    (["fit", LUNG, "--cure", "mixture", "--lifetable", "us", "--age", "age", "--sex",
      "sex", "--year", "age"], "time unit"),
])
def test_refused(args, must):
    run_err(*args, must=(must,))


@pytest.mark.parametrize("opt, value", [
    ("--smr", "nan"), ("--smr", "-1"), ("--smr", "0"), ("--smr", "1e9"),
    ("--discount", "nan"), ("--discount", "-0.01"), ("--discount", "2"), ("--discount", "inf"),
])
def test_analyze_refuses_bad_smr_and_discount(tmp_path, opt, value):
    """As `fit --smr/--discount` (models.spec.check_hta), before any work: no report."""
    out = tmp_path / "r.html"
    run_err("analyze", LUNG, "-o", out, opt, value, must=(opt,))
    assert not out.exists()


def test_analyze_passes_smr_and_discount_to_the_report(monkeypatch, tmp_path):
    """The CLI hands --smr and --discount to the public remission.report.analyze (whose
    life-years use them: tests/report/test_hta_section.py)."""
    from click.testing import CliRunner

    import remission.report as report
    from remission.cli import cli

    seen = {}

    def fake(data, **kw):
        seen.update(kw)
        raise SystemExit(0)
    monkeypatch.setattr(report, "analyze", fake)
    CliRunner().invoke(cli, ["analyze", LUNG, "-o", str(tmp_path / "r.html"), "--smr", "2.5",
                             "--discount", "0.015"])
    assert seen["smr"] == 2.5 and seen["discount"] == 0.015


def test_analyze_refuses_a_negative_horizon(tmp_path):
    run_err("analyze", LUNG, "-o", tmp_path / "r.html", "--horizon", "-5",
            must=("--horizon",))


def test_spline_with_more_knots_and_integer_event_counts():
    doc = run_json("fit", LUNG, "--dist", "spline", "--knots", "4")
    assert doc["converged"] and len(doc["parameters"]) == 6  # gamma0 ... gamma5
    assert doc["events"] == 165 and isinstance(doc["events"], int)


@pytest.fixture
def lung_bh(tmp_path):
    d = pd.read_csv(LUNG)[["time", "status", "age"]]
    d["bh"] = 2e-5 + 1e-6 * (d["age"] - 40).clip(lower=0)  # per day
    days = tmp_path / "lung_days.csv"
    d.to_csv(days, index=False)
    m = d.assign(time=d["time"] / DAYS_PER_MONTH, bh=d["bh"] * DAYS_PER_MONTH)
    months = tmp_path / "lung_months.csv"
    m.to_csv(months, index=False)
    return days, months


@pytest.mark.parametrize("cure", [[], ["--cure", "mixture"]])
def test_bhazard_column_follows_output_unit(lung_bh, cure):
    """Days converted to months by --output-unit must give the fit of data written in months
    by hand (hazards x 30.44): same parameters, log-likelihood shifted by events x log(30.44)
    (the density's Jacobian).  Tolerances: optimiser convergence (1e-6 relative)."""
    days, months = lung_bh
    a = run_json("fit", days, "--bhazard", "bh", "--time-unit", "days", "--output-unit",
                 "months", *cure)
    b = run_json("fit", months, "--bhazard", "bh", "--time-unit", "months", *cure)
    assert a["loglik"] == pytest.approx(b["loglik"], rel=1e-6)
    pa = {p["name"]: p["estimate"] for p in a["parameters"]}
    pb = {p["name"]: p["estimate"] for p in b["parameters"]}
    for k in pb:
        assert pa[k] == pytest.approx(pb[k], rel=1e-4, abs=1e-6), k
    c = run_json("fit", days, "--bhazard", "bh", "--time-unit", "days", *cure)
    assert a["loglik"] == pytest.approx(c["loglik"] + 165 * math.log(DAYS_PER_MONTH), rel=1e-6)


def test_bad_bhazard_value_names_the_users_column_and_row(tmp_path, lung_bh):
    days, _ = lung_bh
    d = pd.read_csv(days)
    d.loc[7, "bh"] = np.nan
    p = tmp_path / "bad.csv"
    d.to_csv(p, index=False)
    # rows count the file's data rows (as every data error does): index 7 is row 8
    run_err("fit", p, "--bhazard", "bh", must=("'bh'", "row 8", "missing"))
    d.loc[7, "bh"] = -1
    d.to_csv(p, index=False)
    run_err("fit", p, "--bhazard", "bh", "--cure", "mixture", must=("'bh'", "row 8", "-1"))


def test_missing_requested_column_has_no_misleading_hint():
    msg = run_err("fit", LUNG, "--bhazard", "nope", must=("'nope'",))
    assert "--covariates" not in msg
