"""``remission cure-test`` and ``remission plan`` through the real entry point."""
import json

import pandas as pd
import pytest

from remission.cli import main

from ..bundled import frame
from .conftest_data import cure_data


@pytest.fixture(scope="module")
def csv(tmp_path_factory):
    t, e = cure_data(12, n=90, cure=0.35, c_lo=25, c_hi=50)
    p = tmp_path_factory.mktemp("cure") / "trial.csv"
    pd.DataFrame({"time": t, "status": e.astype(int)}).to_csv(p, index=False)
    return p


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cure_test_json_has_spec_keys(csv, capsys):
    code, out, _ = run(["cure-test", str(csv), "--reps", "99", "--seed", "2", "--format",
                        "json", "--quiet"], capsys)
    assert code == 0
    d = json.loads(out)
    for k in ("presence", "sufficient_followup"):
        assert set(d[k]) >= {"test", "statistic", "p_value"}
    assert set(d["tail"]) >= {"last_event_time", "max_followup", "plateau_length",
                              "survival_at_plateau", "n_at_risk_at_plateau"}
    assert "verdict" in d
    code, out2, _ = run(["cure-test", str(csv), "--reps", "99", "--seed", "2", "--format",
                         "json", "--quiet"], capsys)
    assert out2 == out  # same seed, same document


def test_cure_test_text(csv, capsys):
    code, out, _ = run(["cure-test", str(csv), "--reps", "50", "--quiet"], capsys)
    assert code == 0 and "Verdict:" in out and "Maller-Zhou" in out


def test_plan_json_and_text(csv, capsys):
    code, out, _ = run(["plan", str(csv), "--extra-followup", "6,24", "--sims", "100",
                        "--null-reps", "200", "--seed", "3", "--format", "json", "--quiet",
                        "--scheduler", "sync", "--no-search"], capsys)
    assert code == 0
    d = json.loads(out)
    assert [r["extra_followup"] for r in d["rows"]] == [6, 24]
    assert set(d["rows"][0]) >= {"extra_followup", "p_sufficient", "p_presence", "ci_width"}
    assert isinstance(d["verdict"], str)
    code, out, _ = run(["plan", str(csv), "--extra-followup", "12", "--sims", "50",
                        "--null-reps", "100", "--quiet", "--no-search"], capsys)
    assert code == 0 and "Verdict:" in out
    assert d["needed"] is None  # --no-search: the table only


@pytest.mark.parametrize("argv,msg", [
    (["plan", "{csv}", "--extra-followup", "6,abc"], "not a number"),
    (["plan", "{csv}", "--extra-followup", "-3"], ">= 0"),
    (["cure-test", "{csv}", "--time", "nope"], "nope"),
    (["plan", "{csv}", "--dropout", "0.1"], "--time-unit"),
    (["plan", "{csv}", "--dropout", "1.5", "--time-unit", "months"], "[0, 1)"),
    (["plan", "{csv}", "--scheduler", "tcp://127.0.0.1:1", "--sims", "3000", "--quiet"],
     "scheduler"),
])
def test_errors_are_one_line(csv, capsys, monkeypatch, argv, msg):
    monkeypatch.setattr("remission.parallel.CONNECT_TIMEOUT", "2s")  # nothing listens there
    code, out, err = run([a.format(csv=csv) for a in argv], capsys)
    assert code == 2 and err.startswith("error:") and msg in err
    assert "Traceback" not in err


@pytest.fixture(scope="module")
def allo2(tmp_path_factory):
    """alloauto group type 2: its last observation is an event, so KM at the last event time
    is 0 and today's log-log interval of the cure fraction does not exist."""
    d = frame("alloauto")
    p = tmp_path_factory.mktemp("allo") / "allo2.csv"
    d[d["type"] == 2].to_csv(p, index=False)
    return p


def test_plan_never_prints_nan(allo2, capsys):
    argv = ["plan", str(allo2), "--sims", "60", "--null-reps", "100", "--seed", "3", "--quiet",
            "--no-search"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    assert "nan" not in out.lower()
    assert "today's interval could not be computed" in out
    code, js, _ = run(argv + ["--format", "json"], capsys)
    assert code == 0
    assert "NaN" not in js and "Infinity" not in js
    d = json.loads(js)
    assert d["current"]["ci_width"] is None
    assert "nan" not in d["verdict"].lower()


def test_plan_verdict_without_any_width():
    """Neither today's nor the simulated width available: still no 'nan' in the text."""
    import numpy as np

    from remission.evidence.plan import PlanResult

    a = np.array([0.5, 0.9])
    nan = np.full(2, np.nan)
    r = PlanResult(extra_followup=(6.0, 12.0), p_sufficient=a, p_sufficient_raw=a,
                   p_presence=a, p_presence_raw=a, p_supported=a,
                   ci_width=nan, cure_mean=a, sims=10, seed=1,
                   model={"cure": 0.3, "shape": 1.0, "scale": 2.0, "n": 20},
                   current={"sufficient_p_value": 0.2, "presence_p_value": 0.3,
                            "ci_width": float("nan")})
    text = r.to_text()
    assert "nan" not in text.lower()
    assert "could not be computed" in r.verdict


@pytest.mark.parametrize("argv, title", [
    (["cure-test", "{f}", "--reps", "99"], "Cure evidence"),
    (["plan", "{f}", "--sims", "40", "--null-reps", "100", "--no-search"], "Follow-up plan"),
])
def test_installed_script_redirected_output_starts_with_title(allo2, argv, title):
    """Progress bars (rich, transient) left blank lines when stderr is not a terminal; with
    output redirected, stdout starts with the title and stderr is empty (no --quiet)."""
    import shutil
    import subprocess

    exe = shutil.which("remission")
    assert exe, "the remission console script is not installed"
    r = subprocess.run([exe, *[a.format(f=allo2) for a in argv]], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(title), r.stdout[:80]
    assert r.stderr == ""


# ---------------------------------------------------------------------- one computation
def _p_values(doc):
    return {k: v["p_value"] for k, v in doc.items() if isinstance(v, dict) and "p_value" in v}


def test_report_cure_test_and_plan_agree_to_the_last_digit(csv, tmp_path, capsys):
    """The same data, replicates and seed: the report's JSON, cure-test and plan show the
    same current p-values, digit for digit (each computed once and passed on)."""
    seed, reps = ["--seed", "3"], ["--reps", "99"]
    code, out, err = run(["cure-test", str(csv), *reps, *seed, "--format", "json", "--quiet"],
                         capsys)
    assert code == 0, err
    ct = _p_values(json.loads(out))
    assert {"presence", "sufficient_followup"} <= set(ct)
    code, out, err = run(["plan", str(csv), *reps, *seed, "--sims", "20", "--null-reps", "100",
                          "--extra-followup", "12", "--format", "json", "--quiet",
                          "--no-search"], capsys)
    assert code == 0, err
    cur = json.loads(out)["current"]
    assert cur["p_values"] == ct
    assert cur["presence_p_value"] == ct["presence"]
    assert cur["sufficient_p_value"] == ct["sufficient_followup"]
    js = tmp_path / "r.json"
    code, _, err = run(["analyze", str(csv), "-o", str(tmp_path / "r.html"), "--json", str(js),
                        *reps, *seed, "--sims", "20", "--extra-followup", "12", "--quiet",
                        "--dists", "weibull", "--cure-dists", "weibull"], capsys)
    assert code == 0, err
    ev = json.loads(js.read_text())["evidence"]["cohorts"][0]
    assert _p_values(ev["cure_test"]) == ct
    assert ev["plan"]["current"]["p_values"] == ct


# ---------------------------------------------------------------------- how much longer
def test_plan_reports_needed_with_its_sentence(csv, capsys):
    code, out, err = run(["plan", str(csv), "--sims", "30", "--null-reps", "100", "--reps",
                          "50", "--extra-followup", "12", "--target", "0.6", "--cap", "60",
                          "--format", "json", "--quiet"], capsys)
    assert code == 0, err
    nd = json.loads(out)["needed"]
    assert nd["target"] == 0.6 and nd["cap"] == 60
    assert {"sufficient_followup", "presence", "scenarios"} <= set(nd)
    kinds = [s["kind"] for s in nd["scenarios"]]
    assert kinds[0] == "cure" and kinds[-1] == "no cure"
    for s in nd["scenarios"]:
        for k in ("sufficient_followup", "presence"):
            assert s[k] is None or 0 <= s[k] <= 60
    assert "if there is no cure, the chance of wrongly concluding one is" in nd["sentence"]


@pytest.mark.parametrize("opt, value", [
    ("--target", "nan"), ("--target", "0"), ("--target", "1.5"), ("--target", "-0.2"),
    ("--cap", "nan"), ("--cap", "-5"), ("--cap", "0"), ("--cap", "1e300"), ("--cap", "1e6"),
])
def test_plan_refuses_bad_target_and_cap(csv, capsys, opt, value):
    code, out, err = run(["plan", str(csv), opt, value, "--sims", "5", "--quiet"], capsys)
    assert code == 2 and err.startswith("error:") and opt in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


# ---------------------------------------------------------------------- per group
def test_cure_test_and_plan_per_group(capsys):
    """alloauto (two transplant types): one document per group, each with its own answer,
    and each group's plan quotes that group's cure-test p-values."""
    path = "alloauto"  # the bundled example, read with its own columns and time unit
    code, out, err = run(["cure-test", path, "--group", "type", "--reps", "50", "--format",
                          "json", "--quiet"], capsys)
    assert code == 0, err
    ct = json.loads(out)
    assert [g["group"] for g in ct["groups"]] == ["1", "2"]
    assert ct["groups"][0]["n"] + ct["groups"][1]["n"] == 101
    # group 2's last observation is an event (KM reaches 0): no evidence of a cure there
    assert ct["groups"][1]["conclusion"] == "no-evidence"
    code, out, err = run(["plan", path, "--group", "type", "--reps", "50", "--sims", "20",
                          "--null-reps", "100", "--extra-followup", "12", "--cap", "60",
                          "--format", "json", "--quiet"], capsys)
    assert code == 0, err
    pl = json.loads(out)
    assert [g["group"] for g in pl["groups"]] == ["1", "2"]
    for g_ct, g_pl in zip(ct["groups"], pl["groups"]):
        assert g_pl["current"]["p_values"] == _p_values(g_ct)
        assert g_pl["model"]["n"] == g_ct["n"] and g_pl["needed"]["cap"] == 60
    code, out, _ = run(["cure-test", "--help"], capsys)
    assert "--group" in out and "groups" in out


def test_python_api_per_group():
    import remission as rm

    data = rm.load_example("alloauto")  # carries its group column, type
    res = rm.cure_test_groups(data, reps=50)
    assert [lab for lab, _ in res.results] == ["1", "2"]
    assert res["2"].to_dict()["conclusion"] == "no-evidence"
