"""``remission cure-test`` and ``remission plan`` through the real entry point."""
import json

import pandas as pd
import pytest

from remission.cli import main

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
    (["plan", "{csv}", "--scheduler", "tcp://127.0.0.1:1", "--sims", "3000", "--quiet"],
     "scheduler"),
])
def test_errors_are_one_line(csv, capsys, monkeypatch, argv, msg):
    monkeypatch.setattr("remission.parallel.CONNECT_TIMEOUT", "2s")  # nothing listens there
    code, out, err = run([a.format(csv=csv) for a in argv], capsys)
    assert code == 2 and err.startswith("error:") and msg in err
    assert "Traceback" not in err
