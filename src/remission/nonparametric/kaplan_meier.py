"""Kaplan-Meier estimation with Greenwood variance, exactly as R's ``survfit``."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import DataError
from ._counts import risk_table
from .confint import check_conf_level, normalize_conf_type, survival_ci
from .quantiles import Estimate, km_quantile
from .rmst import RMST, restricted_mean
from ..table import json_number


@dataclass(frozen=True, eq=False)
class KaplanMeier:
    """A fitted Kaplan-Meier curve: one row per distinct observed time (events and censorings).

    ``std_err`` is the Greenwood standard error of the cumulative hazard -log S (R's
    ``std.err``); ``lower``/``upper`` are pointwise limits of type ``conf_type``.
    """

    time: np.ndarray
    n_risk: np.ndarray
    n_event: np.ndarray
    n_censor: np.ndarray
    survival: np.ndarray
    std_err: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    conf_type: str
    conf_level: float
    n: float
    start: float = 0.0

    @property
    def n_events(self) -> float:
        return float(self.n_event.sum())

    def _index(self, t) -> np.ndarray:
        """Index of the last curve time <= t (-1 before the first)."""
        return np.searchsorted(self.time, np.asarray(t, dtype=float), side="right") - 1

    def survival_at(self, t) -> np.ndarray:
        """S(t) as a right-continuous step function (1 before the first time)."""
        i = self._index(t)
        s = np.concatenate(([1.0], self.survival))
        return s[i + 1]

    def ci_at(self, t) -> tuple[np.ndarray, np.ndarray]:
        i = self._index(t)
        lo = np.concatenate(([1.0], self.lower))[i + 1]
        up = np.concatenate(([1.0], self.upper))[i + 1]
        return lo, up

    def n_risk_at(self, t) -> np.ndarray:
        """Number at risk at t: that of the first curve time >= t (0 beyond the last)."""
        j = np.searchsorted(self.time, np.asarray(t, dtype=float), side="left")
        nr = np.concatenate((self.n_risk, [0.0]))
        return nr[j]

    def quantile(self, p: float) -> Estimate:
        """Time by which a fraction p has had the event (p=0.5: the median), with limits."""
        return km_quantile(self.time, self.survival, self.lower, self.upper, p, self.start)

    def median(self) -> Estimate:
        return self.quantile(0.5)

    def rmst(self, tau: float) -> RMST:
        """Restricted mean survival time to ``tau`` and its SE as R's print(rmean=tau)."""
        return restricted_mean(self.time, self.survival, self.n_risk, self.n_event, tau,
                               self.start)

    def landmarks(self, times) -> list[dict]:
        times = np.atleast_1d(np.asarray(times, dtype=float))
        s = self.survival_at(times)
        lo, up = self.ci_at(times)
        nr = self.n_risk_at(times)
        return [{"time": float(t), "survival": float(a), "lower": _num(b), "upper": _num(c),
                 "n_risk": _num(d)} for t, a, b, c, d in zip(times, s, lo, up, nr)]

    def to_frame(self):
        import pandas as pd
        return pd.DataFrame({"time": self.time, "n_risk": self.n_risk, "n_event": self.n_event,
                             "n_censor": self.n_censor, "survival": self.survival,
                             "std_err": self.std_err, "lower": self.lower, "upper": self.upper})

    def to_dict(self) -> dict:
        return {"time": _list(self.time), "n_risk": _list(self.n_risk),
                "n_event": _list(self.n_event), "n_censor": _list(self.n_censor),
                "survival": _list(self.survival), "lower": _list(self.lower),
                "upper": _list(self.upper)}


def _num(v):
    return json_number(v, keep_int=True)


def _list(a) -> list:
    """``[_num(v) for v in a]``, vectorised (a curve of 1e6 rows converts in milliseconds):
    whole numbers below 2**53 as int, non-finite values as None, the rest as float."""
    a = np.asarray(a, dtype=float).ravel()
    fin = np.isfinite(a)
    whole = fin & (np.abs(a) < 2.0**53)
    whole[whole] = a[whole] == np.trunc(a[whole])
    if whole.all():
        return a.astype(np.int64).tolist()
    out = a.tolist()
    idx = np.flatnonzero(whole)
    for i, v in zip(idx.tolist(), a[idx].astype(np.int64).tolist()):
        out[i] = v
    for i in np.flatnonzero(~fin).tolist():
        out[i] = None
    return out


def _unpack(time, event, entry, weights):
    from ..data.survival_data import SurvivalData
    if isinstance(time, SurvivalData):
        d = time
        return d.time, d.event, d.entry, d.weights
    if event is None:
        raise DataError("an event indicator is required", column="event")
    d = SurvivalData.from_arrays(time, event, entry=entry, weights=weights)
    return d.time, d.event, d.entry, d.weights


def kaplan_meier(time, event=None, *, entry=None, weights=None, conf_type: str = "log-log",
                 conf_level: float = 0.95) -> KaplanMeier:
    """Kaplan-Meier estimate with Greenwood standard errors and pointwise CIs.

    ``time`` is an array (with ``event``, 1/True = event) or a :class:`SurvivalData`.
    Delayed entry (left truncation) via ``entry``; case weights via ``weights``.
    Agrees with R's ``survfit(Surv(time, event) ~ 1, conf.type=...)`` to rounding error.

    >>> km = kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0])
    >>> km.survival.round(4).tolist()
    [0.8, 0.6, 0.3, 0.3]
    """
    conf_type = normalize_conf_type(conf_type)
    conf_level = check_conf_level(conf_level)
    t, e, en, w = _unpack(time, event, entry, weights)
    rt = risk_table(t, e, en, w)
    n, d = rt.n_risk, rt.n_event
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n > 0, 1.0 - d / np.where(n > 0, n, 1.0), 1.0)
        surv = np.cumprod(factor)
        inc = np.where(d > 0, d / (n * (n - d)), 0.0)
        var = np.cumsum(inc)
    se = np.where(surv > 0, np.sqrt(var), np.nan)  # R: NA once the curve reaches 0
    lower, upper = survival_ci(surv, se, conf_type, conf_level)
    total = float(len(t) if w is None else np.sum(w))
    return KaplanMeier(rt.time, rt.n_risk, d, rt.n_censor, surv, se, lower, upper, conf_type,
                       conf_level, total)
