"""Data origin: for patients reconstructed from a figure (``reconstruct --figure``, whose
provenance sidecar is given to ``analyze --provenance``), the figure with the digitised curves
drawn back onto it (the overlay, an inline PNG: the report stays one file), the digitising
quality report, and the Guyot round trip (the reconstructed patients' Kaplan-Meier curve over
the digitised curve, with the largest difference).  Left out for any other data."""
from __future__ import annotations

import re

import numpy as np

from .. import compute
from ..format import esc, fixed, unit_ticks
from . import Section

_CHECK = {"matches": "the figure file is still there, with this SHA-256",
          "changed": "the figure file at this path has CHANGED since it was digitised (its "
                     "SHA-256 differs): the curves below are of the figure as it was",
          "not found": "the figure file is not at this path here; its SHA-256 identifies it"}


def build(ctx):
    fig = (ctx.options.provenance or {}).get("digitised")
    if not fig:
        return None
    import base64

    body = [f"<p>These patients were reconstructed from the figure "
            f"<code>{esc(fig.get('file'))}</code>: its curves were digitised "
            "(<code>remission digitize</code>) and patients rebuilt from them by Guyot's "
            "algorithm (<code>remission reconstruct --figure</code>). They approximate the "
            "trial's patients; check below that the curves were read right.</p>"]
    check = (f"Figure SHA-256 <code>{esc(fig.get('sha256'))}</code>: "
             f"{esc(_CHECK.get(fig.get('file_check'), ''))}.")
    body.append(f"<div class='warn'>{check}</div>" if fig.get("file_check") == "changed"
                else f"<p class='small'>{check}</p>")
    png, ov = fig.get("overlay_png"), fig.get("overlay") or {}
    if png:
        body.append("<figure class='overlay'><img alt='the figure with the digitised curves "
                    f"drawn over it' width='{int(ov['width'])}' height='{int(ov['height'])}' "
                    "style='max-width:100%;height:auto;border:1px solid #ddd' "
                    f"src='data:image/png;base64,{base64.b64encode(png).decode('ascii')}'>"
                    "<figcaption class='small'>The original figure (faded) with the digitised "
                    "curves drawn back onto it in magenta, through the same axis calibration "
                    "that read them; the tick marks used to calibrate the axes are marked in "
                    "magenta on the edges. Where a magenta line leaves the figure's curve, the "
                    "digitising went wrong there.</figcaption></figure>")
    else:
        body.append("<p class='note'>No overlay: the figure was read from a PDF page's vector "
                    "paths (exact coordinates, no pixels to draw over).</p>")
    quality = _quality(fig)
    body.append("<h3>Digitising quality</h3>" + _kv(quality["summary"]))
    body.append(_curve_table(quality["curves"]))
    rt = compute.roundtrip(ctx) or []
    figures = {}
    done = [r for r in rt if r.get("cohort") is not None]
    body.append("<h3>Round trip: the reconstructed patients against the digitised curve</h3>")
    if done:
        figures["fig-roundtrip"] = _figure(ctx, fig, done)
        body.append("<div class='plot' id='fig-roundtrip' role='img' aria-label='Kaplan-Meier "
                    "curves of the reconstructed patients over the digitised curves'></div>")
        worst = max(done, key=lambda r: r["max_abs_difference"])
        u = f" {esc(ctx.unit)}" if ctx.unit else ""
        body.append(f"<p>Largest difference between the Kaplan-Meier curve of the "
                    f"reconstructed patients and the digitised curve: "
                    f"<b class='roundtrip'>{worst['max_abs_difference']:.4f}</b> (curve "
                    f"{esc(worst['curve'])}, at {fixed(worst['at'], 2)}{u}), the largest "
                    "vertical distance between the two step curves up to the digitised curve's "
                    "end.</p>")
        body.append("<table class='num'><thead><tr><th>Curve</th><th>Largest |difference|</th>"
                    f"<th>At{u}</th></tr></thead><tbody>" + "".join(
                        f"<tr><th>{esc(r['curve'])}</th><td>{r['max_abs_difference']:.4f}</td>"
                        f"<td>{fixed(r['at'], 2)}</td></tr>" for r in done)
                    + "</tbody></table>")
    missing = [r["curve"] for r in rt if r.get("cohort") is None]
    if missing:
        body.append("<p class='note'>Not compared here: curve(s) "
                    + ", ".join(f"<code>{esc(m)}</code>" for m in missing)
                    + " (analysed as one population: give <code>--group arm</code> to compare "
                    "each arm with its curve).</p>")
    data = {"figure": fig.get("file"), "sha256": fig.get("sha256"),
            "file_check": fig.get("file_check"), "quality": quality,
            "overlay": ({k: ov.get(k) for k in ("format", "width", "height", "sha256")}
                        if png else None),
            "roundtrip": rt,
            "max_abs_difference": max((r["max_abs_difference"] for r in done), default=None)}
    return Section("origin", "Data origin", "\n".join(body), data, figures)


def _quality(fig: dict) -> dict:
    ppu = {ax: (fig.get(f"{ax}_axis") or {}).get("pixels_per_unit") for ax in ("x", "y")}
    how = {ax: (fig.get(f"{ax}_axis") or {}).get("source") for ax in ("x", "y")}
    summary = {"read from": fig.get("source"), "image_px": fig.get("image_px"),
               "pixels_per_unit_x": ppu["x"], "pixels_per_unit_y": ppu["y"],
               "calibration_x": how["x"], "calibration_y": how["y"],
               "y_scale": fig.get("y_scale"), "curves_found": fig.get("curves_found"),
               "gaps_bridged": fig.get("gaps_bridged"), "legend_read": fig.get("legend_read"),
               "at_risk_rows": fig.get("at_risk_rows")}
    curves = [{k: c.get(k) for k in ("curve", "colour", "corners", "gaps_bridged",
                                     "line_width_px")}
              for c in fig.get("curves") or [] if isinstance(c, dict)]
    return {"summary": summary, "curves": curves}


_HOW = {"ocr": "OCR of its tick labels", "range": "the range given (--x-range/--y-range)",
        "pdf-text": "the PDF's tick-label text"}


def _kv(q: dict) -> str:
    img = q.get("image_px")
    how = {ax: esc(_HOW.get(q.get(f"calibration_{ax}"), q.get(f"calibration_{ax}") or "?"))
           for ax in ("x", "y")}
    rows = [("Read from", esc(q.get("read from") or "")),
            ("Image size", f"{int(img[0])} &times; {int(img[1])} pixels"
             if isinstance(img, list) and len(img) == 2 else ""),
            ("Pixels per unit of time", f"{fixed(q['pixels_per_unit_x'], 2)} (axis "
             f"calibrated by {how['x']})"),
            ("Pixels per unit of survival", f"{fixed(q['pixels_per_unit_y'], 1)} (axis "
             f"calibrated by {how['y']}; drawn as {esc(q.get('y_scale') or '?')})"),
            ("Curves found", esc(q.get("curves_found"))),
            ("Gaps bridged", esc(q.get("gaps_bridged"))),
            ("Legend read", "yes" if q.get("legend_read") else "no"),
            ("Numbers-at-risk rows read", esc(q.get("at_risk_rows") or 0))]
    return ("<table class='kv quality'>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>"
                                                    for k, v in rows if v) + "</table>")


def _curve_table(curves) -> str:
    if not curves:
        return ""
    rows = "".join(
        f"<tr><th>{esc(c['curve'])}</th><td><span style='color:{esc(c['colour'])}'>&#9632;"
        f"</span> {esc(c['colour'])}</td><td>{esc(c['corners'])}</td>"
        f"<td>{esc(c['gaps_bridged'])}</td><td>{fixed(c['line_width_px'], 1)}</td></tr>"
        for c in curves)
    return ("<table class='num'><thead><tr><th>Curve</th><th>Colour</th><th>Corners</th>"
            "<th>Gaps bridged</th><th>Line width (px)</th></tr></thead><tbody>" + rows
            + "</tbody></table>")


def _figure(ctx, fig, done) -> dict:
    from ...plots.interactive_digitised import roundtrip_figure

    by_label = {c.label: c for c in ctx.cohorts}
    pairs = [(r["curve"], compute.km(ctx, by_label[r["cohort"]].data, r["cohort"]),
              fig["digitised"][r["curve"]]) for r in done]
    tmax = max(float(np.max(t)) for _l, _k, (t, _s) in pairs)
    ticks = unit_ticks(tmax, ctx.unit)
    # each curve in its colour in the figure (a CSS colour: "#1f77b4", "black", "grey")
    seen = {c.get("curve"): c.get("colour") for c in fig.get("curves") or []
            if isinstance(c, dict)}
    colors = [seen.get(r["curve"]) for r in done]
    ok = all(isinstance(c, str) and re.fullmatch(r"#[0-9a-fA-F]{6}|[a-z]+", c) for c in colors)
    return roundtrip_figure(pairs, ctx.unit, max(ticks[-1], tmax) * 1.02, ticks,
                            colors if ok and len(set(colors)) == len(colors) else None)
