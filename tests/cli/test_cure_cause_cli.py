"""``remission cure-test`` and ``remission plan`` of the cause of interest with competing risks
(``--event-type COL --cause relapse``; issue 18 item 4), on the bundled KMsurv bmt data: relapse
(d2 = 1) against death in remission (d1 = 1, d2 = 0), the event type built here as in
tests/fixtures/competing/competing.R.

Reference: the Aalen-Johansen cumulative incidence of relapse at its last event (the plateau
reported beside the tests) equals R's multi-state ``survfit`` (tests/fixtures/competing/
bmt_aj.csv, conf.type "log", state 1) to 1e-8 (printed with 15+ significant digits; the
estimator is tested to that tolerance in tests/nonparametric).
"""
import json

import numpy as np
import pandas as pd
import pytest

from remission.cli import main
from remission.data import read_survival
from remission.evidence import cure_test
from remission.evidence.rule import conclude

from ..bundled import FIXTURES, frame


@pytest.fixture(scope="module")
def bmt(tmp_path_factory):
    df = frame("bmt")
    df["etype"] = np.where(df.d2 == 1, "relapse", np.where(df.d1 == 1, "nrm", "0"))
    p = tmp_path_factory.mktemp("bmt") / "bmt_cr.csv"
    df.to_csv(p, index=False)
    return str(p)


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


BASE = ["--time", "t2", "--event-type", "etype", "--time-unit", "days"]


def test_cure_test_cause_json(bmt, capsys):
    argv = ["cure-test", bmt, *BASE, "--cause", "relapse", "--reps", "99", "--seed", "2",
            "--format", "json", "--quiet"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    doc = json.loads(out)
    c = doc["competing"]
    assert doc["n"] == 137 and doc["events"] == 42  # KMsurv bmt: 42 relapses
    assert c["cause"] == "relapse" and c["other_causes"] == ["nrm"]
    assert c["tested"] == "relapse, other causes (nrm) censored"
    assert c["net_plateau"]["free_of_cause"] == doc["tail"]["survival_at_plateau"]
    cif = c["cumulative_incidence_plateau"]
    r = pd.read_csv(FIXTURES / "competing" / "bmt_aj.csv")
    r = r[(r.group == "all") & (r.conf_type == "log") & (r.state.astype(str) == "1")
          & (r.time <= cif["time"])].iloc[-1]
    assert cif["time"] == doc["tail"]["last_event_time"] == 748
    for k, rk in (("estimate", "pstate"), ("se", "std_err"), ("lower", "lower"),
                  ("upper", "upper")):
        assert cif[k] == pytest.approx(float(r[rk]), abs=1e-8)
    # the CIF plateau (30.9%) is below the net probability of relapse (37.5%)
    assert cif["estimate"] < c["net_plateau"]["cause_probability"]
    # the one rule, and the same numbers as the Python API
    assert doc["conclusion"] == conclude(
        doc["presence"]["p_value"], doc["sufficient_followup"]["p_value"],
        km_reaches_zero=doc["tail"]["survival_at_plateau"] <= 0,
        model_p=doc["model"]["p_value"])
    d = read_survival(bmt, time="t2", event_type="etype", time_unit="days")
    api = cure_test(d, cause="relapse", reps=99, seed=2).to_dict()
    assert json.loads(json.dumps(api)) == doc


def test_cure_test_cause_text(bmt, capsys):
    code, out, err = run(["cure-test", bmt, *BASE, "--cause", "relapse", "--reps", "99",
                          "--quiet"], capsys)
    assert code == 0
    assert out.splitlines()[1] == "Tested: relapse, other causes (nrm) censored"
    assert "cumulative incidence of relapse at its last event (Aalen-Johansen)  0.309" in out
    assert "cause-specific analysis of cause 'relapse'" in err


def test_plan_cause_reproducible_and_monotone(bmt, capsys):
    argv = ["plan", bmt, *BASE, "--cause", "relapse", "--sims", "60", "--null-reps", "100",
            "--reps", "50", "--seed", "4", "--no-search", "--extra-followup", "0,180,730",
            "--format", "json", "--quiet"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    code2, out2, _ = run(argv, capsys)
    assert code2 == 0 and out2 == out
    doc = json.loads(out)
    assert doc["competing"]["cause"] == "relapse"
    assert doc["competing"]["death_model"]["causes"] == ["nrm"]
    assert doc["competing"]["death_model"]["events"] == 41
    assert [r["extra_followup"] for r in doc["rows"]] == [0, 180, 730]
    for k in ("p_sufficient", "p_presence", "p_supported"):
        v = [r[k] for r in doc["rows"]]
        assert v == sorted(v) and all(0 <= x <= 1 for x in v)
    # another seed, other simulated trials
    code3, out3, _ = run([a if a != "4" else "5" for a in argv], capsys)
    assert code3 == 0 and json.loads(out3)["rows"] != doc["rows"]


@pytest.mark.parametrize("cmd", ["cure-test", "plan"])
@pytest.mark.parametrize("extra,msg", [
    (["--time", "t2", "--event", "d3", "--cause", "relapse"], "--cause needs --event-type"),
    ([*BASE, "--cause", "progression"], "--cause progression"),
])
def test_bad_cause_is_one_error_line(bmt, capsys, cmd, extra, msg):
    code, out, err = run([cmd, bmt, *extra, "--quiet"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("error:") and msg in err and err.strip().count("\n") == 0


def test_cure_test_cause_per_group(bmt, capsys):
    """--group: each arm tested on its own rows; its CIF plateau = R survfit of that group."""
    code, out, _ = run(["cure-test", bmt, *BASE, "--cause", "relapse", "--group", "group",
                        "--reps", "50", "--format", "json", "--quiet"], capsys)
    assert code == 0
    r = pd.read_csv(FIXTURES / "competing" / "bmt_aj.csv")
    r = r[(r.conf_type == "log") & (r.state.astype(str) == "1")]
    groups = json.loads(out)["groups"]
    assert [g["group"] for g in groups] == ["1", "2", "3"]
    for g in groups:
        cif = g["competing"]["cumulative_incidence_plateau"]
        rg = r[(r.group.astype(str) == g["group"]) & (r.time <= cif["time"])].iloc[-1]
        assert cif["estimate"] == pytest.approx(float(rg["pstate"]), abs=1e-8)
        assert cif["se"] == pytest.approx(float(rg["std_err"]), abs=1e-8)
