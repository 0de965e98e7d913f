"""``remission example`` through the installed console script."""
import contextlib
import gzip
import io
import json
import subprocess

import pandas as pd

from remission.cli import main


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


def test_commands_accept_an_example_name_as_data(tmp_path):
    """DATA may name a bundled example: the same document as for the written file read with
    the example's own defaults (its time unit, days, sets the yearly landmarks)."""
    path = tmp_path / "ovarian.csv"
    run("example", "ovarian", "-o", str(path))
    for cmd in (["summary", "--group", "rx"], ["fit", "--dist", "weibull"],
                ["cure-test", "--reps", "20", "--seed", "3"]):
        by_name = json.loads(run(cmd[0], "ovarian", *cmd[1:], "--format", "json").stdout)
        # the file, read by the script's own function in this process (the installed script
        # runs each command above; a Python start-up per call was most of this test's time)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main([cmd[0], str(path), *cmd[1:], "--time-unit", "days",
                         "--format", "json"]) == 0
        by_file = json.loads(out.getvalue())
        for doc in (by_name, by_file):  # the source differs (name vs path); nothing else
            doc.pop("source", None)
            doc.get("data", {}).pop("source", None)
        assert by_name == by_file, cmd[0]


def test_example_name_errors_and_file_precedence(tmp_path, monkeypatch):
    p = subprocess.run(["remission", "summary", "us-lifetable"], capture_output=True, text=True)
    assert p.returncode == 2 and p.stderr.startswith("error:") and "us-lifetable" in p.stderr
    assert "Traceback" not in p.stderr
    # a file of that name in the working directory wins over the bundled example (here an
    # unreadable one: the error is about the file)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ovarian").write_text("time,event\n1,1\n2,0\n3,1\n")
    p = subprocess.run(["remission", "summary", "ovarian"], capture_output=True, text=True)
    assert p.returncode == 2 and "unknown file type" in p.stderr
