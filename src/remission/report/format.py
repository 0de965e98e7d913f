"""Number formatting and safe text for the report.  HTML escaping (:func:`esc`) and the
time-axis ticks come from :mod:`remission.plots.style`, shared with the figures."""
from __future__ import annotations

import json
import math

import numpy as np

from ..plots.style import esc, nice_ticks, unit_ticks

__all__ = ["esc", "script_json", "clean", "num", "fixed", "pct", "pvalue", "ci", "nice_ticks",
           "unit_ticks"]


def script_json(obj) -> str:
    """JSON safe to embed inside ``<script>``: ``<``, ``>`` and ``&`` become ``\\u003c`` etc.
    so neither ``</script>`` nor ``<!--`` can occur, and the text stays valid JSON."""
    s = json.dumps(clean(obj), separators=(",", ":"), allow_nan=False)
    return (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def clean(obj):
    """JSON-ready: numpy -> Python, non-finite floats -> None."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [clean(v) for v in obj.tolist()]
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        v = float(obj)
        return v if math.isfinite(v) else None
    return obj


def num(v, digits: int = 3) -> str:
    """A number for display: NR/NA where missing."""
    if v is None:
        return "NA"
    try:
        v = float(v)
    except (TypeError, ValueError):
        return esc(v)
    if not math.isfinite(v):
        return "NA"
    if v != 0 and (abs(v) >= 1e5 or abs(v) < 1e-3):
        return f"{v:.{digits}g}"
    return f"{v:.{digits}g}" if abs(v) < 1 else f"{v:,.{max(0, digits - 2)}f}" if abs(v) < 100 else f"{v:,.0f}"


def fixed(v, nd: int = 1, missing: str = "NR") -> str:
    if v is None:
        return missing
    v = float(v)
    return f"{v:.{nd}f}" if math.isfinite(v) else missing


def pct(v, nd: int = 0, missing: str = "NA") -> str:
    if v is None:
        return missing
    v = float(v)
    return f"{100 * v:.{nd}f}%" if math.isfinite(v) else missing


def pvalue(p) -> str:
    if p is None:
        return "NA"
    p = float(p)
    if not math.isfinite(p):
        return "NA"
    return "&lt;0.001" if p < 0.001 else f"{p:.3f}"


def ci(est, lo, hi, f=fixed, **kw) -> str:
    """'est (lo to hi)' with NR where not reached."""
    return f"{f(est, **kw)} ({f(lo, **kw)} to {f(hi, **kw)})"
