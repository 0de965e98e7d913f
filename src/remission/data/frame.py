"""From a table (pandas DataFrame or a file) to validated :class:`SurvivalData`.

Column defaults follow the CLI contract (SPEC.md, "Data options"):

* time: ``AVAL`` if present (CDISC ADaM ADTTE), else ``time``; where neither exists,
  ``futime`` (R's convention for follow-up time, e.g. ``survival::myeloma``, ``ovarian``).
* censoring: ``CNSR`` (1 = censored) when the time column is ``AVAL`` and no event column is
  given.
* event: the first of ``event``, ``status``, ``death``, ``dead``, ``delta``, ``fustat``
  present; coded 0/1, booleans, or R's 1/2 (2 = event).
* ``param`` keeps rows with ``PARAMCD == param``; an ADaM table holding several PARAMCD
  values must be given one (analysing OS and PFS rows together would be silently wrong).

Explicit column names are matched exactly, then case-insensitively when that is unambiguous.
Rows: ``SurvivalData.rows`` holds, for every kept observation, its data-row number in the
source table (1 = the first row after the header), counted before any filtering, so every
error message and every note points at a row you can find in the file.

Missing values: a missing time, event, censoring flag, entry or weight is an error naming
the column and row.  A missing group value is kept in the data (``group`` is None there) but
such rows are left out of group comparisons; ``meta["notes"]`` says how many.  Data with no
events raise :class:`DataError` ("no events", naming the event column), because every
summary, test and model of this package needs at least one event; pass
``allow_no_events=True`` to build the value anyway.
"""
from __future__ import annotations

from ..errors import DataError, OptionError
from .survival_data import SurvivalData, coerce_event
from .units import normalize_unit

TIME_DEFAULTS = ("AVAL", "time", "futime")
EVENT_DEFAULTS = ("event", "status", "death", "dead", "delta", "fustat")


def _columns_list(df) -> str:
    cols = [str(c) for c in df.columns]
    shown = ", ".join(cols[:30])
    return shown + (f", ... ({len(cols)} columns)" if len(cols) > 30 else "")


def _resolve(df, name: str, what: str, option: str | None = None) -> str:
    """The column called ``name`` (exact, else unique case-insensitive match)."""
    if name in df.columns:
        return name
    low = [c for c in df.columns if str(c).lower() == str(name).lower()]
    if len(low) == 1:
        return low[0]
    hint = f" (set it with {option})" if option else ""
    raise DataError(f"{what} column '{name}' not found{hint}; available columns: "
                    f"{_columns_list(df)}", column=name)


def _first_present(df, candidates) -> str | None:
    lower = {str(c).lower(): c for c in df.columns}
    for c in candidates:
        if c in df.columns:
            return c
    for c in candidates:
        if c.lower() in lower:
            return lower[c.lower()]
    return None


def _numeric(df, col: str, rows, what: str):
    """Column as float; a non-numeric entry is an error naming the column and row."""
    import numpy as np
    import pandas as pd

    s = df[col]
    if s.dtype.kind in "biuf":
        return s.to_numpy(dtype=float)
    if s.dtype.kind == "m":  # converted by from_dataframe, which knows the unit
        raise DataError(f"{what} column holds durations (timedelta)", column=col)
    if s.dtype.kind == "M":
        raise DataError(f"{what} column holds dates, not numbers: compute the time from "
                        "origin first", column=col)
    num = pd.to_numeric(s, errors="coerce")
    bad = np.flatnonzero(num.isna().to_numpy() & s.notna().to_numpy())
    if bad.size:
        v = s.iloc[bad[0]]
        raise DataError(f"{what} value {v!r} is not a number", column=col, row=int(rows[bad[0]]))
    return num.to_numpy(dtype=float)


#: follow-up longer than this (in years) is flagged: most likely days read as months, or
#: months read as years
MAX_PLAUSIBLE_YEARS = 100.0


def _implausible_followup(t, time_unit) -> str | None:
    """A note when the longest time, in the given unit, is more than a human lifetime."""
    import numpy as np

    from .units import DAYS_PER_UNIT, normalize_unit

    unit = normalize_unit(time_unit)
    finite = t[np.isfinite(t)] if len(t) else t
    if unit is None or not len(finite):
        return None
    years = float(np.max(finite)) * DAYS_PER_UNIT[unit] / 365.25
    if years <= MAX_PLAUSIBLE_YEARS:
        return None
    return (f"the longest time is {years:,.0f} years in {unit} (--time-unit {unit}): "
            "implausible for follow-up; is the time unit right?")


def from_dataframe(df, *, time=None, event=None, cnsr=None, group=None, param=None, entry=None,
                   weights=None, covariates=None, time_unit=None, output_unit=None,
                   source=None, allow_no_events=False, event_type=None,
                   causes=None) -> SurvivalData:
    """Validated :class:`SurvivalData` from a pandas DataFrame (see the module docstring for
    the column defaults).

    ``covariates`` is a list of column names attached as ``data.covariates`` (aligned with
    the kept rows).  ``time_unit`` names the unit of the times; ``output_unit`` converts them.
    ``source`` (e.g. the file name) is kept in ``meta["source"]``.
    ``event_type`` (competing risks) names a column with 0 = censored and other codes or
    labels = causes, instead of ``event``; ``causes`` maps its labels to cause names
    (:mod:`remission.data.competing_codes`).  ``event`` is then "any cause".

    >>> import pandas as pd
    >>> d = from_dataframe(pd.DataFrame({"AVAL": [3.0, 5.0, 2.0], "CNSR": [0, 1, 0],
    ...                                  "PARAMCD": ["OS", "OS", "OS"]}))
    >>> d.n, d.n_events, d.meta["time_column"], d.meta["event_column"]
    (3, 2, 'AVAL', 'CNSR')
    """
    import numpy as np
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise DataError("expected a pandas DataFrame")
    df = df.reset_index(drop=True)
    rows = np.arange(1, len(df) + 1)
    notes: list[str] = []
    src = f" in {source}" if source else ""
    if len(df) == 0:
        raise DataError(f"no data rows{src}")

    # ADaM parameter selection
    pcol = _first_present(df, ("PARAMCD",))
    if param is not None:
        if pcol is None:
            raise DataError(f"--param {param} needs a PARAMCD column; available columns: "
                            f"{_columns_list(df)}", column="PARAMCD")
        codes = df[pcol].astype(str).str.strip()
        keep = (codes == str(param)).to_numpy()
        if not keep.any():
            avail = ", ".join(sorted(codes.dropna().unique().tolist()))
            raise DataError(f"no rows with PARAMCD == '{param}' (available codes: {avail})",
                            column="PARAMCD")
        df, rows = df[keep].reset_index(drop=True), rows[keep]
    elif pcol is not None:
        codes = df[pcol].dropna().astype(str).str.strip().unique().tolist()
        if len(codes) > 1:
            raise DataError(f"the table holds several parameters ({', '.join(sorted(codes))}): "
                            "choose one with --param", column="PARAMCD")

    # time
    if time is None:
        tcol = _first_present(df, TIME_DEFAULTS)
        if tcol is None:
            raise DataError("no time column: none of AVAL, time, futime found (set it with "
                            f"--time); available columns: {_columns_list(df)}", column="time")
    else:
        tcol = _resolve(df, time, "time", "--time")

    # event / censoring flag
    if event is not None and cnsr is not None:
        raise OptionError("give either --event or --cnsr, not both")
    if event_type is not None and event is not None:
        raise OptionError("give either --event or --event-type, not both (--event-type "
                          "holds 0 = censored and a code per cause)")
    if causes is not None and event_type is None:
        raise OptionError("--causes needs --event-type (the column holding the causes)")
    ecol, flag = None, False
    if cnsr is not None:
        ecol, flag = _resolve(df, cnsr, "censoring flag", "--cnsr"), True
    elif event is not None:
        ecol = _resolve(df, event, "event", "--event")
    else:
        if str(tcol).upper() == "AVAL" and _first_present(df, ("CNSR",)) is not None:
            ecol, flag = _first_present(df, ("CNSR",)), True
        elif event_type is None:
            ecol = _first_present(df, EVENT_DEFAULTS)
        if ecol is None and event_type is None:
            raise DataError("no event column: none of CNSR (with AVAL), "
                            f"{', '.join(EVENT_DEFAULTS)} found (set it with --event or "
                            f"--cnsr); available columns: {_columns_list(df)}", column="event")

    if df[tcol].dtype.kind == "m":  # durations (Parquet, pandas): converted, the unit said
        from .units import DAYS_PER_UNIT

        time_unit = normalize_unit(time_unit) or "days"
        t = (df[tcol] / pd.Timedelta(days=DAYS_PER_UNIT[time_unit])).to_numpy(
            dtype=float)
        notes.append(f"time column '{tcol}' holds durations: converted to {time_unit}")
    else:
        t = _numeric(df, tcol, rows, "time")
    cz = None
    if event_type is not None:  # competing risks: a cause per row; a CNSR flag if any
        from .competing_codes import read_causes

        xcol = _resolve(df, event_type, "event type", "--event-type")
        cens = None
        if flag:
            cens = ~coerce_event(df[ecol].to_numpy(), str(ecol), rows, censor_flag=True)[0]
        cz, order = read_causes(df[xcol].to_numpy(), str(xcol), rows, causes=causes,
                                censored=cens)
        ev = np.array([v is not None for v in cz], dtype=bool)
        coding = "0 = censored, other codes = causes" + (
            f" ({ecol} = 1 censored)" if flag else "")
        ecol, flag = xcol, False
    else:
        ev_raw = df[ecol].to_numpy()
        ev, coding = coerce_event(ev_raw, str(ecol), rows, censor_flag=flag)
    names = {"time": str(tcol), "event": str(ecol), "cause": str(ecol)}

    en = None
    if entry is not None:
        ncol = _resolve(df, entry, "entry", None)
        en, names["entry"] = _numeric(df, ncol, rows, "entry"), str(ncol)
    w = None
    if weights is not None:
        wcol = _resolve(df, weights, "weights", None)
        w, names["weights"] = _numeric(df, wcol, rows, "weight"), str(wcol)
        bad = np.flatnonzero(np.isnan(w))
        if bad.size:
            raise DataError("missing weight", column=str(wcol), row=int(rows[bad[0]]))

    g = None
    gcol = None
    if group is not None:
        gcol = _resolve(df, group, "group", "--group")
        g = df[gcol].to_numpy(dtype=object)
        miss = int(pd.isna(df[gcol]).sum())
        if miss:
            first = int(rows[np.flatnonzero(pd.isna(df[gcol]).to_numpy())[0]])
            notes.append(f"{miss} row{'s' if miss > 1 else ''} with a missing '{gcol}' "
                         f"(first at row {first}) left out of the group comparisons")

    cov = None
    if covariates:
        cols = [_resolve(df, c, "requested", None) for c in covariates]
        cov = df[list(dict.fromkeys(cols))].reset_index(drop=True)

    implausible = _implausible_followup(t, time_unit)
    if implausible:
        notes.append(implausible)
    meta = {"time_column": str(tcol), "event_column": str(ecol), "censor_flag": flag,
            "group_column": None if gcol is None else str(gcol), "param": param,
            "source": source, "notes": notes, "event_coding": coding}
    if cz is not None:
        meta["causes"] = order
    data = SurvivalData.from_arrays(t, ev, entry=en, weights=w, group=g, covariates=cov,
                                    time_unit=time_unit, meta=meta, rows=rows, names=names,
                                    cause=cz)
    if data.n_events == 0 and not allow_no_events:
        what = "CNSR is 1 on every row" if flag else "every observation is censored"
        raise DataError(f"no events ({what}): nothing to estimate", column=str(ecol))
    if output_unit is not None:
        data = data.to_unit(output_unit)
    return data


def read_survival(path, *, sheet=None, **options) -> SurvivalData:
    """:func:`~remission.data.read_table` then :func:`from_dataframe` (same options).

    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "lung.csv")
    >>> _ = open(p, "w").write("time,status\\n306,2\\n455,1\\n")
    >>> read_survival(p).n_events
    1
    """
    from .readers import read_table

    df = read_table(path, sheet=sheet)
    options.setdefault("source", str(path))
    return from_dataframe(df, **options)
