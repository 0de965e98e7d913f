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
    return json.dumps(clean(doc), indent=2)
