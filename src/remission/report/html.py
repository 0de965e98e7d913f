"""The HTML page: one file, no network at view time.

plotly.js (from the installed ``plotly`` package) is inlined once; the figures and the JSON
results travel in ``<script type="application/json">`` blocks whose text can never close the
script (see :func:`remission.report.format.script_json`); every user-supplied string is
escaped where it is written (:func:`remission.report.format.esc`).
"""
from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources

from .format import esc, script_json


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The minified plotly.js shipped inside the plotly Python package."""
    import importlib.util

    spec = importlib.util.find_spec("plotly")  # locate the package without importing it
    if spec is None or spec.origin is None:
        from ..errors import RemissionError

        raise RemissionError("the plotly package is needed to write the HTML report")
    path = os.path.join(os.path.dirname(spec.origin), "package_data", "plotly.min.js")
    with open(path, encoding="utf-8") as f:
        return f.read()


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
<script type="application/json" id="remission-figures">{script_json(figures)}</script>
<script type="application/json" id="remission-results">{script_json(results)}</script>
<script>{_safe_inline_script(plotly_js())}</script>
<script>{_safe_inline_script(asset("report.js"))}</script>
</body>
</html>
"""
