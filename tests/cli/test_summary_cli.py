"""``remission summary`` through the installed console script: ADaM, notes, units, formats."""
import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from ..bundled import csv

SAS = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "adtte_tiny.sas7bdat"


def run(*args):
    p = subprocess.run(["remission", *map(str, args)], capture_output=True, text=True)
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    return p


@pytest.fixture
def adtte(tmp_path):
    df = pd.DataFrame({"PARAMCD": ["OS", "PFS"] * 5,
                       "AVAL": [10, 5, 12, 12, 7, 3, 20, 8, 15, 15],
                       "CNSR": [0, 0, 1, 1, 0, 0, 0, 1, 1, 0],
                       "ARM": ["A", "A", "B", "B", None, None, "A", "A", "B", "B"]})
    p = tmp_path / "adtte.xlsx"
    df.to_excel(p, index=False)
    return p


def test_adam_excel_param_group_notes_text_and_json(adtte):
    p = run("summary", adtte, "--param", "OS", "--group", "ARM", "--times", "10")
    assert p.stderr.strip() == ("note: 1 row with a missing 'ARM' (first at row 5) left out of "
                                "the group comparisons")
    assert "ARM=A" in p.stdout and "ARM=B" in p.stdout
    q = run("summary", adtte, "--param", "OS", "--group", "ARM", "--format", "json")
    doc = json.loads(q.stdout)
    assert q.stderr == ""
    assert doc["n"] == 5 and doc["events"] == 3
    assert [g["group"] for g in doc["groups"]] == ["all", "A", "B"]
    assert doc["notes"] and "missing 'ARM'" in doc["notes"][0]


def test_output_unit_converts_times():
    doc = json.loads(run("summary", csv("lung"), "--time-unit", "days",
                         "--output-unit", "months", "--format", "json", "--times", "12").stdout)
    g = doc["groups"][0]
    assert g["median"]["estimate"] == pytest.approx(310 / (365.25 / 12))
    assert doc["time_unit"] == "months" and g["landmarks"][0]["time"] == 12


def test_sas7bdat_through_the_cli():
    doc = json.loads(run("summary", SAS, "--param", "PFS", "--format", "json").stdout)
    assert doc["n"] == 3 and doc["events"] == 2
    assert doc["groups"][0]["curve"]["time"] == [3, 5, 12]
