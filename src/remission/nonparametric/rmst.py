"""Restricted mean survival time under a step survival curve, with R's standard error."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import OptionError


@dataclass(frozen=True)
class RMST:
    tau: float
    estimate: float
    se: float

    def as_dict(self) -> dict:
        return {"tau": self.tau, "estimate": self.estimate, "se": self.se}


def restricted_mean(time, surv, n_risk, n_event, tau: float, start: float = 0.0) -> RMST:
    """Area under the curve from ``start`` to ``tau``; SE by the Greenwood-type formula
    sum_i A_i^2 d_i / (n_i (n_i - d_i)), A_i the area from t_i to tau (R's ``survmean``).
    """
    tau = float(tau)
    time = np.asarray(time, dtype=float)
    if not np.isfinite(tau) or tau <= start:
        raise OptionError(f"the RMST horizon tau must be a number above {start:g}, got {tau:g}")
    keep = time <= tau
    tt = np.concatenate((time[keep], [tau]))
    ss = np.concatenate((np.asarray(surv)[keep], [np.asarray(surv)[keep][-1] if keep.any() else 1.0]))
    n = np.asarray(n_risk, dtype=float)[keep]
    d = np.asarray(n_event, dtype=float)[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        hh = np.where(n - d == 0, 0.0, d / (n * (n - d)))
    hh = np.concatenate((hh, [0.0]))
    widths = np.diff(np.concatenate(([start], tt)))
    rect = widths * np.concatenate(([1.0], ss[:-1]))
    tail = np.cumsum(rect[1:][::-1])  # area beyond each time, reversed
    var = float(np.sum(tail ** 2 * hh[::-1][1:]))
    return RMST(tau, float(rect.sum() + start), float(np.sqrt(var)))
