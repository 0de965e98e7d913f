"""``remission fit --event-type COL --competing``: the document's keys, that the CLI prints
the Python API's numbers, the text rendering, and one-line errors (exit 2) for bad input."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from remission.cli import cli
from remission.data import from_dataframe
from remission.models.competing import fit_competing

from ..nonparametric._competing_data import bmt_frame


@pytest.fixture(scope="module")
def csv(tmp_path_factory):
    df = bmt_frame()
    df["cause"] = df.etype.map({0: "0", 1: "relapse", 2: "nrm"})
    p = tmp_path_factory.mktemp("cr") / "bmt_cr.csv"
    df.to_csv(p, index=False)
    return str(p)


def run(*args):
    r = CliRunner().invoke(cli, ["fit", *args], catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


BASE = ("--time", "t2", "--event-type", "cause", "--competing")


def test_json_keys_and_the_api_numbers(csv):
    code, out, _ = run(csv, *BASE, "--cause", "relapse", "--dist", "weibull,nrm=lognormal",
                       "--times", "365,730", "--horizon", "3650", "--format", "json")
    assert code == 0
    b = json.loads(out)["competing_risks_parametric"]
    assert b["causes"] == ["relapse", "nrm"] and b["cause_of_interest"] == "relapse"
    assert [(m["cause"], m["dist"]) for m in b["models"]] == [("relapse", "weibull"),
                                                              ("nrm", "lognormal")]
    for m in b["models"]:
        assert {"dist", "parameters", "aic", "loglik", "events"} <= set(m)
        assert {"name", "estimate", "se", "lower", "upper"} <= set(m["parameters"][0])
    assert [r["time"] for r in b["event_free"]["landmarks"]] == [365.0, 730.0, 3650.0]
    assert b["horizon"] == 3650.0 and b["nrm_population"] is None
    for c in b["cifs"]:
        assert {"estimate", "se", "lower", "upper", "time"} <= set(c["landmarks"][0])
    d = from_dataframe(bmt_frame().assign(cause=lambda f: f.etype.map(
        {0: "0", 1: "relapse", 2: "nrm"})), time="t2", event_type="cause")
    api = fit_competing(d, {"relapse": "weibull", "nrm": "lognormal"}, cause="relapse")
    got = [r["estimate"] for r in b["cifs"][0]["landmarks"]]
    want = api.cumulative_incidence("relapse", [365.0, 730.0, 3650.0]).estimate[0]
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_lifetable_text_and_groups(csv):
    code, out, _ = run(csv, *BASE, "--cause", "relapse", "--time-unit", "days",
                       "--lifetable", "us", "--age", "45", "--sex", "male", "--year", "2000",
                       "--nrm-from", "1000", "--smr", "2", "--horizon", "7305")
    assert code == 0
    assert "Cumulative incidence" in out and "max(fitted, SMR x general-population" in out
    code, out, _ = run(csv, *BASE, "--group", "group", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["group_column"] == "group"
    assert [g["group"] for g in doc["groups"]] == ["1", "2", "3"]
    code, out, _ = run(csv, *BASE, "--group", "group")
    assert code == 0 and out.count("Competing risks, parametric") == 3


def test_a_bundled_competing_example_needs_no_option():
    """bmt-cr carries its event type, its groups and its cause of interest (relapse)."""
    code, out, _ = run("bmt-cr", "--competing", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    b = doc["groups"][0]["competing_risks_parametric"]
    assert b["cause_of_interest"] == "relapse" and b["causes"][0] == "relapse"


@pytest.mark.parametrize("args,needle", [
    (("--time", "t2", "--competing"), "--competing needs --event-type"),
    (BASE + ("--cure", "mixture"), "--cure is not available with --competing"),
    (BASE + ("--ci", "bootstrap"), "--ci is not available with --competing"),
    (BASE + ("--covariates", "group"), "--covariates is not available"),
    (BASE + ("--dist", "weibull,foo=gompertz"), "no cause 'foo'"),
    (BASE + ("--dist", "cox"), "--dist cox is not a parametric family"),
    (("--time", "t2", "--event-type", "cause", "--nrm-from", "5"), "--nrm-from needs --competing"),
    (BASE + ("--nrm-from", "5"), "need --lifetable"),
    (BASE + ("--cause", "nope"), "--cause nope"),
    (BASE + ("--time-unit", "days", "--lifetable", "us", "--age", "45", "--sex", "male",
             "--year", "2000"), "--nrm-cause"),
    (BASE + ("--cause", "relapse", "--time-unit", "days", "--lifetable", "us", "--age", "45",
             "--sex", "male", "--year", "2000", "--nrm-cause", "relapse"), "cause of interest"),
    (BASE + ("--cause", "relapse", "--lifetable", "us", "--age", "45", "--sex", "male",
             "--year", "2000"), "time unit"),
    (BASE + ("--cause", "relapse", "--time-unit", "days", "--lifetable", "us", "--age", "45"),
     "--lifetable needs --sex, --year"),
])
def test_bad_input_is_one_error_line_exit_2(csv, args, needle, capsys):
    """Through the console entry point (remission.cli.main), in process."""
    from remission.cli import main

    assert main(["fit", csv, *args]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], lines
