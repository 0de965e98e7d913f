"""``remission summary --format json`` on the bundled datasets against R survival 3.5.3
(tests/fixtures/r_survival/*.json), through the command line's entry point
(``remission.cli.main``, in process: the ten comparisons cost no interpreter start-ups), and
once through the installed console script, which must print the very same document.

Tolerance 1e-8 relative: the same closed forms in double precision (see
tests/nonparametric/test_reference.py); the JSON keeps full float precision.
"""
import json
import subprocess

import numpy as np
import pytest

from remission.cli import main

from ..bundled import csv
from ..reference_cases import reference

RTOL = 1e-8
CASES = ["lung", "veteran", "myeloma", "ovarian", "alloauto"]  # all load with the defaults


def arr(x):
    return np.array([np.nan if v is None else v for v in x], dtype=float)


def summary_args(name, ct, key):
    """The ``remission summary`` arguments that ask for what R computed in the fixture."""
    ref = reference(name)
    r = ref[key]
    lm_times = ",".join(str(t) for t in r["landmarks"]["time"])
    args = ["summary", csv(name), "--format", "json",
            "--times", lm_times, "--tau", str(r["rmst"]["tau"]), "--conf-type", ct]
    if "logrank" in ref:
        args += ["--group", ref["logrank"]["group"]]
    return args


def run_json(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_console_script_prints_the_same_document(capsys):
    args = summary_args("lung", "log-log", "km_loglog")
    p = subprocess.run(["remission", *args], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout == run_json(capsys, *args)


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("ct,key", [("log-log", "km_loglog"), ("log", "km_log")])
def test_summary_matches_r(name, ct, key, capsys):
    ref = reference(name)
    r = ref[key]
    doc = json.loads(run_json(capsys, *summary_args(name, ct, key)))
    assert doc["n"] == ref["n"] and doc["events"] == ref["events"]
    g = doc["groups"][0]
    assert g["group"] == "all" and g["n"] == ref["n"]
    tab = r["table"]
    for ours, theirs in [("time", "time"), ("n_risk", "n_risk"), ("n_event", "n_event"),
                         ("n_censor", "n_censor"), ("survival", "survival"),
                         ("lower", "lower"), ("upper", "upper")]:
        np.testing.assert_allclose(arr(g["curve"][ours]), arr(tab[theirs]), rtol=RTOL, atol=0)
    np.testing.assert_allclose(arr([g["median"][k] for k in ("estimate", "lower", "upper")]),
                               arr([r["median"][k] for k in ("estimate", "lower", "upper")]),
                               rtol=RTOL, atol=0)
    for k in ("survival", "lower", "upper", "n_risk"):
        np.testing.assert_allclose(arr([x[k] for x in g["landmarks"]]),
                                   arr(r["landmarks"][k]), rtol=RTOL, atol=0)
    assert g["rmst"]["tau"] == r["rmst"]["tau"]
    assert g["rmst"]["estimate"] == pytest.approx(r["rmst"]["estimate"], rel=RTOL)
    assert g["rmst"]["se"] == pytest.approx(r["rmst"]["se"], rel=RTOL)
    assert doc["median_followup"] == {**doc["median_followup"], "method": "reverse_km",
                                      "estimate": ref["median_followup_reverse_km"]}
    if "logrank" in ref:
        lr = ref["logrank"]
        assert [x["group"] for x in doc["groups"]] == ["all"] + [str(v) for v in lr["levels"]]
        assert doc["logrank"]["chisq"] == pytest.approx(lr["chisq"], rel=RTOL)
        assert doc["logrank"]["df"] == lr["df"]
        assert doc["logrank"]["p"] == pytest.approx(lr["p"], rel=RTOL)
    else:
        assert doc["logrank"] is None and len(doc["groups"]) == 1
