"""``remission fit`` and ``remission compare`` through the real entry point."""
from __future__ import annotations

import json

import pytest

from remission.cli import main

from ..bundled import csv, frame

LUNG = csv("lung")
FIT_KEYS = {"dist", "cure", "n", "events", "k", "converged", "loglik", "aic", "bic",
            "parameters", "predictions", "median", "cure_fraction", "cure_fraction_by"}


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_fit_json_has_spec_keys_and_matches_survreg(capsys):
    code, out, err = run(capsys, "fit", LUNG, "--event", "status", "--dist", "weibull",
                         "--times", "90,180,365", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert FIT_KEYS <= set(doc)
    assert doc["loglik"] == pytest.approx(-1153.85118808941, rel=1e-9)  # lung.json
    assert [p["time"] for p in doc["predictions"]] == [90, 180, 365]
    assert doc["predictions"][0]["survival"] == pytest.approx(0.875937877676873, rel=1e-6)
    assert set(doc["median"]) == {"estimate", "lower", "upper"}
    assert {"name", "estimate", "se", "lower", "upper"} <= set(doc["parameters"][0])
    assert doc["cure"] is None and doc["cure_fraction"] is None and doc["cure_fraction_by"] == []


def test_fit_text_and_covariates(capsys):
    code, out, err = run(capsys, "fit", LUNG, "--event", "status", "--dist", "lognormal",
                         "--covariates", "factor(sex),age")
    assert code == 0, err
    assert "scale" not in out.split("\n")[0] and "meanlog:sex=2" in out


def test_fit_with_lifetable_extrapolates(capsys, tmp_path):
    path = tmp_path / "lung_year.csv"
    frame("lung").assign(dx_year=2001).to_csv(path, index=False)
    code, out, err = run(capsys, "fit", str(path), "--event", "status", "--dist", "weibull",
                         "--time-unit", "days", "--lifetable", "us", "--age", "age", "--sex",
                         "sex", "--year", "dx_year", "--horizon", "3650", "--format", "json")
    assert code == 0, err
    ex = json.loads(out)["extrapolation"]
    assert 0 < ex["mean_survival"]["estimate"] <= ex["model_mean_survival"]


def test_unknown_distribution_is_one_line_error(capsys):
    code, out, err = run(capsys, "fit", LUNG, "--event", "status", "--dist", "nope")
    assert code == 2 and err.startswith("error: unknown distribution") and "Traceback" not in err


def test_missing_covariate_column(capsys):
    code, out, err = run(capsys, "fit", LUNG, "--event", "status", "--covariates", "zzz")
    assert code == 2 and "zzz" in err


def test_compare_ranks_by_aic(capsys):
    code, out, err = run(capsys, "compare", LUNG, "--event", "status", "--dists",
                         "exponential,weibull,lognormal,loglogistic", "--horizon", "500",
                         "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["horizon"] == 500
    keys = {"dist", "cure", "converged", "loglik", "aic", "bic", "cure_fraction",
            "survival_at_horizon", "rmst_at_horizon"}
    assert all(keys <= set(m) for m in doc["models"])
    aics = [m["aic"] for m in doc["models"]]
    assert aics == sorted(aics)
    assert doc["models"][0]["dist"] == "weibull"  # lung.json: Weibull has the lowest AIC


def test_lifetable_error_names_the_column(capsys):
    code, out, err = run(capsys, "fit", LUNG, "--event", "status", "--lifetable", "us",
                         "--age", "age", "--sex", "sex", "--year", "inst", "--time-unit", "days")
    assert code == 2 and "'inst'" in err and "row 156" in err


def test_installed_script_prints_nothing_on_stderr(tmp_path):
    """RuntimeWarnings from the optimiser's extreme trial steps (models/likelihood.py) reached
    users of `remission fit` / `remission compare`; through the installed console script
    (default warning filters, a fresh interpreter) stderr must stay empty."""
    import shutil
    import subprocess

    exe = shutil.which("remission")
    assert exe, "the remission console script is not installed"
    allo = frame("alloauto")
    sub = tmp_path / "allo2.csv"
    allo[allo["type"] == 2].to_csv(sub, index=False)
    c1 = tmp_path / "c1.csv"
    subprocess.run([exe, "example", "cartitude1-pfs-approx", "-o", str(c1)], check=True,
                   capture_output=True)
    for argv in (["fit", str(sub), "--dist", "weibull", "--cure", "mixture"],
                 ["compare", str(c1), "--cure", "none,mixture,non-mixture"]):
        r = subprocess.run([exe, *argv], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        assert r.stderr == "", r.stderr
        assert r.stdout.strip()
