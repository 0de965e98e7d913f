"""``--group`` in fit, compare and summary through the real entry point (issue 14): the SPEC
keys, per-arm fits equal to fitting each arm alone, and the refusals (one ``error:`` line,
exit 2)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from remission.cli import main

from ..bundled import csv


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def adtte(tmp_path_factory):
    """An ADaM-like two-arm file (AVAL, CNSR, TRT01P, PARAMCD), true cure 0.27 and 0.45."""
    rng = np.random.default_rng(7)
    parts = []
    for arm, pi in (("Placebo", 0.27), ("Drug", 0.45)):
        n = 150
        t = np.where(rng.random(n) < pi, np.inf, 12 * rng.weibull(1.3, n))
        c = rng.uniform(24, 60, n)
        parts.append(pd.DataFrame({"AVAL": np.minimum(t, c), "CNSR": (t > c).astype(int),
                                   "TRT01P": arm, "PARAMCD": "PFS"}))
    p = tmp_path_factory.mktemp("arms") / "adtte.csv"
    pd.concat(parts).to_csv(p, index=False)
    return str(p)


def test_fit_group_cure_spec_keys_and_per_arm_fits(capsys, adtte, tmp_path):
    code, out, err = run(capsys, "fit", adtte, "--param", "PFS", "--group", "TRT01P",
                         "--cure", "mixture", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert [g["group"] for g in doc["groups"]] == ["Drug", "Placebo"]  # sort order
    assert all(g["n"] == 150 for g in doc["groups"])  # never a pooled n = 300
    comp = doc["comparison"]
    assert comp["reference"] == "Drug"
    (c,) = comp["contrasts"]
    assert c["group"] == "Placebo"
    for key in ("cure_fraction_difference", "cure_fraction_odds_ratio"):
        assert {"estimate", "lower", "upper"} <= set(c[key])
    assert 0 <= c["p_equal_cure"] <= 1
    # each arm's document is the document of that arm fitted alone
    df = pd.read_csv(adtte)
    alone = tmp_path / "placebo.csv"
    df[df.TRT01P == "Placebo"].to_csv(alone, index=False)
    code, out1, err = run(capsys, "fit", str(alone), "--cure", "mixture", "--format", "json")
    assert code == 0, err
    one = json.loads(out1)
    grp = doc["groups"][1]
    assert grp["cure_fraction"]["estimate"] == pytest.approx(one["cure_fraction"]["estimate"],
                                                             rel=1e-6)  # the same fit
    assert grp["loglik"] == pytest.approx(one["loglik"], rel=1e-9)
    # --reference
    code, out, err = run(capsys, "fit", adtte, "--group", "TRT01P", "--cure", "mixture",
                         "--reference", "Placebo", "--format", "json")
    assert code == 0, err
    d2 = json.loads(out)["comparison"]
    assert d2["reference"] == "Placebo" and d2["contrasts"][0]["group"] == "Drug"
    assert d2["contrasts"][0]["cure_fraction_difference"]["estimate"] == pytest.approx(
        -c["cure_fraction_difference"]["estimate"], rel=1e-12)


def test_fit_group_text_and_no_cure(capsys, adtte):
    code, out, err = run(capsys, "fit", adtte, "--group", "TRT01P", "--cure", "mixture")
    assert code == 0, err
    assert "TRT01P = Drug" in out and "Cure fractions compared" in out and "odds ratio" in out
    code, out, err = run(capsys, "fit", adtte, "--group", "TRT01P", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert len(doc["groups"]) == 2 and doc["comparison"]["contrasts"] == []


def test_compare_group_one_table_per_group(capsys, adtte):
    code, out, err = run(capsys, "compare", adtte, "--group", "TRT01P", "--dists",
                         "weibull,lognormal", "--cure", "none,mixture", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert [g["group"] for g in doc["groups"]] == ["Drug", "Placebo"]
    for g in doc["groups"]:
        assert g["n"] == 150 and g["horizon"] == doc["horizon"] and len(g["models"]) == 4
        assert {"dist", "cure", "converged", "loglik", "aic", "bic", "cure_fraction",
                "survival_at_horizon", "rmst_at_horizon"} <= set(g["models"][0])
    code, out, err = run(capsys, "compare", adtte, "--group", "TRT01P", "--dists", "weibull")
    assert code == 0 and "TRT01P = Placebo" in out


def test_summary_group_hazard_ratios_and_rmst_differences(capsys):
    code, out, err = run(capsys, "summary", csv("lung"), "--event", "status", "--group",
                         "sex", "--reference", "1", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    hr = doc["hazard_ratios"]
    assert hr["reference"] == "1" and hr["ties"] == "efron"
    assert {"group", "estimate", "lower", "upper", "p"} <= set(hr["contrasts"][0])
    (rd,) = doc["rmst_differences"]
    assert {"group", "tau", "estimate", "lower", "upper"} <= set(rd)
    code, out, err = run(capsys, "summary", csv("lung"), "--event", "status", "--group",
                         "sex")
    assert code == 0 and "Hazard ratio sex=2 vs 1" in out and "RMST difference" in out


def _one_error(err: str) -> str:
    lines = [x for x in err.strip().splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), err
    assert "Traceback" not in err
    return lines[0]


def test_refusals(capsys, adtte, tmp_path):
    df = pd.read_csv(adtte)
    few = pd.concat([df, pd.DataFrame({"AVAL": [1.0, 2.0, 3.0], "CNSR": [0, 0, 1],
                                       "TRT01P": "Tiny", "PARAMCD": "PFS"})])
    p = tmp_path / "few.csv"
    few.to_csv(p, index=False)
    code, _, err = run(capsys, "fit", str(p), "--group", "TRT01P", "--cure", "mixture")
    assert code == 2 and "'Tiny'" in _one_error(err) and "2 events" in err
    code, _, err = run(capsys, "compare", str(p), "--group", "TRT01P", "--dists", "weibull")
    assert code == 2 and "'Tiny'" in _one_error(err)
    code, _, err = run(capsys, "fit", adtte, "--group", "TRT01P", "--reference", "Nope")
    assert code == 2 and "--reference 'Nope'" in _one_error(err)
    code, _, err = run(capsys, "fit", adtte, "--reference", "Drug")
    assert code == 2 and "--reference needs --group" in _one_error(err)
    code, _, err = run(capsys, "fit", adtte, "--group", "TRT01P", "--covariates", "TRT01P")
    assert code == 2 and "also a covariate" in _one_error(err)
    code, _, err = run(capsys, "summary", csv("lung"), "--event", "status", "--group", "sex",
                       "--reference", "9")
    assert code == 2 and "--reference '9'" in _one_error(err)


def test_summary_strata(capsys):
    code, out, err = run(capsys, "summary", csv("veteran"), "--group", "trt", "--strata",
                         "celltype", "--format", "json")
    assert code == 0, err
    hr = json.loads(out)["hazard_ratios"]
    assert hr["strata"] == "celltype" and len(hr["contrasts"]) == 1
    code, _, err = run(capsys, "summary", csv("veteran"), "--group", "trt", "--strata", "nope")
    assert code == 2 and "nope" in _one_error(err)
