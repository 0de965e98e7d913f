"""Hostile input for the options added with issues 17 and 18 (``fit --competing`` and its
``--nrm-from/--nrm-cause/--smr/--horizon``, ``--cause``/``--causes`` of cure-test, plan and
analyze, ``digitize/reconstruct --panel``, ``reconstruct --figure`` and its provenance sidecar,
``analyze --provenance`` of a sidecar, ``compare --group --lifetable``): the contract of
:mod:`tests.cli.test_hostile` (exit 2, exactly one ``error:`` line naming the option or
column, no traceback, no warning, nothing in the folder changed or created)."""
from __future__ import annotations

import copy
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from remission.reconstruct import provenance as pv
from remission.report.build import reconstruction_provenance

from .test_hostile import assert_one_error_line

FIGURE = Path(__file__).resolve().parents[1] / "fixtures" / "digitize" / "rbase_colour.png"


def _cr_rows(n=80, seed=3):
    rng = np.random.default_rng(seed)
    t = np.round(rng.exponential(300, n), 1) + 1
    c = rng.choice(["0", "relapse", "nrm"], n, p=[0.3, 0.4, 0.3])
    return t, c


def _sidecar(data_text: str, **change) -> dict:
    """A small sealed sidecar of the patients file ``data_text`` (as `reconstruct --figure`
    writes; no digitising needed), with top-level keys or ``figure`` keys changed."""
    fig = {"file": "figure.png", "sha256": "0" * 64, "x_axis": {"pixels_per_unit": 2.0},
           "y_axis": {"pixels_per_unit": 300.0}, "curves_found": 1,
           "digitised": {"A": {"time": [0.0, 5.0, 10.0], "survival": [1.0, 0.7, 0.5]}},
           "overlay": None}
    doc = {"kind": pv.KIND, "version": pv.VERSION, "output": "ipd.csv", "rows": 3, "n": 3,
           "events": 2, "approximate": True,
           "arms": [{"arm": "A", "n": 3, "events": 2, "method": "guyot", "quality": {}}],
           "figure": fig, "data_sha256": hashlib.sha256(data_text.encode()).hexdigest()}
    for k, v in change.items():
        if k.startswith("figure_"):
            fig[k[len("figure_"):]] = v
        elif v is None:
            doc.pop(k, None)
        else:
            doc[k] = v
    return pv.seal(doc)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile_new")
    w = (lambda name, text: (d / name).write_text(text, encoding="utf-8"))
    t, c = _cr_rows()
    w("cr.csv", "time,etype,arm,age\n" + "".join(
        f"{a},{b},{'AB'[i % 2]},{50 + i % 20}\n" for i, (a, b) in enumerate(zip(t, c))))
    lab = {"0": "CENSORED", "relapse": "PROGRESSION", "nrm": "DEATH"}
    w("adtte.csv", "AVAL,EVNTDESC\n" + "".join(f"{a},{lab[b]}\n" for a, b in zip(t, c)))
    ipd = "time,event,arm\n" + "".join(f"{a},{int(b != '0')},{'AB'[i % 2]}\n"
                                        for i, (a, b) in enumerate(zip(t, c)))
    w("ipd.csv", ipd)
    w("ipd.csv.provenance.json", "this is not JSON\n")  # a damaged sidecar
    w("noarms.json", json.dumps(_sidecar(ipd, arms=None)))
    w("other.json", json.dumps(_sidecar("another patients file")))
    w("v99.json", json.dumps(pv.seal({**_sidecar(ipd), "version": 99})))
    w("text.png", "a text file, not a picture\n")
    w("text.pdf", "a text file, not a PDF\n")
    w("r.csv.provenance.json", "time,n_risk\n0,100\n12,60\n")  # an input named like a sidecar
    shutil.copyfile(FIGURE, d / "fig.png")
    return d


LT = "--time-unit days --lifetable us --age 50 --sex male --year 2000"
CR = f"fit {{d}}/cr.csv --event-type etype --competing --cause relapse {LT}"
ADTTE = "fit {d}/adtte.csv --time AVAL --event-type EVNTDESC --competing --causes"
CMP = "compare {d}/ipd.csv --group arm --dists exponential --cure none --horizon 3650"

# (id, arguments with {d} for the folder, words the error line must contain)
CASES = [
    # fit --competing: general-population mortality from --nrm-from on, at SMR x its hazard
    *[(f"competing-nrm-from-{v}", f"{CR} --nrm-from {v}", ["--nrm-from"])
      for v in ("nan", "inf", "-1", "1e308", "abc")],
    *[(f"competing-smr-{v}", f"{CR} --smr {v}", ["--smr"]) for v in ("nan", "-1", "0", "1e308")],
    *[(f"competing-horizon-{v}", f"{CR} --horizon {v}", ["--horizon"])
      for v in ("nan", "-1", "0", "1e308", "abc")],
    ("competing-times-nan", f"{CR} --times 12,nan", ["--times"]),
    ("competing-nrm-cause-unknown", f"{CR} --nrm-cause cancer", ["--nrm-cause cancer"]),
    ("competing-nrm-cause-is-cause", f"{CR} --nrm-cause relapse", ["--nrm-cause relapse"]),
    ("competing-nrm-from-no-lifetable",
     "fit {d}/cr.csv --event-type etype --competing --nrm-from 5", ["--nrm-from", "--lifetable"]),
    ("nrm-from-without-competing", "fit {d}/cr.csv --event-type etype --nrm-from 5",
     ["--nrm-from", "--competing"]),
    ("competing-no-event-type", "fit {d}/cr.csv --competing", ["--competing", "--event-type"]),
    ("competing-cause-unknown", "fit {d}/cr.csv --event-type etype --competing --cause cancer",
     ["--cause cancer", "etype"]),
    ("competing-dist-cause-unknown",
     "fit {d}/cr.csv --event-type etype --competing --dist weibull,cancer=gompertz",
     ["--dist", "'cancer'"]),
    ("competing-dist-family-unknown",
     "fit {d}/cr.csv --event-type etype --competing --dist weibull,nrm=nosuch", ["'nosuch'"]),
    ("competing-dist-empty", "fit {d}/cr.csv --event-type etype --competing --dist ,",
     ["--dist"]),
    # --causes: labels of the event-type column mapped to cause names
    ("causes-label-missing", f"{ADTTE} relapse=PROGRESSION,nrm=DEATH",
     ["EVNTDESC", "--causes", "'CENSORED'"]),
    ("causes-label-twice", f"{ADTTE} relapse=DEATH,nrm=DEATH,0=CENSORED",
     ["--causes", "two causes"]),
    ("causes-empty-name", f"{ADTTE} =DEATH", ["--causes"]),
    ("causes-not-pairs", f"{ADTTE} relapse", ["--causes", "NAME=LABEL"]),
    ("causes-empty", f"{ADTTE} ,", ["--causes"]),
    # --cause of the other commands
    ("cure-test-cause-unknown", "cure-test {d}/cr.csv --event-type etype --cause cancer",
     ["--cause cancer"]),
    ("cure-test-cause-no-event-type", "cure-test {d}/cr.csv --cause relapse",
     ["--cause", "--event-type"]),
    ("plan-cause-unknown", "plan {d}/cr.csv --event-type etype --cause cancer",
     ["--cause cancer"]),
    ("analyze-cause-unknown", "analyze {d}/cr.csv --event-type etype --cause cancer -o {d}/r.html",
     ["--cause cancer"]),
    ("plot-cif-cause-unknown",
     "plot cif {d}/cr.csv --event-type etype --cause cancer -o {d}/c.png", ["--cause cancer"]),
    ("plot-cif-no-event-type", "plot cif {d}/cr.csv -o {d}/c.png", ["plot cif", "--event-type"]),
    ("plot-cif-o-is-input", "plot cif {d}/cr.csv --event-type etype -o {d}/cr.csv", ["-o"]),
    # --panel of digitize and reconstruct --figure
    *[(f"digitize-panel-{v}", f"digitize {{d}}/fig.png --panel {v} -o {{d}}/c.csv", ["--panel"])
      for v in ("0", "-1", "1e9", "1000000000", "abc", "5")],
    *[(f"reconstruct-panel-{v}", f"reconstruct --figure {{d}}/fig.png --panel {v} -o {{d}}/i.csv",
       ["--panel"]) for v in ("0", "1e9", "abc")],
    ("reconstruct-panel-without-figure",
     "reconstruct --curve {d}/ipd.csv --n 100 --panel 2 -o {d}/i.csv", ["--panel", "--figure"]),
    # a figure that is a text file
    ("digitize-text-png", "digitize {d}/text.png -o {d}/c.csv", ["figure", "text.png"]),
    ("digitize-text-pdf", "digitize {d}/text.pdf -o {d}/c.csv", ["figure", "text.pdf"]),
    ("reconstruct-figure-text", "reconstruct --figure {d}/text.png -o {d}/i.csv",
     ["figure", "text.png"]),
    # every new writer refuses to overwrite an input (the sidecar included) or another output
    ("digitize-o-is-figure", "digitize {d}/fig.png -o {d}/fig.png", ["-o", "input"]),
    ("digitize-overlay-is-figure", "digitize {d}/fig.png -o {d}/c.csv --overlay {d}/fig.png",
     ["--overlay", "input"]),
    ("digitize-at-risk-out-is-figure",
     "digitize {d}/fig.png -o {d}/c.csv --at-risk-out {d}/fig.png", ["--at-risk-out", "input"]),
    ("digitize-overlay-is-o", "digitize {d}/fig.png -o {d}/c.csv --overlay {d}/c.csv",
     ["--overlay", "-o"]),
    ("reconstruct-o-is-figure", "reconstruct --figure {d}/fig.png -o {d}/fig.png",
     ["-o", "--figure"]),
    ("reconstruct-sidecar-is-at-risk",
     "reconstruct --figure {d}/fig.png --at-risk {d}/r.csv.provenance.json -o {d}/r.csv",
     ["-o (its provenance)", "--at-risk"]),
    ("analyze-o-is-provenance",
     "analyze {d}/ipd.csv -o {d}/noarms.json --provenance {d}/noarms.json", ["-o", "--provenance"]),
    ("analyze-json-is-provenance",
     "analyze {d}/ipd.csv -o {d}/r.html --json {d}/noarms.json --provenance {d}/noarms.json",
     ["--json", "--provenance"]),
    # analyze --provenance of a sidecar that does not hold
    ("analyze-sidecar-not-json",
     "analyze {d}/ipd.csv -o {d}/r.html --provenance {d}/ipd.csv.provenance.json",
     ["--provenance", "JSON"]),
    ("analyze-sidecar-missing",
     "analyze {d}/ipd.csv -o {d}/r.html --provenance {d}/gone.provenance.json", ["--provenance"]),
    ("analyze-sidecar-without-arms",
     "analyze {d}/ipd.csv -o {d}/r.html --provenance {d}/noarms.json", ["--provenance", "arms"]),
    ("analyze-sidecar-of-another-file",
     "analyze {d}/ipd.csv -o {d}/r.html --provenance {d}/other.json",
     ["--provenance", "SHA-256"]),
    ("analyze-sidecar-version", "analyze {d}/ipd.csv -o {d}/r.html --provenance {d}/v99.json",
     ["--provenance", "version 99"]),
    ("analyze-provenance-is-figure", "analyze {d}/ipd.csv -o {d}/r.html --provenance {d}/fig.png",
     ["--provenance", "JSON"]),
    # compare --group --lifetable (life-years per arm)
    ("compare-group-lifetable-smr-nan", f"{CMP} {LT} --smr nan", ["--smr"]),
    ("compare-group-lifetable-discount-nan", f"{CMP} {LT} --discount nan", ["--discount"]),
    ("compare-group-lifetable-age-column",
     f"{CMP} --time-unit days --lifetable us --age nosuch --sex male --year 2000", ["'nosuch'"]),
    ("compare-group-lifetable-no-unit", f"{CMP} --lifetable us --age 50 --sex male --year 2000",
     ["--lifetable", "--time-unit"]),
    ("compare-group-lifetable-no-horizon",
     "compare {d}/ipd.csv --group arm --lifetable us --age 50 --sex male --year 2000 "
     "--time-unit days", ["--lifetable", "--horizon"]),
    ("compare-group-lifetable-text-file",
     f"{CMP} --time-unit days --lifetable {{d}}/text.png --age 50 --sex male --year 2000",
     ["life table"]),
]


@pytest.mark.parametrize("args,words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_new_option_is_one_error_line_and_touches_nothing(files, args, words):
    assert_one_error_line(files, args, words)


@pytest.mark.parametrize("change", [
    {"figure_x_axis": "abc"},            # an axis that is not an object (was AttributeError)
    {"figure_file": ["figure.png"]},     # a figure path that is not a string (was TypeError)
    {"figure_file": "/no/such/dir/figure.png"},  # the figure file is gone
])
def test_a_sealed_sidecar_with_odd_figure_fields_is_read_not_a_traceback(files, change):
    ipd = (files / "ipd.csv").read_text(encoding="utf-8")
    path = files.parent / f"odd_{len(str(change))}_{abs(hash(str(change)))}.json"
    path.write_text(json.dumps(_sidecar(ipd, **copy.deepcopy(change))), encoding="utf-8")
    prov = reconstruction_provenance(path, str(files / "ipd.csv"))
    assert prov["digitised"]["file_check"] == "not found"  # no figure file at that path
    ppu = prov["figure"]["pixels_per_unit"]
    assert ppu["y"] == 300.0 and ppu["x"] == (None if "figure_x_axis" in change else 2.0)
    assert prov["digitised"]["x_axis"] == ({} if "figure_x_axis" in change
                                           else {"pixels_per_unit": 2.0})
