"""Shared pieces of ``remission fit``, ``compare``, ``cure-test`` and ``plan``.

Data options and loading come from :mod:`remission.cli.common` (the project-wide
``data_options`` decorator and ``load_data_from_options``).
"""
from __future__ import annotations

import json
import math

from .common import data_options, load_data_from_options


def with_data_options(f):
    return data_options(f)


def load(path, opts: dict, covariate_columns=()):
    """SurvivalData with the covariate columns attached (an error names a missing one)."""
    from .common import print_notes

    cols = [c for c in covariate_columns if c]
    data = load_data_from_options(path, **dict(opts), covariates=cols or None)
    if data.group is not None:  # models, tests and figures per group: a bounded number
        from ..errors import OptionError
        from ..limits import MAX_MODEL_GROUPS, WHERE

        n = len(data.group_levels())
        if n > MAX_MODEL_GROUPS:
            raise OptionError(f"--group {opts.get('group_col')}: {n} groups, at most "
                              f"{MAX_MODEL_GROUPS} {WHERE}")
    print_notes(data, opts.get("fmt") or "text")  # e.g. an implausible time unit, on stderr
    return data


def split_list(value):
    if value is None:
        return []
    return [v.strip() for v in str(value).split(",") if v.strip()]


def parse_floats(value, option: str, minimum: float | None = None,
                 maximum: float | None = None) -> list[float]:
    """A comma-separated list of finite numbers up to ``maximum`` (default: the largest time,
    limits.MAX_TIME); an OptionError names ``option`` and the bad item."""
    from ..errors import OptionError
    from ..limits import MAX_TIME, WHERE

    top = MAX_TIME if maximum is None else maximum
    out = []
    for v in split_list(value):
        try:
            x = float(v)
        except ValueError:
            raise OptionError(f"{option}: '{v}' is not a number") from None
        if not math.isfinite(x):
            raise OptionError(f"{option}: '{v}' is not a finite number")
        if minimum is not None and not x >= minimum:
            raise OptionError(f"{option}: '{v}' must be >= {minimum:g}")
        if x > top:
            raise OptionError(f"{option}: '{v}' is above {top:g} {WHERE}")
        out.append(x)
    return out


def parse_times(value):
    return parse_floats(value, "--times", minimum=0)


def clean(obj):
    """JSON-ready: non-finite floats -> None, numpy scalars -> Python."""
    if isinstance(obj, dict):
        return {k: clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        try:
            obj = obj.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def dump(doc) -> str:
    """``json.dumps(clean(doc), indent=2)``, byte for byte, fast for long curves."""
    try:  # already JSON-ready (the usual case): skip the walk of clean() over every value
        return _indented(doc)
    except (TypeError, ValueError):  # NumPy values or non-finite floats: clean() them
        return _indented(clean(doc))


def _indented(doc) -> str:
    """``json.dumps(doc, indent=2, allow_nan=False)`` with every long list of plain numbers
    encoded by json's C encoder and laid out as the indenting (pure Python) encoder would:
    a 1e6-row Kaplan-Meier curve prints in a fraction of the time, in the same bytes."""
    import re
    import uuid

    token = f"@@{uuid.uuid4().hex}-"
    flat = []

    def swap(o):
        if isinstance(o, dict):
            return {k: swap(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            if len(o) >= 32:
                s = json.dumps(o, allow_nan=False)
                if '"' not in s and "[" not in s[1:] and "{" not in s:  # numbers only
                    flat.append(s[1:-1].split(", "))
                    return f"{token}{len(flat) - 1}"
            return [swap(v) for v in o]
        return o

    text = json.dumps(swap(doc), indent=2, allow_nan=False)

    def put(m):
        line = text.rfind("\n", 0, m.start()) + 1
        pad = " " * (len(text[line:m.start()]) - len(text[line:m.start()].lstrip(" ")))
        sep = ",\n" + pad + "  "
        return "[\n" + pad + "  " + sep.join(flat[int(m.group(1))]) + "\n" + pad + "]"

    return re.sub('"' + re.escape(token) + r'(\d+)"', put, text)
