"""Median follow-up by the reverse Kaplan-Meier method (censoring treated as the event)."""
from __future__ import annotations

from dataclasses import replace

from .kaplan_meier import kaplan_meier
from .quantiles import Estimate


def median_followup(time, event=None, *, conf_type: str = "log-log",
                    conf_level: float = 0.95) -> Estimate:
    """Median potential follow-up: the median of the KM of the censoring times
    (R: ``survfit(Surv(time, 1 - status) ~ 1)``).  None where not reached.

    ``time`` is an array (with ``event``) or a :class:`~remission.data.SurvivalData`, whose
    case weights are used (delayed entry is not: follow-up runs from time 0).

    >>> median_followup([1, 2, 3, 4, 5], [1, 0, 1, 0, 0]).estimate  # R: median 4
    4.0
    """
    from ..data.survival_data import SurvivalData, _frozen
    from ..errors import DataError

    if isinstance(time, SurvivalData):
        d = time
    elif event is None:
        raise DataError("an event indicator is required", column="event")
    else:
        d = SurvivalData.from_arrays(time, event)
    # validated once: the reverse data are the same rows with the event flag flipped
    rev = replace(d, event=_frozen(~d.event), entry=None, group=None, covariates=None)
    return kaplan_meier(rev, conf_type=conf_type, conf_level=conf_level).median()
