"""``remission example`` through the installed console script."""
import gzip
import json
import subprocess

import pandas as pd


def run(*args):
    p = subprocess.run(["remission", *args], capture_output=True, text=True)
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    return p


def test_list_text_and_json():
    out = run("example", "list").stdout
    for name in ("lung", "myeloma", "cartitude1-pfs-approx", "us-lifetable"):
        assert name in out
    assert "APPROXIMATE" in out and "source:" in out
    doc = json.loads(run("example", "list", "--format", "json").stdout)
    rec = {e["name"]: e for e in doc["examples"]}
    assert {"name", "description", "source"} <= set(rec["lung"])


def test_write_csv_gz_and_stdout(tmp_path):
    run("example", "ovarian", "-o", str(tmp_path / "o.csv"))
    run("example", "ovarian", "-o", str(tmp_path / "o.csv.gz"))
    a = pd.read_csv(tmp_path / "o.csv")
    b = pd.read_csv(gzip.open(tmp_path / "o.csv.gz"))
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 26 and list(a.columns)[:2] == ["futime", "fustat"]
    out = run("example", "ovarian").stdout
    assert out.splitlines()[0] == '"futime","fustat","age","resid.ds","rx","ecog.ps"'


def test_written_example_summarises_with_defaults(tmp_path):
    path = tmp_path / "m.csv.gz"
    run("example", "myeloma", "-o", str(path))
    doc = json.loads(run("summary", str(path), "--format", "json").stdout)
    assert doc["n"] == 3882 and doc["groups"][0]["median"]["estimate"] == 1004
