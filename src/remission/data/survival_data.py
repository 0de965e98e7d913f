"""The validated, immutable survival-data value every estimator takes."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterator

import numpy as np

from ..errors import DataError
from .units import conversion_factor, normalize_unit


def _frozen(a: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return None
    a = np.array(a, copy=True)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class SurvivalData:
    """Right-censored (optionally left-truncated, weighted, grouped) time-to-event data.

    Build it with :meth:`from_arrays` or :func:`remission.data.from_dataframe`; both validate.
    Arrays are read-only.  ``event`` is boolean (True = event).  ``entry`` is the delayed-entry
    (left-truncation) time or None.  ``group`` holds labels as strings (None = missing);
    ``covariates`` is a pandas DataFrame (or None) aligned with the rows.  ``rows`` gives the
    1-based row number in the source file of each observation, for error messages.
    """

    time: np.ndarray
    event: np.ndarray
    entry: np.ndarray | None = None
    weights: np.ndarray | None = None
    group: np.ndarray | None = None
    covariates: object | None = None  # pandas.DataFrame
    rows: np.ndarray | None = None
    time_unit: str | None = None
    meta: dict = field(default_factory=dict)
    #: competing risks: the cause of each event (a str; None where censored), or None.
    #: ``event`` stays "any event" (the composite endpoint), so every estimator still works.
    cause: np.ndarray | None = None

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_arrays(cls, time, event=None, entry=None, weights=None, group=None,
                    covariates=None, time_unit=None, meta=None, rows=None,
                    names=None, cause=None) -> "SurvivalData":
        """Validate arrays and build a SurvivalData.

        ``event`` may be 0/1, booleans, or R's 1/2 coding (2 = event) when it holds only 1 and 2.
        Without ``event`` every observation is an event.  ``entry`` must be strictly less
        than ``time``.  ``names`` maps "time", "event", "entry", "weights" to the source
        column names used in error messages.  ``cause`` (competing risks) gives each row's
        cause of event as a label, None (or NaN) where censored; ``event`` then defaults to
        "any cause" and must agree with it.

        >>> d = SurvivalData.from_arrays([5, 3, 8], [1, 0, 1])
        >>> d.n, d.n_events
        (3, 2)
        """
        nm = {"time": "time", "event": "event", "entry": "entry", "weights": "weights",
              **(names or {})}
        t = np.asarray(time, dtype=float).ravel()
        n = t.size
        if n == 0:
            raise DataError("no rows to analyse", column=nm["time"])
        row_no = np.arange(1, n + 1) if rows is None else np.asarray(rows)
        _check_times(t, nm["time"], row_no)
        if event is None:
            e = np.ones(n, dtype=bool)
            coding = "all events"
        else:
            e, coding = coerce_event(event, nm["event"], row_no)
            if e.size != n:
                raise DataError(f"has {e.size} values but time has {n}", column=nm["event"])
        cz = None
        if cause is not None:
            cz = np.asarray([None if _is_missing(v) else _label(v) for v in
                             np.asarray(cause, dtype=object).ravel()], dtype=object)
            if cz.size != n:
                raise DataError(f"has {cz.size} values but time has {n}",
                                column=nm.get("cause", "cause"))
            has = np.array([v is not None for v in cz], dtype=bool)
            if event is None:
                e, coding = has, "competing risks (0 = censored, other codes = causes)"
            elif np.any(has != e):
                i = int(np.flatnonzero(has != e)[0])
                raise DataError("the cause and the event indicator disagree",
                                column=nm.get("cause", "cause"), row=int(row_no[i]))
        en = None
        if entry is not None:
            en = np.asarray(entry, dtype=float).ravel()
            if en.size != n:
                raise DataError(f"has {en.size} values but time has {n}", column=nm["entry"])
            _check_times(en, nm["entry"], row_no)
            bad = np.flatnonzero(en >= t)
            if bad.size:
                raise DataError(f"entry time {en[bad[0]]:g} is not before the exit time "
                                f"{t[bad[0]]:g} (entry must be strictly less than time)",
                                column=nm["entry"], row=int(row_no[bad[0]]))
        w = None
        if weights is not None:
            w = np.asarray(weights, dtype=float).ravel()
            bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
            if bad.size:
                raise DataError("weights must be finite and non-negative",
                                column=nm["weights"], row=int(row_no[bad[0]]))
        g = None
        if group is not None:
            g = np.asarray([None if _is_missing(v) else _label(v) for v in group], dtype=object)
        m = dict(meta or {})
        m.setdefault("event_coding", coding)
        return cls(time=_frozen(t), event=_frozen(e), entry=_frozen(en), weights=_frozen(w),
                   group=_frozen(g), covariates=covariates, rows=_frozen(row_no),
                   time_unit=normalize_unit(time_unit), meta=m, cause=_frozen(cz))

    # ------------------------------------------------------------------ facts
    @property
    def n(self) -> int:
        return int(self.time.size)

    @property
    def n_events(self) -> int:
        return int(self.event.sum())

    def __len__(self) -> int:
        return self.n

    def __repr__(self) -> str:
        extra = []
        if self.entry is not None:
            extra.append("delayed entry")
        if self.group is not None:
            extra.append(f"groups={self.group_levels()}")
        unit = f", unit={self.time_unit}" if self.time_unit else ""
        more = "".join(f", {x}" for x in extra)
        return f"SurvivalData(n={self.n}, events={self.n_events}{unit}{more})"

    # ------------------------------------------------------------------ subsets and groups
    def subset(self, mask) -> "SurvivalData":
        """Rows where ``mask`` (boolean array or index array) selects."""
        idx = np.asarray(mask)
        cov = None
        if self.covariates is not None:
            sel = np.flatnonzero(idx) if idx.dtype == bool else idx
            cov = self.covariates.iloc[sel].reset_index(drop=True)
        pick = (lambda a: None if a is None else _frozen(a[idx]))
        return replace(self, time=pick(self.time), event=pick(self.event), entry=pick(self.entry),
                       weights=pick(self.weights), group=pick(self.group), covariates=cov,
                       rows=pick(self.rows), cause=pick(self.cause))

    # ------------------------------------------------------------------ competing risks
    def cause_levels(self) -> list[str]:
        """The causes of event (competing risks), in the order the data declared them
        (``meta["causes"]``), else sorted; [] without a cause."""
        if self.cause is None:
            return []
        present = {v for v in self.cause if v is not None}
        declared = [c for c in self.meta.get("causes", []) if c in present]
        return declared + sorted(present - set(declared), key=_sort_key)

    def for_cause(self, cause: str) -> "SurvivalData":
        """Cause-specific data: an event of ``cause`` is the event, the other causes are
        censored (as R's ``coxph(Surv(time, status == cause) ~ ...)``).  ``cause`` is kept.

        >>> d = SurvivalData.from_arrays([1, 2, 3], cause=["a", None, "b"])
        >>> d.for_cause("b").event.tolist()
        [False, False, True]
        """
        if self.cause is None:
            raise DataError("no cause of event in the data (give --event-type)", column="cause")
        cause = str(cause)
        if cause not in self.cause_levels():
            raise DataError(f"no events of cause '{cause}' (causes: "
                            f"{', '.join(self.cause_levels()) or 'none'})",
                            column=self.meta.get("event_column", "cause"))
        ev = np.array([v == cause for v in self.cause], dtype=bool)
        return replace(self, event=_frozen(ev),
                       meta={**self.meta, "cause_of_interest": cause})

    def group_levels(self) -> list[str]:
        """Distinct non-missing group labels, sorted numerically where they all are numbers."""
        if self.group is None:
            return []
        levels = {v for v in self.group if v is not None}
        return sorted(levels, key=_sort_key)

    @property
    def n_missing_group(self) -> int:
        return 0 if self.group is None else int(sum(v is None for v in self.group))

    def by_group(self) -> Iterator[tuple[str, "SurvivalData"]]:
        """(label, subset) per group level; rows with a missing group are left out.

        One pass over the rows in all (a stable sort of the group codes), so the work per
        group is proportional to its own rows, not to the whole data."""
        if self.group is None:
            return
        levels = self.group_levels()
        codes = self.group_codes()
        order = np.argsort(codes, kind="stable")  # rows of a group keep their order
        bounds = np.searchsorted(codes[order], np.arange(len(levels) + 1))
        for i, lev in enumerate(levels):
            yield lev, self.subset(order[bounds[i]:bounds[i + 1]])

    def group_codes(self) -> np.ndarray:
        """Integer code per row (index into ``group_levels()``), -1 where missing."""
        levels = self.group_levels()
        lookup = {v: i for i, v in enumerate(levels)}
        if self.group is None:
            return np.zeros(self.n, dtype=np.int64)
        return np.array([lookup.get(v, -1) if v is not None else -1 for v in self.group],
                        dtype=np.int64)

    # ------------------------------------------------------------------ units
    def to_unit(self, unit: str | None) -> "SurvivalData":
        """Same data with times converted to ``unit`` (needs a known ``time_unit``)."""
        unit = normalize_unit(unit)
        if unit is None or unit == self.time_unit:
            return self
        if self.time_unit is None:
            raise DataError("cannot convert times: the input time unit is unknown "
                            "(give --time-unit)", column="time")
        f = conversion_factor(self.time_unit, unit)
        # the unit of the source's columns (e.g. a background-hazard column), kept for them
        meta = {**self.meta, "input_time_unit": self.meta.get("input_time_unit",
                                                              self.time_unit)}
        return replace(self, time=_frozen(self.time * f),
                       entry=None if self.entry is None else _frozen(self.entry * f),
                       time_unit=unit, meta=meta)


# ---------------------------------------------------------------------- helpers
def _is_missing(v) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN
    except Exception:
        return False


def _label(v) -> str:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def _sort_key(s: str):
    try:
        return (0, float(s), s)
    except ValueError:
        return (1, 0.0, s)


def _check_times(t: np.ndarray, column: str, rows: np.ndarray) -> None:
    bad = np.flatnonzero(np.isnan(t))
    if bad.size:
        raise DataError("missing time value", column=column, row=int(rows[bad[0]]))
    bad = np.flatnonzero(np.isinf(t))
    if bad.size:
        raise DataError("infinite time value", column=column, row=int(rows[bad[0]]))
    bad = np.flatnonzero(t < 0)
    if bad.size:
        raise DataError(f"negative time {t[bad[0]]:g}", column=column, row=int(rows[bad[0]]))
    from ..limits import MAX_TIME

    bad = np.flatnonzero(t > MAX_TIME)
    if bad.size:  # the models' arithmetic overflows long before 1e308
        raise DataError(f"time {t[bad[0]]:g} is above {MAX_TIME:g} (a limit of remission; "
                        "is the unit right?)", column=column, row=int(rows[bad[0]]))


def coerce_event(values, column: str, rows: np.ndarray | None = None,
                 censor_flag: bool = False) -> tuple[np.ndarray, str]:
    """Turn an event column into booleans (True = event); return (event, coding name).

    Accepted: 0/1 and booleans; R's 1/2 (2 = event) when the column holds only 1 and 2;
    ``censor_flag=True`` reads an ADaM CNSR column (1 = censored, 0 = event).
    Anything else raises DataError naming the column and first offending row.
    """
    arr = np.asarray(values).ravel()
    n = arr.size
    rows = np.arange(1, n + 1) if rows is None else rows
    if arr.dtype.kind in "biuf":  # fast path: plain numbers or booleans, no Python loop
        num = arr.astype(float)
        bad = np.flatnonzero(np.isnan(num))
        if bad.size:
            raise DataError("missing event value", column=column, row=int(rows[bad[0]]))
        return _code(num, column, rows, censor_flag)
    raw = arr.astype(object)
    num = np.empty(n, dtype=float)
    for i, v in enumerate(raw):
        if _is_missing(v):
            raise DataError("missing event value", column=column, row=int(rows[i]))
        if isinstance(v, (bool, np.bool_)):
            num[i] = float(v)
            continue
        if isinstance(v, str):
            s = v.strip().lower()
            if s in ("true", "t", "yes", "y"):
                num[i] = 1.0
                continue
            if s in ("false", "f", "no", "n"):
                num[i] = 0.0
                continue
        try:
            num[i] = float(v)
        except (TypeError, ValueError):
            raise DataError(f"event code {v!r} is not a number (expected 0/1"
                            f"{'' if censor_flag else ' or 1/2'})", column=column,
                            row=int(rows[i])) from None
    return _code(num, column, rows, censor_flag)


def _code(num: np.ndarray, column: str, rows, censor_flag: bool) -> tuple[np.ndarray, str]:
    values_set = set(np.unique(num).tolist())
    if censor_flag:
        bad = np.flatnonzero(~np.isin(num, (0.0, 1.0)))
        if bad.size:
            raise DataError(f"censoring flag {num[bad[0]]:g} is not 0 or 1 (CNSR: 1 = censored, "
                            "0 = event)", column=column, row=int(rows[bad[0]]))
        return num == 0.0, "ADaM CNSR (1 = censored)"
    if values_set <= {0.0, 1.0}:
        return num == 1.0, "0/1 (1 = event)"
    if values_set <= {1.0, 2.0}:
        return num == 2.0, "R 1/2 (2 = event)"
    # report the first value that breaks both codings
    if 2.0 in values_set and 0.0 in values_set:
        first2 = np.flatnonzero(num == 2.0)[0]
        first0 = np.flatnonzero(num == 0.0)[0]
        i = max(first2, first0)
        raise DataError(f"event codes mix 0/1 and 1/2 conventions (value {num[i]:g}); use 0/1 "
                        "or R's 1/2 (2 = event)", column=column, row=int(rows[i]))
    bad = np.flatnonzero(~np.isin(num, (0.0, 1.0, 2.0)))
    i = bad[0]
    raise DataError(f"event code {num[i]:g} is not allowed (expected 0/1, or 1/2 with 2 = event)",
                    column=column, row=int(rows[i]))
