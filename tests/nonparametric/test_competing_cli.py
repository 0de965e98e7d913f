"""``--event-type`` / ``--causes`` / ``--cause`` from the data layer to ``remission summary``:
the JSON block of SPEC.md, the text section, and one-line errors (exit 2)."""
import json
import subprocess

import numpy as np
import pandas as pd
import pytest

from remission.data import from_dataframe
from remission.errors import DataError, OptionError

from ..inprocess import remission
from ._competing_data import bmt_frame, fixture


def run(*args, code=0, installed=False):
    # the script's own function in this process (tests/inprocess.py) unless `installed`
    # (test_summary_json_block_has_the_spec_keys_and_r_numbers runs the real script)
    p = subprocess.run(["remission", *map(str, args)], capture_output=True, text=True) \
        if installed else remission(*args)
    assert p.returncode == code and "Traceback" not in p.stderr, p.stderr
    if code:
        assert p.stderr.startswith("error: ") and p.stderr.count("\n") == 1, p.stderr
    return p


@pytest.fixture(scope="module")
def bmt_csv(tmp_path_factory):
    df = bmt_frame()
    df["etype"] = np.where(df.etype == 0, "0", np.where(df.etype == 1, "relapse", "nrm"))
    p = tmp_path_factory.mktemp("cr") / "bmt.csv"
    df.to_csv(p, index=False)
    return p


@pytest.fixture
def adtte():
    return pd.DataFrame({"AVAL": [1.0, 2, 3, 4, 5, 6],
                         "CNSR": [0, 1, 0, 0, 1, 0],
                         "EVNTDESC": ["PROGRESSIVE DISEASE", "COMPLETED", "DEATH",
                                      "progressive disease", None, "DEATH"]})


def test_summary_json_block_has_the_spec_keys_and_r_numbers(bmt_csv):
    p = run("summary", bmt_csv, "--time", "t2", "--event-type", "etype", "--group", "group",
            "--times", "365,730", "--conf-type", "log", "--cause", "relapse",
            "--format", "json", installed=True)
    doc = json.loads(p.stdout)
    cr = doc["competing_risks"]
    assert doc["events"] == 83  # the Kaplan-Meier part is of any event
    assert cr["causes"] == ["relapse", "nrm"]  # --cause first
    assert [g["group"] for g in cr["groups"]] == ["all", "1", "2", "3"]
    cif = cr["groups"][0]["cifs"][0]
    assert cif["cause"] == "relapse"
    assert set(cif["landmarks"][0]) >= {"time", "estimate", "se", "lower", "upper"}
    assert set(cif["curve"]) >= {"time", "estimate", "lower", "upper"}
    # the landmark equals R's survfit (fixture) at 365 days
    ref = fixture("bmt_aj.csv")
    r = ref[(ref.group == "all") & (ref.conf_type == "log") & (ref.state == "1")
            & (ref.time <= 365)].iloc[-1]
    lm = cif["landmarks"][0]
    np.testing.assert_allclose([lm["estimate"], lm["se"], lm["lower"], lm["upper"]],
                               [r.pstate, r.std_err, r.lower, r.upper], rtol=1e-8)
    g = {x["cause"]: x for x in cr["gray_test"]}
    assert set(g["relapse"]) >= {"cause", "statistic", "df", "p"}
    np.testing.assert_allclose(g["relapse"]["statistic"], 11.9228820485918, rtol=1e-8)
    for key in ("fine_gray", "cause_specific"):
        block = {x["cause"]: x for x in cr[key]}
        c = block["relapse"]["contrasts"]
        assert [x["group"] for x in c] == ["2", "3"]
        assert set(c[0]) >= {"group", "coef", "se", "p"}
    np.testing.assert_allclose([x["coef"] for x in cr["fine_gray"][0]["contrasts"]],
                               [-0.803395353752211, 0.508494224879068], rtol=1e-8)
    # event-free + incidences = 1 along the whole curve
    gr = cr["groups"][1]
    total = np.add(*[c["curve"]["estimate"] for c in gr["cifs"]]) + np.array(
        gr["event_free"]["curve"]["estimate"])
    np.testing.assert_allclose(total, 1.0, atol=1e-14)


def test_summary_text_section(bmt_csv):
    p = run("summary", bmt_csv, "--time", "t2", "--event-type", "etype", "--group", "group")
    assert "Competing risks: cumulative incidence" in p.stdout
    assert "Gray's test, cause relapse: chisq = 11.92 on 2 df" in p.stdout
    assert "Fine-Gray subdistribution hazard ratios, cause relapse (vs 1)" in p.stdout


def test_without_groups_no_tests(bmt_csv):
    doc = json.loads(run("summary", bmt_csv, "--time", "t2", "--event-type", "etype",
                         "--format", "json").stdout)
    cr = doc["competing_risks"]
    assert cr["gray_test"] is None and cr["fine_gray"] is None and cr["cause_specific"] is None
    assert [g["group"] for g in cr["groups"]] == ["all"]


def test_cause_gives_other_commands_the_cause_specific_endpoint(bmt_csv):
    doc = json.loads(run("fit", bmt_csv, "--time", "t2", "--event-type", "etype", "--cause",
                         "relapse", "--dist", "exponential", "--format", "json").stdout)
    assert doc["events"] == 42  # relapses only; deaths in remission censored


@pytest.mark.parametrize("args,must", [
    (("--event-type", "etype", "--event", "d3"), "--event-type"),
    (("--event-type", "nope"), "nope"),
    (("--event-type", "etype", "--cause", "foo"), "--cause foo"),
    (("--event", "d3", "--cause", "relapse"), "--cause needs --event-type"),
    (("--event-type", "etype", "--causes", "r=relapse"), "'nrm'"),
    (("--event-type", "etype", "--causes", "r=relapse,n=nrm,x=FOO"), "no events"),
    (("--event-type", "etype", "--causes", "garbage"), "--causes"),
    (("--event", "d3", "--causes", "r=relapse"), "--causes needs --event-type"),
])
def test_errors_are_one_line_exit_2(bmt_csv, args, must):
    p = run("summary", bmt_csv, "--time", "t2", *args, code=2)
    assert must in p.stderr


def test_adam_labels_mapped_with_cnsr(adtte):
    d = from_dataframe(adtte, event_type="EVNTDESC",
                       causes="relapse=PROGRESSIVE DISEASE,nrm=DEATH")
    assert d.cause.tolist() == ["relapse", None, "nrm", "relapse", None, "nrm"]
    assert d.event.tolist() == [True, False, True, True, False, True]
    assert d.cause_levels() == ["relapse", "nrm"]  # the order of --causes
    assert d.for_cause("nrm").event.tolist() == [False, False, True, False, False, True]


def test_data_errors_name_column_and_row(adtte):
    with pytest.raises(DataError, match=r"EVNTDESC.*'DEATH' is not a label.*row 3"):
        from_dataframe(adtte, event_type="EVNTDESC", causes="relapse=PROGRESSIVE DISEASE")
    bad = adtte.assign(CNSR=0)  # row 5: no censoring flag and no label
    with pytest.raises(DataError, match=r"missing event type.*row 5"):
        from_dataframe(bad, event_type="EVNTDESC", causes="r=PROGRESSIVE DISEASE,n=DEATH,"
                       "0=COMPLETED")
    with pytest.raises(OptionError, match="two causes"):
        from_dataframe(adtte, event_type="EVNTDESC", causes="a=DEATH,b=DEATH")
    many = pd.DataFrame({"time": np.arange(1.0, 31), "cause": np.arange(1, 31)})
    with pytest.raises(DataError, match="more than 20"):
        from_dataframe(many, event_type="cause")


def test_numeric_codes_and_zero_censored():
    d = from_dataframe(pd.DataFrame({"time": [1.0, 2, 3, 4], "et": [0, 2, 1, 2]}),
                       event_type="et")
    assert d.cause.tolist() == [None, "2", "1", "2"] and d.cause_levels() == ["1", "2"]
    assert d.n_events == 3
    # subsets and unit conversion keep the causes
    assert d.subset(np.array([False, True, True, False])).cause.tolist() == ["2", "1"]
