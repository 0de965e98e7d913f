"""The provenance of patients reconstructed from a figure: the sidecar ``reconstruct --figure``
writes next to its output (``OUTPUT.provenance.json``) and ``analyze --provenance`` reads.

The sidecar is the ``reconstruct --format json`` document plus, under ``figure``, what a
reader needs to trust the digitising: the figure's SHA-256, the quality report of
:func:`remission.reconstruct.digitize.digitize` (pixels per unit, curves found, gaps
bridged), the digitised curves (the step functions' corners) and the overlay (the figure
with the curves drawn back on it: a PNG, base64, at most
:data:`~remission.reconstruct.digitize.overlay.REPORT_MAX_SIDE` pixels a side).
``data_sha256`` pins the patients file it describes and ``seal`` (a SHA-256 of everything
else in it) the sidecar itself; :func:`check` refuses a sidecar that was edited, or whose
patients file, curves or overlay changed (one ``error:`` line, exit 2).  The seal catches
accidental edits and mix-ups, not forgery: anyone can compute a new one.

>>> sidecar_path("ipd.csv")
'ipd.csv.provenance.json'
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os

import numpy as np

from ..errors import DataError

KIND = "remission reconstruction provenance"
VERSION = 1
SUFFIX = ".provenance.json"


def sidecar_path(output) -> str:
    """Where ``reconstruct --figure -o OUTPUT`` writes the provenance: ``OUTPUT`` +
    ``.provenance.json``."""
    return os.fspath(output) + SUFFIX


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _png_size(png: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def figure_provenance(res, figure_path) -> dict:
    """The ``figure`` block of the sidecar for the digitised figure ``res``
    (:class:`~remission.reconstruct.digitize.DigitizeResult`) read from ``figure_path``."""
    from .digitize.overlay import REPORT_MAX_SIDE, overlay_png

    fig = {"file": os.fspath(figure_path), **res.report, "sha256": sha256_file(figure_path),
           "digitised": {str(name): {"time": [float(v) for v in t],
                                     "survival": [float(v) for v in s]}
                         for name, (t, s) in res.curves.items()},
           "overlay": None}
    if res.pixels is not None:  # a picture (a vector PDF page has no pixels to draw over)
        png = overlay_png(res, REPORT_MAX_SIDE)
        w, h = _png_size(png)
        fig["overlay"] = {"format": "png", "width": w, "height": h,
                          "sha256": sha256_bytes(png),
                          "base64": base64.b64encode(png).decode("ascii")}
    return fig


def sidecar(doc: dict, figure: dict, data_text: str) -> dict:
    """The sidecar: ``doc`` (the ``reconstruct --format json`` document) with the full
    ``figure`` block and the SHA-256 of the patients file's text ``data_text``, sealed."""
    return seal({"kind": KIND, "version": VERSION, **doc, "figure": figure,
                 "data_sha256": sha256_bytes(data_text.encode("utf-8"))})


def _digest(doc: dict) -> str:
    body = {k: v for k, v in doc.items() if k != "seal"}
    return sha256_bytes(json.dumps(body, sort_keys=True, separators=(",", ":")).encode())


def seal(doc: dict) -> dict:
    """``doc`` with ``seal``: the SHA-256 of its canonical JSON (sorted keys), without it."""
    return {**doc, "seal": _digest(doc)}


def is_sidecar(doc) -> bool:
    return isinstance(doc, dict) and doc.get("kind") == KIND


def check(doc: dict, where: str, data_path=None) -> dict:
    """Check a sidecar read from ``where``; ``data_path``: the patients file analysed (None:
    not a file, e.g. a DataFrame). Returns the ``figure`` block with ``overlay_png`` (bytes or
    None) and ``file_check`` (whether the figure file, where it still is, has the recorded
    SHA-256). Raises :class:`DataError` (exit 2) when the sidecar does not hold."""
    def bad(why):
        return DataError(f"--provenance {where}: {why}; run `remission reconstruct --figure` "
                         "again to make a new one")

    if doc.get("version") != VERSION:
        raise bad(f"version {doc.get('version')!r} of the provenance format is not known "
                  f"(this remission reads version {VERSION})")
    if doc.get("seal") != _digest(doc):
        raise bad("it was changed after `reconstruct` wrote it (its seal, a SHA-256 of its "
                  "content, does not match)")
    fig = doc.get("figure")
    if not isinstance(fig, dict) or not isinstance(fig.get("digitised"), dict):
        raise bad("it has no digitised curves ('figure.digitised')")
    if data_path is not None and os.path.isfile(data_path):
        want, got = doc.get("data_sha256"), sha256_file(data_path)
        if want != got:
            raise bad(f"it describes a patients file with SHA-256 {str(want)[:12]}..., but "
                      f"{data_path} has {got[:12]}... (changed after `reconstruct`, or the "
                      "provenance of another file)")
    out = dict(fig)
    for ax in ("x_axis", "y_axis"):  # read as dicts (pixels per unit, source) by the report
        if not isinstance(out.get(ax), dict):
            out[ax] = {}
    try:
        out["digitised"] = {str(k): (np.asarray(v["time"], float),
                                     np.asarray(v["survival"], float))
                            for k, v in fig["digitised"].items()}
    except (TypeError, KeyError, ValueError):
        raise bad("its digitised curves are not lists of time and survival") from None
    if any(t.shape != s.shape or t.ndim != 1 or not (np.isfinite(t).all() and
                                                     np.isfinite(s).all())
           for t, s in out["digitised"].values()):
        raise bad("its digitised curves are not lists of time and survival")
    out["overlay_png"] = None
    ov = fig.get("overlay")
    if ov is not None:
        try:
            png = base64.b64decode(ov["base64"], validate=True)
            ok = sha256_bytes(png) == ov["sha256"] and png[:8] == b"\x89PNG\r\n\x1a\n"
        except (TypeError, KeyError, binascii.Error):
            ok = False
        if not ok:
            raise bad("its overlay image is damaged (its bytes do not match their SHA-256)")
        out["overlay_png"] = png
    src = fig.get("file")
    if isinstance(src, str) and src and os.path.isfile(src):  # a list or number: not found
        same = sha256_file(src) == fig.get("sha256")
        out["file_check"] = "matches" if same else "changed"
    else:
        out["file_check"] = "not found"
    return out


def digitised_result(fig: dict):
    """The digitised curves of a checked ``figure`` block as a
    :class:`~remission.reconstruct.digitize.DigitizeResult` (for its ``step`` function)."""
    from .digitize.result import DigitizeResult

    return DigitizeResult(dict(fig["digitised"]), {})
