"""Number formatting and safe text for the report (HTML escaping lives here too)."""
from __future__ import annotations

import html as _html
import json
import math

import numpy as np


def esc(s) -> str:
    """Escape any user-supplied text (file, column and group names) for HTML."""
    return _html.escape("" if s is None else str(s), quote=True)


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


def nice_ticks(tmax: float, n: int = 6) -> list[float]:
    """Round, evenly spaced tick times from 0 to at least ``tmax``."""
    tmax = float(tmax)
    if tmax <= 0:
        return [0.0]
    raw = tmax / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 3, 5, 6, 10) if m * mag >= raw)
    k = int(math.floor(tmax / step + 1e-9))
    return [round(i * step, 10) for i in range(k + 1)]


def unit_ticks(tmax: float, unit: str | None, n: int = 6) -> list[float]:
    """Ticks at whole years/months where the unit allows (months: multiples of 6 or 12)."""
    if unit == "months" and tmax >= 12:
        for step in (6, 12, 24, 60):
            if tmax / step <= n + 2:
                return [float(i * step) for i in range(int(tmax // step) + 1)]
    return nice_ticks(tmax, n)
