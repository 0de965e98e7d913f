"""Competing risks: read an event-type column into a cause per row (``--event-type``).

The column holds 0 for a censored observation and any other code or label for the cause of
the event (R's ``Surv(time, factor(status))`` multi-state convention; ``cmprsk``'s
``fstatus`` with ``cencode = 0``).  With an ADaM table the cause is often a text column
(``EVNTDESC``) that ``--causes relapse=PROGRESSIVE DISEASE,nrm=DEATH`` maps to short names;
a censoring flag (``CNSR`` = 1) then marks the censored rows and the labels of the others
must all be mapped.  ``0=LABEL`` (or ``censored=LABEL``) in ``--causes`` declares a label
that means censored.
"""
from __future__ import annotations

import numpy as np

from ..errors import DataError, OptionError

#: more distinct causes than this is surely a wrong column (a time, an identifier)
MAX_CAUSES = 20
_CENSOR_NAMES = ("0", "censored")


def parse_causes(spec) -> dict[str, str] | None:
    """``"relapse=PROGRESSIVE DISEASE,nrm=DEATH"`` -> {label: name}; a dict {name: label or
    list of labels} is accepted too.  None stays None.

    >>> parse_causes("relapse=PROGRESSIVE DISEASE, nrm=DEATH")
    {'PROGRESSIVE DISEASE': 'relapse', 'DEATH': 'nrm'}
    """
    if spec is None:
        return None
    pairs: list[tuple[str, str]] = []
    if isinstance(spec, dict):
        for name, labels in spec.items():
            for lab in ([labels] if isinstance(labels, str) else list(labels)):
                pairs.append((str(name), str(lab)))
    else:
        for part in str(spec).split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise OptionError(f"--causes: '{part.strip()}' is not NAME=LABEL (e.g. "
                                  "--causes relapse=PROGRESSIVE DISEASE,nrm=DEATH)")
            name, lab = part.split("=", 1)
            pairs.append((name.strip(), lab.strip()))
    if not pairs:
        raise OptionError("--causes is empty (give NAME=LABEL pairs)")
    out: dict[str, str] = {}
    for name, lab in pairs:
        if not name or not lab:
            raise OptionError(f"--causes: empty name or label in '{name}={lab}'")
        if len(name) > 100 or len(lab) > 200:
            raise OptionError("--causes: a name or label is too long (100/200 characters)")
        if lab in out and out[lab] != name:
            raise OptionError(f"--causes: label '{lab}' is given to two causes "
                              f"('{out[lab]}' and '{name}')")
        out[lab] = "0" if name.lower() in _CENSOR_NAMES else name
    if len(set(out.values()) - {"0"}) > MAX_CAUSES:
        raise OptionError(f"--causes: more than {MAX_CAUSES} causes (a limit of remission)")
    return out


def _text(v) -> str:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v).strip()


def read_causes(values, column: str, rows, *, causes=None, censored=None):
    """(cause per row as an object array, None where censored; the causes in order).

    ``causes`` is a ``--causes`` string or a dict {name: label(s)} (:func:`parse_causes`); ``censored`` is a boolean array
    (from a CNSR flag) of rows censored whatever their label says.  Errors name ``column``
    and the first offending row: a missing value, an unknown label (with ``causes``), a
    declared cause with no events, more than :data:`MAX_CAUSES` causes.
    """
    import pandas as pd

    mapping = parse_causes(causes)
    arr = np.asarray(values, dtype=object).ravel()
    n = arr.size
    rows = np.arange(1, n + 1) if rows is None else np.asarray(rows)
    cens = np.zeros(n, dtype=bool) if censored is None else np.asarray(censored, dtype=bool)
    miss = pd.isna(pd.Series(arr)).to_numpy()
    bad = np.flatnonzero(miss & ~cens)
    if bad.size:
        raise DataError("missing event type (use 0 for a censored observation)",
                        column=column, row=int(rows[bad[0]]))
    text = np.array([None if m else _text(v) for v, m in zip(arr, miss)], dtype=object)
    out = np.full(n, None, dtype=object)
    if mapping is None:
        for i in range(n):
            s = text[i]
            if cens[i] or s is None:
                continue
            try:
                zero = float(s) == 0.0
            except ValueError:
                zero = False
            if not zero:
                out[i] = s
        found = {v for v in out if v is not None}
        if len(found) > MAX_CAUSES:
            raise DataError(f"more than {MAX_CAUSES} distinct event types: is this the cause "
                            "column? (0 = censored, other codes = causes)", column=column)
        order = sorted(found, key=_sort_key)
        return out, order
    lower = {}
    for lab, name in mapping.items():
        lower.setdefault(lab.lower(), name)
    for i in range(n):
        s = text[i]
        if cens[i] or s is None:
            continue
        name = mapping.get(s)
        if name is None:
            name = lower.get(s.lower())
        if name is None:
            try:
                name = "0" if float(s) == 0.0 else None
            except ValueError:
                pass
        if name is None:
            known = ", ".join(f"{lab!r}" for lab in mapping)
            raise DataError(f"event type {s!r} is not a label of --causes (known: {known}; "
                            "0 = censored)", column=column, row=int(rows[i]))
        if name != "0":
            out[i] = name
    order = list(dict.fromkeys(v for v in mapping.values() if v != "0"))
    found = {v for v in out if v is not None}
    for name in order:
        if name not in found:
            labs = ", ".join(repr(k) for k, v in mapping.items() if v == name)
            raise DataError(f"cause '{name}' ({labs}) has no events", column=column)
    return out, order


def _sort_key(s: str):
    try:
        return (0, float(s), s)
    except ValueError:
        return (1, 0.0, s)
