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
                        "--scheduler", "sync"], capsys)
    assert code == 0
    d = json.loads(out)
    assert [r["extra_followup"] for r in d["rows"]] == [6, 24]
    assert set(d["rows"][0]) >= {"extra_followup", "p_sufficient", "p_presence", "ci_width"}
    assert isinstance(d["verdict"], str)
    code, out, _ = run(["plan", str(csv), "--extra-followup", "12", "--sims", "50",
                        "--null-reps", "100", "--quiet"], capsys)
    assert code == 0 and "Verdict:" in out


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
    argv = ["plan", str(allo2), "--sims", "60", "--null-reps", "100", "--seed", "3", "--quiet"]
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
                   p_sufficient_ym=a, p_sufficient_ym_raw=a, p_presence=a, p_presence_raw=a,
                   ci_width=nan, cure_mean=a, sims=10, seed=1,
                   model={"cure": 0.3, "shape": 1.0, "scale": 2.0, "n": 20},
                   current={"sufficient_p_value": 0.2, "presence_p_value": 0.3,
                            "ci_width": float("nan")})
    text = r.to_text()
    assert "nan" not in text.lower()
    assert "could not be computed" in r.verdict


@pytest.mark.parametrize("argv, title", [
    (["cure-test", "{f}", "--reps", "99"], "Cure evidence"),
    (["plan", "{f}", "--sims", "40", "--null-reps", "100"], "Follow-up plan"),
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
