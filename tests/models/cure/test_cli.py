"""``remission fit --cure`` and ``remission compare --cure`` through the real entry point."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from remission.cli import main

from ...bundled import csv

CART = "src/remission/datasets/cartitude1-pfs-approx.csv.gz"
MYELOMA = csv("myeloma")
FIT_KEYS = {"dist", "cure", "n", "events", "k", "converged", "loglik", "aic", "bic",
            "parameters", "predictions", "median", "cure_fraction", "cure_fraction_by"}


@pytest.fixture
def cart(tmp_path):
    import os

    here = os.path.dirname(__file__)
    src = os.path.join(here, "..", "..", "..", CART)
    path = tmp_path / "cart.csv"
    pd.read_csv(src).to_csv(path, index=False)
    return str(path)


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("cure", ["mixture", "non-mixture"])
def test_fit_cure_json(capsys, cart, cure):
    code, out, err = run(capsys, "fit", cart, "--dist", "weibull", "--cure", cure,
                         "--times", "12,24", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert FIT_KEYS <= set(doc)
    assert doc["cure"] == cure and doc["k"] == 3 and doc["converged"]
    cf = doc["cure_fraction"]
    assert 0 < cf["lower"] < cf["estimate"] < cf["upper"] < 1
    assert [p["time"] for p in doc["predictions"]] == [12, 24]


def test_fit_bootstrap_is_reproducible_and_accepts_a_scheduler(capsys, cart):
    args = ["fit", cart, "--cure", "mixture", "--ci", "bootstrap", "--reps", "200", "--seed",
            "4", "--format", "json"]
    code, out1, err = run(capsys, *args)
    assert code == 0, err
    code, out2, err = run(capsys, *args, "--scheduler", "sync")
    assert code == 0, err
    a, b = json.loads(out1), json.loads(out2)
    assert a["cure_fraction"] == b["cure_fraction"] and a["bootstrap"]["reps"] == 200


def test_no_plateau_is_reported_not_a_crash(capsys):
    code, out, err = run(capsys, "fit", MYELOMA, "--time", "futime", "--event", "death",
                         "--cure", "mixture", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["converged"] and doc["boundary"] and doc["cure_fraction"]["estimate"] == 0.0
    code, out, err = run(capsys, "fit", MYELOMA, "--time", "futime", "--event", "death",
                         "--cure", "mixture")
    assert code == 0 and "boundary" in out


def test_cox_cure_and_links(capsys, cart):
    code, out, err = run(capsys, "fit", cart, "--dist", "cox", "--cure", "mixture", "--reps",
                         "20", "--seed", "1", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["dist"] == "cox"
    for link in ("loglog", "cloglog", "probit", "identity"):
        code, out, err = run(capsys, "fit", cart, "--cure", "mixture", "--link", link,
                             "--format", "json")
        assert code == 0, err
    code, out, err = run(capsys, "fit", cart, "--cure", "mixture", "--link", "nope")
    assert code == 2 and err.startswith("error:") and "nope" in err


def test_bootstrap_without_seed_uses_the_default_seed(capsys, cart):
    args = ["fit", cart, "--cure", "mixture", "--ci", "bootstrap", "--reps", "100",
            "--format", "json"]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    code, out2, err = run(capsys, *args, "--seed", "1")
    doc = json.loads(out)
    assert doc["bootstrap"]["seed"] == 1 and doc == json.loads(out2)


def test_relative_survival_cli(capsys, tmp_path):
    rng = np.random.default_rng(1)
    n = 300
    cured = rng.random(n) < 0.4
    t = np.where(cured, np.inf, 700 * rng.weibull(1.3, n))
    c = rng.uniform(2000, 4000, n)
    df = pd.DataFrame({"time": np.minimum(t, c), "event": (t <= c).astype(int),
                       "age": rng.uniform(50, 70, n), "sex": rng.choice(["male", "female"], n),
                       "year": 2000})
    path = tmp_path / "rs.csv"
    df.to_csv(path, index=False)
    code, out, err = run(capsys, "fit", str(path), "--cure", "mixture", "--time-unit", "days",
                         "--lifetable", "us", "--age", "age", "--sex", "sex", "--year", "year",
                         "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["relative_survival"] and doc["loss_of_lifetime"]["estimate"] > 0


def test_compare_with_cure_models(capsys, cart):
    code, out, err = run(capsys, "compare", cart, "--dists", "exponential,weibull,cox",
                         "--cure", "none,mixture,non-mixture", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    rows = {(m["dist"], m["cure"]): m for m in doc["models"]}
    assert rows[("weibull", "mixture")]["cure_fraction"] > 0
    assert rows[("cox", None)]["converged"] is False and "message" in rows[("cox", None)]
    assert rows[("cox", "mixture")]["converged"]
    assert rows[("cox", "non-mixture")]["converged"] is False
    aics = [m["aic"] for m in doc["models"] if m["converged"] and m["aic"] is not None]
    assert aics == sorted(aics)


def test_compare_models_pure_function():
    from remission.data import SurvivalData
    from remission.models.compare import compare_models

    df = pd.read_csv(CART)
    d = SurvivalData.from_arrays(df.time, df.event)
    doc = compare_models(d, ["weibull", "lognormal"], ["none", "mixture"], horizon=24)
    assert doc["horizon"] == 24 and len(doc["models"]) == 4
    for m in doc["models"]:
        assert {"dist", "cure", "converged", "loglik", "aic", "bic", "cure_fraction",
                "survival_at_horizon", "rmst_at_horizon"} <= set(m)
