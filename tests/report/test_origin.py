"""The report of patients reconstructed from a figure shows where they came from (issue 17,
item 4): `reconstruct --figure -o ipd.csv` writes ipd.csv.provenance.json (figure SHA-256,
digitised curves, quality report, overlay PNG) and `analyze --provenance` of it adds the
"Data origin" section: the overlay inline, the digitising quality and the Guyot round trip.
A changed patients file or a damaged sidecar is refused with one `error:` line (exit 2); data
without the sidecar get no such section.

The figure is drawn from known patients (tests/reconstruct/digitize/draw.py) and read with
--x-range/--y-range (no OCR: these tests do not need tesseract; the OCR route to the report is
tests/reconstruct/digitize/test_to_analyze.py).
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
from contextlib import redirect_stderr, redirect_stdout

import numpy as np
import pytest

from remission.cli import main

from ..reconstruct.digitize.draw import arm, draw

ARMS = [arm(150, 0.08, 1), arm(150, 0.04, 2)]
RANGES = ["--x-range", "0,40", "--y-range", "0,1.02"]


def run(args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = main([str(a) for a in args])
    return rc, out.getvalue(), err.getvalue()


def sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    d = tmp_path_factory.mktemp("origin")
    fig, ipd = d / "km.png", d / "ipd.csv"
    draw(fig, ARMS, xticks=[0, 10, 20, 30, 40])
    rc, out, err = run(["reconstruct", "--figure", fig, *RANGES, "--n", "150,150", "-o", ipd])
    assert rc == 0, err
    side = d / "ipd.csv.provenance.json"
    assert f"to {side}" in out  # the text output names the sidecar and what to do with it
    return d, fig, ipd, side


@pytest.fixture(scope="module")
def report(made):
    """One reduced analysis of the patients by arm with their provenance, through the public
    API `analyze --group arm --provenance` calls (HTML and JSON); the command line's own
    route to it is checked by the error tests below and by test_to_analyze.py."""
    import remission as rm
    from remission.data import read_survival

    _d, _fig, ipd, side = made
    rep = rm.analyze(read_survival(str(ipd), group="arm"), source=str(ipd), provenance=side,
                     dists=("exponential",), cures=(), reps=20, sims=5, null_reps=50,
                     extra_followup=(12,))
    return rep.to_html(), json.loads(rep.to_json())


def test_sidecar_pins_the_figure_the_patients_and_the_curves(made):
    from remission.reconstruct.digitize import digitize

    _d, fig, ipd, side = made
    doc = json.loads(side.read_text())
    assert doc["kind"] == "remission reconstruction provenance" and doc["version"] == 1
    assert doc["data_sha256"] == sha(ipd) and doc["figure"]["sha256"] == sha(fig)
    png = base64.b64decode(doc["figure"]["overlay"]["base64"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert hashlib.sha256(png).hexdigest() == doc["figure"]["overlay"]["sha256"]
    # a 640 x 440 figure is under the bound: the overlay has its own size
    assert [doc["figure"]["overlay"][k] for k in ("width", "height")] == [640, 440]
    res = digitize(fig, x_range=(0, 40), y_range=(0, 1.02))
    for name, (t, s) in res.curves.items():  # JSON keeps every float exactly
        assert doc["figure"]["digitised"][name]["time"] == [float(v) for v in t]
        assert doc["figure"]["digitised"][name]["survival"] == [float(v) for v in s]
    assert doc["figure"]["curves_found"] == 2 and "pixels_per_unit" in doc["figure"]["x_axis"]


def test_overlay_of_a_large_figure_is_downscaled(made):
    from remission.reconstruct.digitize import digitize
    from remission.reconstruct.digitize.overlay import overlay_png
    from remission.reconstruct.provenance import _png_size

    _d, fig, _ipd, _side = made
    res = digitize(fig, x_range=(0, 40), y_range=(0, 1.02))
    assert _png_size(overlay_png(res, 320)) == (320, 220)   # longer side to the bound
    assert _png_size(overlay_png(res, 2000)) == (640, 440)  # never enlarged


def test_report_shows_the_overlay_the_quality_and_the_round_trip(made, report):
    _d, fig, _ipd, side = made
    html, doc = report
    sc = json.loads(side.read_text())
    assert doc["sections"][:3] == ["overview", "data", "origin"]
    # the overlay, inline: the report stays one file
    assert f"src='data:image/png;base64,{sc['figure']['overlay']['base64']}'" in html
    assert "Digitising quality" in html and "Pixels per unit of time" in html
    assert "Gaps bridged" in html and "Curves found" in html
    o = doc["origin"]
    assert o["sha256"] == sha(fig) and o["file_check"] == "matches"
    assert o["quality"]["summary"]["curves_found"] == 2
    assert o["quality"]["summary"]["pixels_per_unit_x"] == sc["figure"]["x_axis"][
        "pixels_per_unit"]
    assert o["overlay"]["sha256"] == sc["figure"]["overlay"]["sha256"]
    # the round trip, per arm: the report's largest distance between the reconstructed KM
    # and the digitised curve (at the middle of every interval between both curves' jumps)
    # equals the one `reconstruct` measured at the cleaned curve's points: both curves are
    # constant between jumps, so both find the same largest step; 1e-9 is rounding only
    gaps = {a["arm"]: a["quality"]["max_abs_gap"] for a in sc["arms"]}
    rt = {r["curve"]: r for r in o["roundtrip"]}
    assert set(rt) == set(gaps)
    for name, g in gaps.items():
        assert rt[name]["cohort"] == name
        assert abs(rt[name]["max_abs_difference"] - g) < 1e-9, (name, rt[name], g)
        # Guyot's algorithm reproduces a curve read at ~300 pixels per unit of survival
        # within a few thousandths (measured 0.0037 and 0.0046): 0.01 leaves room for a
        # different font or renderer moving a drop by a pixel, not for a wrong reconstruction
        assert rt[name]["max_abs_difference"] < 0.01
    worst = max(r["max_abs_difference"] for r in o["roundtrip"])
    assert o["max_abs_difference"] == worst
    assert f"<b class='roundtrip'>{worst:.4f}</b>" in html
    assert any(f"lie within {worst:.3f} of the curves digitised" in x
               for x in doc["overview"]["sentences"])  # the plain-language summary says so
    assert "fig-roundtrip" in html


def test_the_round_trip_is_the_distance_between_the_step_functions(made, report):
    """The round-trip number against a brute-force evaluation of both step functions on a
    dense grid (written out here, not through the package's Kaplan-Meier): the largest
    distance over the grid points farther than a twentieth of an x pixel from every drop
    (the report skips the gaps between drops narrower than a tenth of a pixel)."""
    import pandas as pd

    _d, _fig, ipd, side = made
    sc = json.loads(side.read_text())
    ppu = sc["figure"]["x_axis"]["pixels_per_unit"]
    df = pd.read_csv(ipd, dtype={"arm": str})
    for r in report[1]["origin"]["roundtrip"]:
        sub = df[df["arm"] == r["curve"]]
        t, e = sub["time"].to_numpy(), sub["event"].to_numpy()
        ut = np.unique(t[e == 1])
        d = np.array([np.sum((t == u) & (e == 1)) for u in ut])
        n = np.array([np.sum(t >= u) for u in ut])
        ks = np.cumprod(1 - d / n)
        ct = np.asarray(sc["figure"]["digitised"][r["curve"]]["time"])
        cs = np.asarray(sc["figure"]["digitised"][r["curve"]]["survival"])
        grid = np.linspace(0, ct.max(), 200_001)
        drops = np.union1d(np.r_[0.0, ut], ct)
        i = np.clip(np.searchsorted(drops, grid), 1, drops.size - 1)
        dist = np.minimum(np.abs(grid - drops[i - 1]), np.abs(drops[i] - grid))
        g = grid[dist > 0.05 / ppu]  # half the skipped width: the middle of every wider gap
        km = np.r_[1.0, ks][np.searchsorted(ut, g, side="right")]
        dig = np.r_[1.0, cs][np.searchsorted(ct, g, side="right")]
        # the dense grid (spacing 2e-4 time units, 1/360 of a pixel) lands in the middle of
        # every gap the report measures, so the maxima agree to the float rounding
        assert abs(np.abs(km - dig).max() - r["max_abs_difference"]) < 1e-12


def test_data_without_the_sidecar_have_no_origin_section(made):
    """The same patients without --provenance (the sidecar beside them is never picked up by
    itself) and an ordinary dataset: no origin section, no embedded image."""
    from remission.data import read_survival
    from remission.report import compute
    from remission.report.context import Context, Options
    from remission.report.sections import builders, data, origin

    _d, _fig, ipd, _side = made
    assert ("origin", origin.build) in builders()
    for d in (read_survival(str(ipd), group="arm"), read_survival(str(ipd))):
        ctx = Context(d, Options(source=str(ipd)))
        assert origin.build(ctx) is None and compute.roundtrip(ctx) is None
        assert "data:image" not in data.build(ctx).html


def test_vector_pdf_has_no_overlay_but_the_round_trip(tmp_path):
    """A vector PDF page is read from its paths (exact): the sidecar has no overlay, the
    section says why and still gives the round trip (the same bound as the picture's)."""
    from remission.data import read_survival
    from remission.report.build import reconstruction_provenance
    from remission.report.context import Context, Options
    from remission.report.sections import origin

    fig, ipd = tmp_path / "km.pdf", tmp_path / "ipd.csv"
    draw(fig, ARMS, xticks=[0, 10, 20, 30, 40])
    rc, _out, err = run(["reconstruct", "--figure", fig, "--n", "150,150", "-o", ipd])
    assert rc == 0, err
    side = tmp_path / "ipd.csv.provenance.json"
    assert json.loads(side.read_text())["figure"]["overlay"] is None
    ctx = Context(read_survival(str(ipd), group="arm"),
                  Options(provenance=reconstruction_provenance(side, ipd)))
    s = origin.build(ctx)
    assert "No overlay" in s.html and "data:image" not in s.html and s.data["overlay"] is None
    assert len(s.data["roundtrip"]) == 2
    assert all(r["max_abs_difference"] < 0.01 for r in s.data["roundtrip"])  # measured 0.0033


def _analyze(ipd, side, tmp_path):
    return run(["analyze", ipd, "--provenance", side, "-o", tmp_path / "r.html", "--quiet"])


def _one_error(rc, out, err, *words):
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert rc == 2 and len(lines) == 1 and lines[0].startswith("error: "), (rc, err)
    for w in words:
        assert w in lines[0], (w, lines[0])


def test_changed_patients_file_is_refused(made, tmp_path):
    _d, _fig, ipd, side = made
    changed = tmp_path / "ipd.csv"
    changed.write_text(ipd.read_text() + "1,1,Arm 1\n")
    _one_error(*_analyze(changed, side, tmp_path), "--provenance", "SHA-256",
               "changed after `reconstruct`")
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("edit,words", [
    (lambda d: d["figure"]["overlay"].update(base64=d["figure"]["overlay"]["base64"][:-8]
                                             + "AAAAAAA="), ["overlay image is damaged"]),
    (lambda d: d.update(version=99), ["version 99"]),
    (lambda d: d["figure"].pop("digitised"), ["no digitised curves"]),
    (lambda d: d["figure"]["digitised"][next(iter(d["figure"]["digitised"]))].update(
        time=["x"]), ["not lists of time and survival"]),
])
def test_damaged_sidecar_is_refused(made, tmp_path, edit, words):
    """Any edit breaks the seal; resealed (as a careless tool might), each damage is still
    caught by its own check."""
    from remission.reconstruct.provenance import seal

    _d, _fig, ipd, side = made
    doc = json.loads(side.read_text())
    edit(doc)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    if doc.get("version") == 1:
        _one_error(*_analyze(ipd, bad, tmp_path), "--provenance", "changed after `reconstruct`",
                   "seal")
        bad.write_text(json.dumps(seal(doc)))
    _one_error(*_analyze(ipd, bad, tmp_path), "--provenance", *words)


def test_an_edited_number_breaks_the_seal(made, tmp_path):
    _d, _fig, ipd, side = made
    doc = json.loads(side.read_text())
    doc["figure"]["x_axis"]["pixels_per_unit"] *= 2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, indent=4))  # the layout is free, the content is not
    _one_error(*_analyze(ipd, bad, tmp_path), "--provenance", "seal")
    doc["figure"]["x_axis"]["pixels_per_unit"] /= 2
    bad.write_text(json.dumps(doc, indent=4))
    from remission.report.build import reconstruction_provenance

    assert reconstruction_provenance(bad, ipd)["digitised"]["file_check"] == "matches"


def test_missing_sidecar_is_refused(made, tmp_path):
    _d, _fig, ipd, _side = made
    rc, out, err = _analyze(ipd, tmp_path / "nowhere.json", tmp_path)
    _one_error(rc, out, err, "--provenance")


@pytest.mark.parametrize("where,status,shown", [
    ("same", "matches", "is still there"),
    ("other", "changed", "CHANGED since it was digitised"),
    ("gone", "not found", "not at this path here"),
])
def test_the_section_says_whether_the_figure_file_is_still_the_one_read(made, tmp_path, where,
                                                                        status, shown):
    """The figure is not needed to build the report; where a file is at its recorded path,
    its SHA-256 is compared and a changed figure is flagged (a warning, not an error: the
    curves and overlay in the provenance are what was read)."""
    from remission.data import read_survival
    from remission.report.build import reconstruction_provenance
    from remission.report.context import Context, Options
    from remission.reconstruct.provenance import seal
    from remission.report.sections import origin

    _d, fig, ipd, side = made
    doc = json.loads(side.read_text())
    other = tmp_path / "other.png"
    other.write_bytes(fig.read_bytes() + b"\0")
    doc["figure"]["file"] = {"same": str(fig), "other": str(other),
                             "gone": str(tmp_path / "gone.png")}[where]
    p = tmp_path / "side.json"
    p.write_text(json.dumps(seal(doc)))  # as if the figure had been read from there
    ctx = Context(read_survival(str(ipd), group="arm"),
                  Options(provenance=reconstruction_provenance(p, ipd)))
    s = origin.build(ctx)
    assert s.data["file_check"] == status and shown in s.html
    assert ("<div class='warn'>" in s.html) == (status == "changed")
