"""The report's evidence section with competing risks and a cause of interest (issue 18 item
4): the cause's cure tests (the other causes censored) beside the endpoint's, the very numbers
of ``cure_test(data, cause=...)`` (= ``remission cure-test --cause``), with the plateau of the
cause's cumulative incidence."""
import json

import numpy as np
import pytest

from remission.data import from_dataframe
from remission.datasets import read_example
from remission.evidence import cure_test
from remission.report import analyze
from remission.report.format import pct

from .helpers import FAST


@pytest.fixture(scope="module")
def data():
    df = read_example("bmt")
    df["etype"] = np.where(df.d3 == 0, "0", np.where(df.d2 == 1, "relapse", "nrm"))
    return from_dataframe(df, time="t2", event_type="etype", time_unit="days")


def test_cause_evidence_beside_the_endpoint(data):
    rep = analyze(data, cause="relapse", **FAST)
    sec = rep.section("evidence")
    entry = sec.data["cohorts"][0]
    want = cure_test(data, cause="relapse", reps=FAST["reps"], seed=entry["plan"]["seed"])
    assert entry["cause_cure_test"] == json.loads(json.dumps(want.to_dict()))
    assert entry["cure_test"]["n"] == entry["cause_cure_test"]["n"] == 137
    assert entry["cure_test"]["events"] == 83 and entry["cause_cure_test"]["events"] == 42
    html = sec.html
    assert "Cure of the disease: relapse" in html
    assert "<th>Endpoint (any event)</th><th>relapse, other causes (nrm) censored</th>" in html
    cif = want.competing["cumulative_incidence_plateau"]["estimate"]
    assert f"plateaus at {pct(cif, 1)}" in html
    for d in (entry["cure_test"], entry["cause_cure_test"]):
        assert f"<b>{d['conclusion']}</b>" in html

