"""How well a reconstruction reproduces what was published.

Every reconstruction carries a :class:`Quality`: the largest and mean absolute gap between the
Kaplan-Meier estimate of the reconstructed patients and the input curve (at every input
point), the reconstructed against the published numbers at risk, the total events, and for
landmark reconstructions each landmark against its target.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def _km(time, event):
    from ..nonparametric.kaplan_meier import kaplan_meier
    return kaplan_meier(np.asarray(time, float), np.asarray(event, bool))


def at_risk(ipd_time, times) -> np.ndarray:
    """Number of reconstructed patients at risk (time >= t) at each of ``times``."""
    s = np.sort(np.asarray(ipd_time, float))
    return s.size - np.searchsorted(s, np.asarray(times, float), side="left")


@dataclass(frozen=True)
class Quality:
    max_abs_gap: float
    mean_abs_gap: float
    max_gap_time: float
    n_points: int
    at_risk: tuple = field(default_factory=tuple)      # dicts: time, published, reconstructed
    events: dict | None = None                          # published, reconstructed
    landmarks: tuple = field(default_factory=tuple)    # dicts: time, target, reconstructed, gap

    @property
    def max_at_risk_gap(self) -> int:
        return max((abs(r["reconstructed"] - r["published"]) for r in self.at_risk), default=0)

    def as_dict(self) -> dict:
        return {"max_abs_gap": self.max_abs_gap, "mean_abs_gap": self.mean_abs_gap,
                "max_gap_time": self.max_gap_time, "n_points": self.n_points,
                "max_at_risk_gap": self.max_at_risk_gap,
                "at_risk": [dict(r) for r in self.at_risk],
                "events": None if self.events is None else dict(self.events),
                "landmarks": [dict(r) for r in self.landmarks]}


def assess(ipd_time, ipd_event, curve_time, curve_survival, *, risk_time=None,
           risk_published=None, total_events=None, landmarks=None) -> Quality:
    """Compare reconstructed patients with the curve (and table, totals, landmarks) they came
    from.  ``landmarks`` is a sequence of (time, target survival)."""
    km = _km(ipd_time, ipd_event)
    ct = np.asarray(curve_time, float)
    gap = np.abs(km.survival_at(ct) - np.asarray(curve_survival, float))
    k = int(np.argmax(gap)) if gap.size else 0
    rows = ()
    if risk_time is not None and len(risk_time):
        rec = at_risk(ipd_time, risk_time)
        rows = tuple({"time": float(t), "published": int(p), "reconstructed": int(r),
                      "difference": int(r) - int(p)}
                     for t, p, r in zip(risk_time, risk_published, rec))
    ev = None
    if total_events is not None:
        ev = {"published": int(total_events), "reconstructed": int(np.sum(ipd_event))}
    lms = ()
    if landmarks:
        lms = tuple({"time": float(t), "target": float(s),
                     "reconstructed": float(km.survival_at(float(t))),
                     "gap": float(km.survival_at(float(t)) - s)} for t, s in landmarks)
    return Quality(max_abs_gap=float(gap.max()) if gap.size else 0.0,
                   mean_abs_gap=float(gap.mean()) if gap.size else 0.0,
                   max_gap_time=float(ct[k]) if gap.size else 0.0, n_points=int(gap.size),
                   at_risk=rows, events=ev, landmarks=lms)
