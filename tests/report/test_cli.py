"""`remission analyze` and `remission plot` through the console entry point."""
import json
import re

import pytest

from remission.cli import main

from .helpers import XSS, bundled, hostile_csv

FAST_ARGS = ["--dists", "exponential,weibull", "--cure-dists", "weibull", "--reps", "50",
             "--sims", "20", "--quiet"]


@pytest.fixture(scope="module")
def c1(tmp_path_factory):
    return bundled("cartitude1-pfs-approx.csv.gz",
                   tmp_path_factory.mktemp("d") / "cartitude1-pfs-approx.csv")


def test_analyze_writes_self_contained_html_and_json(c1, tmp_path, capsys):
    out, js = tmp_path / "r.html", tmp_path / "r.json"
    assert main(["analyze", c1, "-o", str(out), "--json", str(js), *FAST_ARGS]) == 0
    assert "wrote" in capsys.readouterr().out
    html = out.read_text(encoding="utf-8")
    # self-contained: no external script, stylesheet, image or frame
    assert not re.search(r"<(script|img|iframe)[^>]+src=", html)
    assert "<link" not in html
    # plotly.js (the basic bundle, issue 16) inlined exactly once
    assert html.count("* plotly.js (basic - minified) v") == 1
    for sid in ("overview", "data", "km", "models", "cure", "evidence"):
        assert f"id='sec-{sid}'" in html
    assert "@media print" in html
    doc = json.loads(js.read_text())
    assert doc["sections"] == ["overview", "data", "km", "models", "hta", "cure", "evidence"]
    assert doc["data"]["n"] == 97
    # the results embedded in the page are the same document
    m = re.search(r'<script type="application/json" id="remission-results">(.*?)</script>',
                  html, re.S)
    emb = json.loads(m.group(1))
    assert emb["km"]["summary"] == doc["km"]["summary"]


def test_analyze_json_to_stdout(c1, tmp_path, capsys):
    assert main(["analyze", c1, "-o", str(tmp_path / "r.html"), "--format", "json",
                 *FAST_ARGS]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["models"]["cohorts"][0]["compare"]["models"]


def test_analyze_escapes_hostile_names(tmp_path):
    bad = hostile_csv(tmp_path / "data.csv")
    out = tmp_path / "r.html"
    assert main(["analyze", bad, "--group", "<b>arm</b>", "--time-unit", "months", "-o",
                 str(out), *FAST_ARGS]) == 0
    html = out.read_text(encoding="utf-8")
    assert XSS not in html and "<b>arm</b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    # the only closing script tags are those of our four script elements (figures, results,
    # plotly.js, report.js): no label opened or closed one
    assert html.count("</script>") == 4


@pytest.mark.parametrize("args, message", [
    (["--cure", "cured"], "--cure"),
    (["--dists", "weibul"], "weibul"),
    (["--time", "nope"], "nope"),
])
def test_analyze_bad_input_is_one_line_error(c1, tmp_path, capsys, args, message):
    rc = main(["analyze", c1, "-o", str(tmp_path / "r.html"), *args, "--quiet"])
    err = capsys.readouterr().err
    assert rc == 2 and err.startswith("error: ") and message in err
    assert "Traceback" not in err and err.count("\n") == 1


@pytest.mark.parametrize("ext, magic", [("png", b"\x89PNG"), ("svg", b"<?xml"),
                                        ("pdf", b"%PDF")])
def test_plot_km_formats(c1, tmp_path, ext, magic):
    out = tmp_path / f"km.{ext}"
    assert main(["plot", "km", c1, "-o", str(out), "--time-unit", "months",
                 "--dpi", "80"]) == 0
    data = out.read_bytes()
    assert data.startswith(magic) and len(data) > 5000
    if ext == "svg":
        text = data.decode()
        # the risk table is drawn: 97 at risk at time 0 with nothing censored or observed
        # (matplotlib writes each text as an SVG comment; a bare "97" would match coordinates)
        assert "97 (0, 0)" in text


def test_plot_km_groups_and_fit_and_cure(tmp_path):
    aa = bundled("alloauto.csv.gz", tmp_path / "alloauto.csv")
    assert main(["plot", "km", aa, "--group", "type", "-o", str(tmp_path / "a.svg")]) == 0
    svg = (tmp_path / "a.svg").read_text()
    assert "type = 1" in svg and "type = 2" in svg
    assert main(["plot", "fit", aa, "--dist", "weibull,exponential", "--cure", "mixture",
                 "--horizon", "120", "-o", str(tmp_path / "f.svg")]) == 0
    assert main(["plot", "fit", aa, "--time-unit", "months", "--dist", "weibull",
                 "--age", "40", "--sex", "female", "--year", "1990",
                 "-o", str(tmp_path / "g.png"), "--dpi", "80"]) == 0
    assert main(["plot", "cure", aa, "--group", "type", "-o", str(tmp_path / "c.pdf")]) == 0
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")


def test_plot_bad_extension(c1, tmp_path, capsys):
    assert main(["plot", "km", c1, "-o", str(tmp_path / "km.gif")]) == 2
    assert ".png, .svg or .pdf" in capsys.readouterr().err


def test_matplotlib_not_imported_by_analyze_or_cli_start():
    import subprocess
    import sys

    code = ("import sys, remission.cli.plot_cmd, remission.cli.analyze_cmd, remission.report;"
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


def test_analyze_shows_reconstruction_quality(tmp_path, capsys):
    """Data rebuilt with `remission reconstruct` carry its quality checks into the report."""
    import numpy as np
    import pandas as pd

    from remission.nonparametric.kaplan_meier import kaplan_meier
    from ..reconstruct.digitise import digitise, risk_table

    rng = np.random.default_rng(7)
    T, C = rng.weibull(1.3, 120) * 20.0, rng.uniform(24, 48, 120)
    t, e = np.minimum(T, C), T <= C
    km = kaplan_meier(t, e)
    dt, ds = digitise(km.time, km.survival, rng, percent=False)
    pd.DataFrame({"time": dt, "survival": ds}).to_csv(tmp_path / "curve.csv", index=False)
    rt = np.arange(0, 42, 6.0)
    pd.DataFrame({"time": rt, "n_risk": risk_table(t, rt)}).to_csv(tmp_path / "risk.csv",
                                                                   index=False)
    ipd = tmp_path / "ipd.csv"
    assert main(["reconstruct", "--curve", str(tmp_path / "curve.csv"), "--at-risk",
                 str(tmp_path / "risk.csv"), "-o", str(ipd), "--format", "json"]) == 0
    (tmp_path / "rec.json").write_text(capsys.readouterr().out)
    out, js = tmp_path / "r.html", tmp_path / "r.json"
    assert main(["analyze", str(ipd), "--provenance", str(tmp_path / "rec.json"), "-o",
                 str(out), "--json", str(js), *FAST_ARGS]) == 0
    rec = json.loads(js.read_text())["data"]["reconstruction"]
    q = rec["arms"][0]["quality"]
    assert q["at_risk"][0]["published"] == 120 and q["max_abs_gap"] < 0.05
    html = out.read_text(encoding="utf-8")
    assert "Reconstructed data." in html and "Published at risk" in html
