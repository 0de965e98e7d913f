"""Shared pieces of ``remission fit`` and ``remission compare``.

Data options and loading come from :mod:`remission.cli.common` (the project-wide
``data_options`` decorator and ``load_data_from_options``); a minimal local fallback keeps the
commands usable while that module is missing.
"""
from __future__ import annotations

import inspect
import json
import math

import click

try:  # the project-wide data options
    from .common import data_options, load_data_from_options  # type: ignore
except ImportError:  # pragma: no cover - fallback until cli/common.py exists
    data_options = None
    load_data_from_options = None


def _fallback_data_options(f):
    opts = [
        click.option("--time", "time_col", default=None, help="Follow-up time column."),
        click.option("--event", "event_col", default=None, help="Event indicator column."),
        click.option("--cnsr", "cnsr_col", default=None, help="ADaM censoring flag column."),
        click.option("--group", "group_col", default=None, help="Grouping column."),
        click.option("--param", "param", default=None, help="ADaM PARAMCD to keep."),
        click.option("--time-unit", "time_unit", default=None, help="Unit of the input times."),
        click.option("--output-unit", "output_unit", default=None, help="Unit for reporting."),
        click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                     show_default=True, help="Output format."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def _fallback_load(path, time_col=None, event_col=None, cnsr_col=None, group_col=None,
                   param=None, time_unit=None, output_unit=None, **_):
    import pandas as pd

    from ..data.survival_data import SurvivalData
    from ..errors import DataError

    try:
        sep = "\t" if str(path).endswith((".tsv", ".tab")) else ","
        df = pd.read_csv(path, sep=sep)
    except Exception as e:  # noqa: BLE001
        raise DataError(f"cannot read {path}: {e}") from None
    if param is not None and "PARAMCD" in df.columns:
        df = df[df["PARAMCD"] == param].reset_index(drop=True)
    tcol = time_col or ("AVAL" if "AVAL" in df.columns else "time")
    if tcol not in df.columns:
        raise DataError("time column not found", column=tcol)
    if cnsr_col is None and event_col is None and tcol == "AVAL" and "CNSR" in df.columns:
        cnsr_col = "CNSR"
    if event_col is None and cnsr_col is None:
        for c in ("event", "status", "death", "delta", "fustat"):
            if c in df.columns:
                event_col = c
                break
    if cnsr_col is not None:
        from ..data.survival_data import coerce_event

        ev, _ = coerce_event(df[cnsr_col].to_numpy(), cnsr_col, censor_flag=True)
    elif event_col is not None:
        if event_col not in df.columns:
            raise DataError("event column not found", column=event_col)
        ev = df[event_col].to_numpy()
    else:
        ev = None
    grp = df[group_col].to_numpy() if group_col else None
    d = SurvivalData.from_arrays(df[tcol].to_numpy(), ev, group=grp, covariates=df,
                                 time_unit=time_unit)
    return d.to_unit(output_unit) if output_unit else d


def with_data_options(f):
    return (data_options or _fallback_data_options)(f)


def load(path, opts: dict, covariate_columns=()):
    """SurvivalData with the covariate columns attached (aligned through ``rows``)."""
    loader = load_data_from_options or _fallback_load
    kwargs = dict(opts)
    try:
        params = inspect.signature(loader).parameters
        if "covariates" in params and covariate_columns:
            kwargs["covariates"] = list(covariate_columns)
    except (TypeError, ValueError):
        pass
    data = loader(path, **kwargs)
    cols = [c for c in covariate_columns if c]
    have = data.covariates
    if cols and (have is None or any(c not in have.columns for c in cols)):
        data = _attach_columns(path, data, opts, cols)
    return data


def _attach_columns(path, data, opts, cols):
    """Read the whole table again and attach ``cols`` by source row number."""
    from dataclasses import replace

    import numpy as np

    from ..errors import DataError

    try:
        from ..data import read_table  # type: ignore

        df = read_table(path)
    except ImportError:
        import pandas as pd

        df = pd.read_csv(path)
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DataError("covariate column not found in the data", column=missing[0])
    rows = np.asarray(data.rows if data.rows is not None else np.arange(1, data.n + 1)) - 1
    extra = df.iloc[rows][cols].reset_index(drop=True)
    if data.covariates is not None:
        base = data.covariates.reset_index(drop=True)
        extra = base.join(extra[[c for c in cols if c not in base.columns]])
    return replace(data, covariates=extra)


def split_list(value):
    if value is None:
        return []
    return [v.strip() for v in str(value).split(",") if v.strip()]


def parse_times(value):
    from ..errors import OptionError

    out = []
    for v in split_list(value):
        try:
            out.append(float(v))
        except ValueError:
            raise OptionError(f"--times: '{v}' is not a number") from None
    return out


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
