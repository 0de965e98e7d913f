"""A small table value that renders as text, HTML or JSON (returned by every ``summary()``).

Standard library only, at the bottom of the package like :mod:`remission.errors`: the
nonparametric summaries and the models both render with it.
"""
from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field


def _fmt(v, digits: int = 4) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int,)):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "NA"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return f"{v:.{digits}g}" if abs(v) < 1e-3 or abs(v) >= 1e6 else f"{v:.{digits}f}".rstrip("0").rstrip(".") if "." in f"{v:.{digits}f}" else f"{v:.{digits}f}"
    return str(v)


def json_number(v, *, keep_int: bool = False):
    """One number for a JSON document: ``None`` for None, NaN and infinities, else a float
    (an int when ``keep_int`` and the value is a whole number JSON can hold exactly).  The one
    converter every document builder uses."""
    if v is None:
        return None
    v = float(v)
    if not math.isfinite(v):
        return None
    if keep_int and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


def _clean(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if hasattr(v, "item"):
        return _clean(v.item())
    return v


@dataclass(frozen=True)
class SummaryTable:
    """Title, column names, rows (lists of values) and footer lines.

    ``str(table)`` / :meth:`to_text` give aligned plain text, :meth:`to_html` an HTML table,
    :meth:`to_dict` / :meth:`to_json` a JSON-ready document (non-finite numbers -> null).
    """

    title: str
    columns: tuple
    rows: tuple
    footer: tuple = field(default=())
    info: dict = field(default_factory=dict)

    def to_text(self) -> str:
        cells = [[str(c) for c in self.columns]] + [[_fmt(v) for v in r] for r in self.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.columns))]
        lines = [self.title] if self.title else []
        for j, r in enumerate(cells):
            lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                   for i, (c, w) in enumerate(zip(r, widths))))
            if j == 0:
                lines.append("  ".join("-" * w for w in widths))
        lines.extend(self.footer)
        return "\n".join(lines)

    __str__ = to_text

    def to_html(self) -> str:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in r) + "</tr>"
                       for r in self.rows)
        cap = f"<caption>{html.escape(self.title)}</caption>" if self.title else ""
        foot = "".join(f"<p>{html.escape(f)}</p>" for f in self.footer)
        return (f'<table class="remission-summary">{cap}<thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>{foot}")

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_dict(self) -> dict:
        return {"title": self.title,
                "rows": [{str(c): _clean(v) for c, v in zip(self.columns, r)} for r in self.rows],
                "footer": list(self.footer), **{k: _clean(v) for k, v in self.info.items()}}

    def to_json(self, **kw) -> str:
        return json.dumps(self.to_dict(), **kw)
