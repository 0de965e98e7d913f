"""Tail facts of a Kaplan-Meier curve and the Maller-Zhou nonparametric cure estimate.

Notation (Maller and Zhou 1996, *Survival Analysis with Long-Term Survivors*, ch. 4):
``t_(n)`` is the largest observed time (event or censoring) and ``t*_(n)`` the largest
uncensored (event) time.  The estimated susceptible proportion is p_n = F_n(t_(n)) with F_n = 1
- KM, so the **cure estimate** is 1 - p_n = KM(t_(n)) = KM(t*_(n)): the Kaplan-Meier curve does
not move after the last event.  Its confidence interval is the Kaplan-Meier pointwise interval
at t*_(n) (Greenwood variance; log-log by default, so it stays inside [0, 1]); Maller and Zhou
show p_n is asymptotically normal with the Greenwood variance when follow-up is sufficient.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ..errors import DataError


@dataclass(frozen=True)
class TailFacts:
    """What the end of the Kaplan-Meier curve says.

    * ``last_event_time``  t*_(n), the largest event time;
    * ``max_followup``     t_(n), the largest observed time;
    * ``plateau_length``   t_(n) - t*_(n) (0 when the largest time is an event);
    * ``survival_at_plateau`` KM(t*_(n)), the Maller-Zhou cure estimate, with its CI
      (``lower``, ``upper``, ``conf_type``, ``conf_level``) and Greenwood ``se`` of S;
    * ``n_at_risk_at_last_event`` the number at risk at t*_(n) (R's n.risk there);
    * ``n_at_risk_at_plateau`` the number still under observation on the plateau, just after
      t*_(n) (= n.risk - n.event at t*_(n)); all of them are censored later.
    """

    n: int
    events: int
    last_event_time: float
    max_followup: float
    plateau_length: float
    survival_at_plateau: float
    se: float
    lower: float
    upper: float
    conf_type: str
    conf_level: float
    n_at_risk_at_last_event: int
    n_at_risk_at_plateau: int

    @property
    def cure_estimate(self) -> float:
        return self.survival_at_plateau

    def to_dict(self) -> dict:
        return asdict(self)


def tail_facts(time, event=None, *, conf_type: str = "log-log",
               conf_level: float = 0.95) -> TailFacts:
    """Tail facts and the Maller-Zhou cure estimate of right-censored data.

    >>> tf = tail_facts([1, 2, 3, 4, 6, 9], [1, 0, 1, 1, 0, 0])
    >>> tf.last_event_time, tf.max_followup, tf.plateau_length, tf.n_at_risk_at_plateau
    (4.0, 9.0, 5.0, 2)
    >>> round(tf.survival_at_plateau, 6)  # (5/6)(3/4)(2/3)
    0.416667
    """
    from ..nonparametric import kaplan_meier

    km = kaplan_meier(time, event, conf_type=conf_type, conf_level=conf_level)
    ev = np.flatnonzero(km.n_event > 0)
    if ev.size == 0:
        raise DataError("there are no events, so there is no last event time", column="event")
    j = ev[-1]
    s = float(km.survival[j])
    return TailFacts(
        n=int(round(km.n)), events=int(round(km.n_events)),
        last_event_time=float(km.time[j]), max_followup=float(km.time[-1]),
        plateau_length=float(km.time[-1] - km.time[j]), survival_at_plateau=s,
        se=float(s * km.std_err[j]) if np.isfinite(km.std_err[j]) else float("nan"),
        lower=float(km.lower[j]), upper=float(km.upper[j]), conf_type=km.conf_type,
        conf_level=float(km.conf_level),
        n_at_risk_at_last_event=int(round(km.n_risk[j])),
        n_at_risk_at_plateau=int(round(km.n_risk[j] - km.n_event[j])))
