"""Read digitised curves, numbers-at-risk and landmark tables; write reconstructed patients.

Files are CSV (or TSV, or anything pandas sniffs), with a header or without one (digitisers
often export bare ``x,y`` pairs: then the columns are taken in the order time, value, arm).
An ``arm`` column splits a file into arms, matched by label between the curve and the
numbers at risk.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..errors import DataError, OptionError

TIME_NAMES = ("time", "t", "x", "months", "time_months", "trisk", "time_risk")
SURV_NAMES = ("survival", "surv", "s", "y", "km", "probability", "percent")
RISK_NAMES = ("n_risk", "nrisk", "n.risk", "at_risk", "number_at_risk", "n", "risk")


def _read(path, what: str):
    import pandas as pd

    p = Path(path)
    if not p.exists():
        raise DataError(f"{what} file not found: {path}")
    try:  # UTF-8 with or without a BOM (as the main reader), else Latin-1
        try:
            raw = pd.read_csv(p, header=None, sep=None, engine="python", dtype=str,
                              skip_blank_lines=True, comment="#", encoding="utf-8-sig")
        except UnicodeDecodeError:
            raw = pd.read_csv(p, header=None, sep=None, engine="python", dtype=str,
                              skip_blank_lines=True, comment="#", encoding="latin-1")
    except Exception as e:  # pandas raises many kinds of errors on malformed text
        raise DataError(f"cannot read the {what} file {path}: {' '.join(str(e).split())}")
    if raw.empty:
        raise DataError(f"the {what} file {path} is empty")
    first = raw.iloc[0, :2].tolist()
    headerless = all(_isnum(v) for v in first)
    if headerless:
        df = raw
        df.columns = [f"col{i + 1}" for i in range(df.shape[1])]
        rows = np.arange(1, len(df) + 1)
    else:
        df = raw.iloc[1:].reset_index(drop=True)
        df.columns = [str(c).strip().lower() for c in raw.iloc[0]]
        rows = np.arange(1, len(df) + 1)
    blank = df.isna().all(axis=1).to_numpy()
    return df[~blank].reset_index(drop=True), rows[~blank], headerless


def _isnum(v) -> bool:
    try:
        float(str(v).strip().rstrip("%"))
        return True
    except ValueError:
        return False


def _pick(df, names, what, path, position, headerless):
    if headerless:
        if df.shape[1] <= position:
            raise DataError(f"the {what} file {path} needs at least {position + 1} columns")
        return df.columns[position]
    for n in names:
        if n in df.columns:
            return n
    raise DataError(f"the {what} file {path} has no {names[0]!r} column (columns: "
                    f"{', '.join(map(str, df.columns))})", column=names[0])


def _numbers(df, col, rows, label):
    out = np.empty(len(df))
    for i, v in enumerate(df[col].tolist()):
        if v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() == "":
            raise DataError("missing value", column=label, row=int(rows[i]))
        try:
            out[i] = float(str(v).strip().rstrip("%"))
        except ValueError:
            raise DataError(f"{str(v).strip()!r} is not a number", column=label,
                            row=int(rows[i])) from None
    return out


def _arms(df, arm_column, headerless, position):
    if headerless:
        col = df.columns[position] if df.shape[1] > position else None
    else:
        col = arm_column.lower() if arm_column and arm_column.lower() in df.columns else None
    if col is None:
        return None
    return np.array([None if v is None or (isinstance(v, float) and np.isnan(v))
                     else str(v).strip() for v in df[col].tolist()], dtype=object)


def _split(arms, *arrays):
    """{arm: arrays restricted to that arm}, arms in order of first appearance."""
    if arms is None:
        return {None: arrays}
    out = {}
    for a in dict.fromkeys(arms):
        m = arms == a
        out[a] = tuple(x[m] for x in arrays)
    return out


def read_curve(path, arm_column: str = "arm") -> dict:
    """{arm or None: (time, survival, rows)} from a digitised-curve file."""
    df, rows, hl = _read(path, "curve")
    tc = _pick(df, TIME_NAMES, "curve", path, 0, hl)
    sc = _pick(df, SURV_NAMES, "curve", path, 1, hl)
    t = _numbers(df, tc, rows, "time")
    s = _numbers(df, sc, rows, "survival")
    arms = _arms(df, arm_column, hl, 2)
    if arms is not None and any(a is None for a in arms):
        i = [a is None for a in arms].index(True)
        raise DataError("missing arm label", column=arm_column, row=int(rows[i]))
    return _split(arms, t, s, rows)


def read_risk(path, arm_column: str = "arm") -> dict:
    """{arm or None: (time, n_risk, rows)} from a numbers-at-risk file."""
    df, rows, hl = _read(path, "numbers-at-risk")
    tc = _pick(df, TIME_NAMES, "numbers-at-risk", path, 0, hl)
    rc = _pick(df, RISK_NAMES, "numbers-at-risk", path, 1, hl)
    t = _numbers(df, tc, rows, "time")
    r = _numbers(df, rc, rows, "n_risk")
    arms = _arms(df, arm_column, hl, 2)
    return _split(arms, t, r, rows)


def read_landmarks(path) -> tuple[list, float | None]:
    """Landmarks (time, survival[, kind]) and the median (a row with kind ``median``)."""
    df, rows, hl = _read(path, "landmarks")
    tc = _pick(df, TIME_NAMES, "landmarks", path, 0, hl)
    sc = _pick(df, SURV_NAMES, "landmarks", path, 1, hl)
    t = _numbers(df, tc, rows, "time")
    s = _numbers(df, sc, rows, "survival")
    if s.max() > 1.5:
        s = s / 100
    kinds = ["km"] * len(t)
    if not hl and "kind" in df.columns:
        kinds = [str(k).strip().lower() for k in df["kind"].tolist()]
    from .landmarks import Landmark
    out, median = [], None
    for ti, si, k, r in zip(t, s, kinds, rows):
        if "median" in k:
            median = float(ti)
        elif k in ("km", "km_landmark", "landmark", "nan", ""):
            out.append(Landmark(float(ti), float(si)))
        else:
            raise DataError(f"landmark kind {k!r} is not a Kaplan-Meier estimate (use km or "
                            "median; crude proportions are not KM landmarks)", column="kind",
                            row=int(r))
    return out, median


def per_arm(value, arms: list, option: str) -> dict:
    """Parse ``--n``/``--events``: ``97``, ``97,95`` (arms in order) or ``A=97,B=95``."""
    out = {a: None for a in arms}
    if value is None:
        return out
    parts = [p.strip() for p in str(value).split(",") if p.strip()]
    named = [p for p in parts if "=" in p]
    try:
        if named:
            if len(named) != len(parts):
                raise OptionError(f"{option}: mix of named and unnamed values in {value!r}")
            for p in parts:
                k, v = (x.strip() for x in p.split("=", 1))
                if k not in out:
                    raise OptionError(f"{option}: no arm {k!r} in the curve file (arms: "
                                      f"{', '.join(map(str, arms))})")
                out[k] = _count(v, option)
        else:
            if len(parts) == 1 and len(arms) > 1:
                raise OptionError(f"{option}: give one value per arm ({len(arms)} arms: "
                                  f"{', '.join(map(str, arms))}), e.g. "
                                  f"{','.join(f'{a}=N' for a in arms)}")
            if len(parts) != len(arms):
                raise OptionError(f"{option}: {len(parts)} values for {len(arms)} arm(s)")
            for a, p in zip(arms, parts):
                out[a] = _count(p, option)
    except ValueError as e:
        if isinstance(e, OptionError):
            raise
        raise OptionError(f"{option}: {value!r} is not a whole number") from None
    return out


def _count(v: str, option: str) -> int:
    from ..limits import MAX_PATIENTS, WHERE

    f = float(v)
    if not math.isfinite(f) or not f.is_integer() or f < 0:
        raise OptionError(f"{option}: {v!r} is not a whole number >= 0")
    if f > MAX_PATIENTS:
        raise OptionError(f"{option}: {v} is above {MAX_PATIENTS} patients per arm {WHERE}")
    return int(f)


def ipd_csv(recs) -> tuple[str, int]:
    """The time,event(,arm) CSV text of the reconstructions and its number of rows."""
    import pandas as pd

    df = pd.concat([r.to_frame() for r in recs], ignore_index=True)
    return df.to_csv(index=False, float_format="%.6g"), len(df)


def write_ipd(path, recs) -> int:
    """Write time,event(,arm) for the reconstructions; returns the number of rows."""
    from ..safe_io import write_text

    text, rows = ipd_csv(recs)
    write_text(path, text, "-o")  # atomic
    return rows
