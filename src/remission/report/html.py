"""The HTML page: one file, no network at view time.

plotly.js is inlined once for all figures: the *basic* bundle (scatter, bar and pie traces,
with error bars, shapes, annotations, legends, hover and the mode bar; every figure of the
report is a scatter trace), vendored as ``assets/plotly-basic.min.js`` from the npm package
``plotly.js-basic-dist-min`` 4.1.1 (the plotly.js version of the ``plotly`` Python package the
report was written against; MIT licence, ``assets/plotly-basic.LICENSE``): 1.2 MB instead of
the full library's 4.8 MB.  The figures are compacted before they are written
(:func:`compact_figures`: coordinates to 4 significant digits, repeated points dropped); the
figures and the JSON results travel in ``<script type="application/json">`` blocks whose text
can never close the script (see :func:`remission.report.format.script_json`); every
user-supplied string is escaped where it is written (:func:`remission.report.format.esc`).
"""
from __future__ import annotations

import math
import os
from functools import lru_cache
from importlib import resources

from .format import clean, esc, script_json

#: plotly.js bundle inlined in the report (see the module docstring)
PLOTLY_ASSET = "plotly-basic.min.js"
#: significant digits kept in figure coordinates: 1 part in 10,000 of the axis value, finer
#: than a pixel on any screen (a 2,000-pixel-wide figure resolves 1 part in 2,000)
FIGURE_DIGITS = 4


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The minified plotly.js basic bundle vendored in ``report/assets``."""
    return asset(PLOTLY_ASSET)


def _round(v):
    if isinstance(v, float) and v != 0.0 and math.isfinite(v):
        return float(f"{v:.{FIGURE_DIGITS}g}")
    return v


def _compact(obj):
    if isinstance(obj, dict):
        return {k: _compact(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_compact(v) for v in obj]
    return _round(obj)


def _drop_repeats(trace: dict) -> dict:
    """Drop a point equal to the one before it (after rounding), when x and y are the only
    per-point arrays of the trace (hover text or marker arrays would lose their alignment)."""
    x, y = trace.get("x"), trace.get("y")
    if not isinstance(x, list) or not isinstance(y, list) or len(x) != len(y) or len(x) < 3:
        return trace
    n = len(x)
    for k, v in trace.items():
        if k not in ("x", "y") and (isinstance(v, list) and len(v) == n or isinstance(v, dict)
                                    and any(isinstance(u, list) and len(u) == n
                                            for u in v.values())):
            return trace
    keep = [0] + [i for i in range(1, n) if (x[i], y[i]) != (x[i - 1], y[i - 1])]
    if len(keep) == n:
        return trace
    return {**trace, "x": [x[i] for i in keep], "y": [y[i] for i in keep]}


def compact_figures(figures: dict) -> dict:
    """The figures as they are written: JSON-ready, every float rounded to
    :data:`FIGURE_DIGITS` significant digits and repeated points dropped.  The JSON results
    (``#remission-results``) keep full precision; only the drawing is compacted."""
    out = {}
    for fid, fig in clean(figures).items():
        fig = _compact(fig)
        if isinstance(fig, dict) and isinstance(fig.get("data"), list):
            fig = {**fig, "data": [_drop_repeats(t) if isinstance(t, dict) else t
                                   for t in fig["data"]]}
        out[fid] = fig
    return out


def asset(name: str) -> str:
    return resources.files("remission.report").joinpath("assets", name).read_text("utf-8")


def _safe_inline_script(js: str) -> str:
    # a literal "</script" inside inlined code would end the element early
    return js.replace("</script", "<\\/script")


def render(report) -> str:
    from .. import __version__

    ctx = report.context
    src = ctx.options.source or (ctx.data.meta or {}).get("source") or "data"
    title = f"remission report: {os.path.basename(str(src))}"
    figures = {}
    for s in report.sections:
        figures.update(s.figures)
    nav = "".join(f"<a href='#sec-{esc(s.id)}'>{esc(s.title)}</a>" for s in report.sections)
    parts = []
    for s in report.sections:
        parts.append(f"<section id='sec-{esc(s.id)}' class='sec sec-{esc(s.id)}'>"
                     f"<h2>{esc(s.title)}</h2>\n{s.html}\n</section>")
    results = report.to_dict()
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="remission {esc(__version__)}">
<title>{esc(title)}</title>
<style>{asset("report.css")}</style>
</head>
<body>
<header class="top">
<h1>How durable is this remission? <span class="file">{esc(os.path.basename(str(src)))}</span></h1>
<p class="meta">remission {esc(__version__)} &middot; {esc(report.generated)} &middot; analysis took {report.seconds:.1f} s &middot; seed {ctx.options.seed}</p>
<nav>{nav}</nav>
</header>
<main>
{''.join(parts)}
</main>
<footer><p>Made with remission {esc(__version__)}. Self-contained file: works offline.
The JSON results are embedded (element <code>#remission-results</code>).</p></footer>
<noscript><p class="warn">The interactive figures need JavaScript; the tables above do not.</p></noscript>
<script type="application/json" id="remission-figures">{script_json(compact_figures(figures))}</script>
<script type="application/json" id="remission-results">{script_json(results)}</script>
<script>{_safe_inline_script(plotly_js())}</script>
<script>{_safe_inline_script(asset("report.js"))}</script>
</body>
</html>
"""
