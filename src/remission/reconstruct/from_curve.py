"""Reconstruct patients from a digitised curve: clean, run Guyot, assess."""
from __future__ import annotations

import numpy as np

from ..errors import OptionError
from .clean import RiskTable, clean_curve, clean_risk_table
from .guyot import guyot, insert_risk_times
from .quality import assess
from .result import Reconstruction


def reconstruct_curve(time, survival, *, risk_time=None, n_risk=None, n: int | None = None,
                      total_events: int | None = None, scale: str = "auto", arm=None,
                      curve_rows=None, risk_rows=None) -> Reconstruction:
    """Individual patient data from a digitised Kaplan-Meier curve (Guyot et al. 2012).

    ``time``, ``survival``: the digitised points as they come (any order, fractions or
    percentages, jitter).  ``risk_time``/``n_risk``: the published numbers at risk (any
    subset of times); without them give ``n``, the number of patients.  ``total_events``,
    where published, fixes the censoring in the last interval.

    >>> r = reconstruct_curve([0, 2, 4, 6], [100, 75, 50, 25], n=4)
    >>> r.time.tolist(), r.event.astype(int).tolist()
    ([2.0, 4.0, 6.0, 6.0], [1, 1, 1, 0])
    """
    if n is not None and (int(n) != n or n <= 0):
        raise OptionError(f"the number of patients must be a positive whole number, not {n}")
    if total_events is not None and (int(total_events) != total_events or total_events < 0):
        raise OptionError(f"the total events must be a whole number >= 0, not {total_events}")
    if (risk_time is None) != (n_risk is None):
        raise OptionError("give both the times and the numbers at risk")
    curve = clean_curve(time, survival, scale=scale, rows=curve_rows)
    if risk_time is None:
        if n is None:
            raise OptionError("give the numbers at risk or the number of patients (--n)")
        risk = RiskTable(time=np.array([0.0]), n_risk=np.array([int(n)]))
    else:
        risk = clean_risk_table(risk_time, n_risk, n=n, curve_end=float(curve.time[-1]),
                                rows=risk_rows)
    if total_events is not None and total_events > risk.n_risk[0]:
        raise OptionError(f"{total_events} total events is more than the {risk.n_risk[0]} "
                          "patients")
    work, added = insert_risk_times(curve, risk.time)
    fit = guyot(work, risk, total_events=total_events)
    notes = list(fit.notes)
    if risk_time is None:
        notes.append("no numbers at risk: censoring " + ("set to match the total events"
                     if total_events is not None else "assumed only at the end of the curve"))
    q = assess(fit.ipd_time, fit.ipd_event, curve.time, curve.survival,
               risk_time=risk.time, risk_published=risk.n_risk, total_events=total_events)
    changes = list(curve.changes) + list(risk.changes)
    if added:
        changes.append(f"added {added} curve point(s) at numbers-at-risk times")
    return Reconstruction(time=fit.ipd_time, event=fit.ipd_event, method="guyot", quality=q,
                          arm=None if arm is None else str(arm), changes=tuple(changes),
                          notes=tuple(notes))
