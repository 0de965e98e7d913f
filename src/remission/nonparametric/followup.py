"""Median follow-up by the reverse Kaplan-Meier method (censoring treated as the event)."""
from __future__ import annotations

from .kaplan_meier import _unpack, kaplan_meier
from .quantiles import Estimate


def median_followup(time, event=None, *, conf_type: str = "log-log",
                    conf_level: float = 0.95) -> Estimate:
    """Median potential follow-up: the median of the KM of the censoring times
    (R: ``survfit(Surv(time, 1 - status) ~ 1)``).  None where not reached.

    >>> median_followup([1, 2, 3, 4, 5], [1, 0, 1, 0, 0]).estimate  # R: median 4
    4.0
    """
    t, e, _, w = _unpack(time, event, None, None)
    return kaplan_meier(t, ~e, weights=w, conf_type=conf_type, conf_level=conf_level).median()
