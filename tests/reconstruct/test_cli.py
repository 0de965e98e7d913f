"""The ``remission reconstruct`` console script (installed, and its function in-process)."""
import json
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from remission.nonparametric.kaplan_meier import kaplan_meier

from ..inprocess import remission
from .digitise import digitise, risk_table

EXE = shutil.which("remission")


def test_console_script_is_installed():
    # `pip install -e .` installs it; a missing script is a broken installation, not a skip
    assert EXE is not None, "the remission console script is not installed"


def run_installed(*args, cwd=None):
    return subprocess.run([EXE, "reconstruct", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=60)


def run(*args, cwd=None):
    # the script's own function in this process (tests/inprocess.py); the installed script
    # itself runs test_two_arms_json
    return remission("reconstruct", *args, cwd=cwd)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("rec")
    rng = np.random.default_rng(7)
    curve, risk = [], []
    for arm, scale in (("A", 20.0), ("B", 30.0)):
        T = rng.weibull(1.3, 120) * scale
        C = rng.uniform(24, 48, 120)
        t, e = np.minimum(T, C), T <= C
        km = kaplan_meier(t, e)
        dt, ds = digitise(km.time, km.survival, rng, percent=True)
        curve += [(a, b, arm) for a, b in zip(dt, ds)]
        rt = np.arange(0, 42, 6.0)
        risk += [(a, b, arm) for a, b in zip(rt, risk_table(t, rt))]
    pd.DataFrame(curve, columns=["time", "survival", "arm"]).to_csv(d / "curve.csv", index=False)
    pd.DataFrame(risk, columns=["time", "n_risk", "arm"]).to_csv(d / "risk.csv", index=False)
    one = pd.DataFrame(curve, columns=["time", "survival", "arm"])
    one = one[one.arm == "A"][["time", "survival"]]
    one.to_csv(d / "one.csv", index=False)
    one.to_csv(d / "bare.csv", index=False, header=False)
    return d


def test_two_arms_json(files):
    out = files / "ipd.csv"
    r = run_installed("--curve", files / "curve.csv", "--at-risk", files / "risk.csv",
                      "-o", out, "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert [a["arm"] for a in doc["arms"]] == ["A", "B"] and doc["n"] == 240
    for a in doc["arms"]:
        q = a["quality"]
        assert q["max_abs_gap"] <= 0.03 and q["mean_abs_gap"] <= 0.01
        assert q["at_risk"][0] == {"time": 0.0, "published": 120, "reconstructed": 120,
                                   "difference": 0}
        assert any("percentages" in c for c in a["changes"])
        assert a["approximate"] is True
    ipd = pd.read_csv(out)
    assert list(ipd.columns) == ["time", "event", "arm"] and len(ipd) == 240


def test_text_report_and_headerless_curve_with_n(files):
    out = files / "ipd1.csv"
    r = run("--curve", files / "bare.csv", "--n", 120, "-o", out)
    assert r.returncode == 0, r.stderr
    assert "KM gap to the input curve: largest" in r.stdout
    assert "no numbers at risk" in r.stdout
    assert list(pd.read_csv(out).columns) == ["time", "event"]


def test_landmarks_mode(files):
    lm = files / "lm.csv"
    lm.write_text("time,survival,kind\n12,0.8,km\n24,0.6,km\n30,0.5,median\n")
    r = run("--landmarks", lm, "--n", 100, "--followup", "36,48", "-o", files / "lm_ipd.csv",
            "--format", "json")
    assert r.returncode == 0, r.stderr
    a = json.loads(r.stdout)["arms"][0]
    # S is exactly 0.5 from t = 30 on, so the KM median is the midpoint to the next event
    # (R's convention): 30.24 here, within 1 month at n = 100
    assert a["method"] == "landmarks" and a["median"] == pytest.approx(30, abs=1)
    assert all(abs(x["gap"]) <= 0.01 for x in a["quality"]["landmarks"])


@pytest.mark.parametrize("args, msg", [
    (["--curve", "missing.csv", "--n", "10"], "not found"),
    (["--curve", "{d}/one.csv"], "--at-risk or --n"),
    (["--curve", "{d}/curve.csv", "--n", "120"], "one value per arm"),
    (["--curve", "{d}/one.csv", "--n", "abc"], "not a whole number"),
    (["--curve", "{d}/bad_surv.csv", "--n", "10"], "above 1"),
    (["--curve", "{d}/text.csv", "--n", "10"], "not a number"),
    (["--curve", "{d}/one.csv", "--at-risk", "{d}/bad_risk.csv"], "must not increase"),
    (["--curve", "{d}/one.csv", "--n", "10", "--events", "20"], "more than"),
    (["--n", "10"], "either --curve"),
    (["--curve", "{d}/nocol.csv", "--n", "10"], "no 'survival' column"),
])
def test_bad_input_exits_2_with_one_line(files, args, msg):
    (files / "bad_surv.csv").write_text("time,survival\n0,1\n1,0.9\n2,1.4\n")
    (files / "text.csv").write_text("time,survival\n0,1\n1,abc\n")
    (files / "bad_risk.csv").write_text("time,n_risk\n0,100\n12,120\n")
    (files / "nocol.csv").write_text("time,prob_x\n0,1\n1,0.5\n")
    args = [a.format(d=files) for a in args]
    r = run(*args, "-o", files / "x.csv", cwd=files)
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and msg in lines[0], r.stderr
    assert "Traceback" not in r.stderr


def test_text_output_repeats_the_figures_numbers_at_risk_warnings():
    # reconstruct --figure keeps digitize's report in doc["figure"]; a number at risk that
    # digitize left out (at_risk_warnings) must be said in reconstruct's text output too
    from remission.cli.reconstruct_cmd import _text

    arm = {"arm": "A", "n": 10, "events": 4, "censored": 6, "median": None,
           "method": "guyot", "changes": [], "notes": [],
           "quality": {"max_abs_gap": 0.001, "max_gap_time": 1.0, "mean_abs_gap": 0.0005,
                       "n_points": 5, "at_risk": [], "events": None, "landmarks": []}}
    w = "curve A, column 3 (t = 12): numbers at risk read as 1590, left out"
    doc = {"arms": [arm], "rows": 10, "output": "ipd.csv"}
    out = _text({**doc, "figure": {"at_risk_warnings": [w]}})
    assert out.splitlines()[0] == f"figure: warning: {w}"
    assert "warning" not in _text(doc)
