"""``remission digitize``: the Kaplan-Meier curves of a published figure, as step corners."""
from __future__ import annotations

import json

import click


class _Range(click.ParamType):
    name = "A,B"

    def convert(self, value, param, ctx):
        if value is None or isinstance(value, tuple):
            return value
        parts = str(value).split(",")
        try:
            lo, hi = (float(p) for p in parts)
        except ValueError:
            self.fail(f"{value!r}: give two numbers A,B", param, ctx)
        if lo != lo or hi != hi or abs(lo) == float("inf") or abs(hi) == float("inf"):
            self.fail(f"{value!r}: not finite numbers", param, ctx)
        if lo < 0 or hi <= lo or hi > 1e9:
            self.fail(f"{value!r}: give 0 <= A < B (at most 1e9)", param, ctx)
        return lo, hi


RANGE = _Range()


def figure_options(f):
    """--x-range, --y-range, --curves, --page, --panel (``digitize``)."""
    f = click.option("--panel", type=int,  # checked by digitize (limits.py)
                     help="Which plotting panel of a multi-panel figure to read (1, 2, ...: "
                          "left to right, then top to bottom); needed when there are several.")(f)
    f = click.option("--page", type=click.IntRange(1, 10_000),
                     help="Page of a PDF figure (default 1).")(f)
    f = click.option("--curves", "n_curves", type=int,  # checked by digitize (limits.py)
                     help="How many curves to keep (the strongest); default: all found.")(f)
    f = click.option("--y-range", type=RANGE,
                     help="Survival at the bottom and top ends of the y axis line "
                          "(fraction or percent), instead of reading the tick labels.")(f)
    f = click.option("--x-range", type=RANGE,
                     help="Time at the left and right ends of the x axis line, instead of "
                          "reading the tick labels.")(f)
    return f


def _text(res, output) -> str:
    r = res.report
    lines = [f"read {r['curves_found']} curve(s) from the {r['source']} of the figure; "
             f"y axis as {r['y_scale']}"
             + (f"; panel {r['panel']} of {r['panels']}" if r.get("panels") else "")
             + ("; curves named from the legend" if r.get("legend_read") else "")]
    for ax in ("x_axis", "y_axis"):
        a = r[ax]
        ticks = ", ".join(f"{v:g}" for _, v in a["ticks"])
        lines.append(f"  {ax[0]} axis: {a['pixels_per_unit']:g} pixels per unit, from "
                     f"{a['source']} ({ticks})")
    for c in r["curves"]:
        lines.append(f"  curve {c['curve']}: colour {c['colour']}, {c['corners']} corners, "
                     f"{c['gaps_bridged']} gap(s) bridged")
    for name, (ts, ns) in res.at_risk.items():
        lines.append(f"  numbers at risk, curve {name}: " +
                     ", ".join(f"{n} at {t:g}" for t, n in zip(ts, ns)))
    for w in r.get("at_risk_warnings", []):
        lines.append(f"  warning: {w}")
    lines.append(f"wrote {output} (curve,time,survival; check it against the figure)")
    return "\n".join(lines)


@click.command("digitize")
@click.argument("figure", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Where to write the curves (curve,time,survival).")
@click.option("--at-risk-out", "risk_out", type=click.Path(dir_okay=False),
              help="Also write the numbers-at-risk table printed under the axis "
                   "(time,n_risk,arm; read by OCR) to this file.")
@click.option("--overlay", "overlay_out", type=click.Path(dir_okay=False),
              help="Also draw the digitised curves over the figure (PNG), to check them.")
@figure_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Quality report on standard output as text or JSON.")
def digitize(figure, output, risk_out, overlay_out, x_range, y_range, n_curves, page, panel,
             fmt):
    """Read the Kaplan-Meier curves of a published figure (PNG, JPEG or a PDF page).

    Finds the axes, reads their tick labels (OCR by tesseract-ocr), separates the curves by
    colour (and, for curves of one colour, by continuity), and writes each curve's step
    corners, ready for `remission reconstruct --curve CURVES.csv --curve-id NAME`.
    """
    from ..errors import DataError
    from ..reconstruct.digitize import digitize as run
    from ..safe_io import check_outputs, write_text

    check_outputs({"-o": output, "--at-risk-out": risk_out, "--overlay": overlay_out},
                  {"FIGURE": figure})
    res = run(figure, x_range=x_range, y_range=y_range, curves=n_curves, page=page,
              panel=panel)
    if risk_out is not None and not res.at_risk:
        raise DataError("--at-risk-out: no numbers-at-risk table found under the x axis (one "
                        "row of whole numbers under the tick labels per curve; it is read only "
                        "when the tick labels are read by OCR, without --x-range)")
    if overlay_out is not None and res.pixels is None:
        raise DataError("--overlay: the figure was read from a PDF's vector paths (exact); "
                        "an overlay is drawn for pictures")
    res.write(output)
    if risk_out is not None:
        write_text(risk_out, res.risk_csv())
    if overlay_out is not None:
        from ..reconstruct.digitize.overlay import write_overlay

        write_overlay(res, overlay_out)
    if fmt == "json":
        click.echo(json.dumps({"output": str(output), **res.report}, indent=2))
    else:
        click.echo(_text(res, output))
