"""Competing risks, nonparametric: the Aalen-Johansen cumulative incidence of each cause.

Estimate: F_k(t) = sum_{s <= t} S(s-) d_k(s) / n(s), with S the Kaplan-Meier of "any event"
(the event-free probability); S + sum_k F_k = 1 at every time.  This is R's multi-state
``survfit(Surv(time, factor(etype)) ~ 1)`` (``pstate``) and equals ``cmprsk::cuminc``'s
estimate.

Standard error: the **infinitesimal jackknife** (IJ), which is what R's multi-state
``survfit`` reports by default as ``std.err`` (survival >= 3.0, no ``id`` needed when each row
is a subject): Var F_k(t) = sum_i U_ik(t)^2, with U_ik the derivative of F_k(t) with respect
to subject i's case weight.  It is not cmprsk's delta-method variance (``cuminc``'s ``var``),
which differs slightly.  The influence of subject i with exit time T_i is linear in F_k(t) for
t >= T_i, so the sum over subjects is three cumulative sums (O(n log n), no n x times matrix):

* at risk at t (T_i > t): U_ik(t) = C_k(t) = sum_{s<=t} S(s-) lam_k(s) [A(s-) - 1/n(s)],
  with lam_k = d_k/n, lam = sum_k lam_k, A(t) = sum_{s<=t} lam(s) / (n(s) (1 - lam(s)));
* exited at T_i <= t: U_ik(t) = beta_ik + a_i F_k(t), a_i = A(T_i) - [event] / (n(T_i)
  (1 - lam(T_i))), beta_ik = C_k(T_i) + S(T_i-) [cause_i = k] / n(T_i) - a_i F_k(T_i).

The event-free curve's IJ variance is S(t)^2 [sum_{T_i<=t} a_i^2 + n(t+) A(t)^2].  Confidence
limits are survfit's (``survfit_confint`` with ``logse = FALSE``) on each probability, by
:func:`~remission.nonparametric.confint.survival_ci`.  Delayed entry and case weights are
refused (not implemented).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import DataError
from .confint import check_conf_level, normalize_conf_type, survival_ci
from ..table import json_number as _num

#: the label of the event-free state (R's "(s0)")
EVENT_FREE = "event-free"


@dataclass(frozen=True, eq=False)
class CumulativeIncidence:
    """Aalen-Johansen curves: ``estimate``/``se``/``lower``/``upper`` have one row per state,
    ``states[0]`` the event-free state, then the causes; columns are the distinct times."""

    time: np.ndarray
    n_risk: np.ndarray
    n_event: np.ndarray          # (causes, times)
    n_censor: np.ndarray
    states: tuple
    estimate: np.ndarray
    se: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    conf_type: str
    conf_level: float

    @property
    def causes(self) -> tuple:
        return self.states[1:]

    def _row(self, state) -> int:
        try:
            return self.states.index(str(state))
        except ValueError:
            raise DataError(f"no cause '{state}' (causes: {', '.join(self.causes)})",
                            column="cause") from None

    def at(self, times, state) -> dict:
        """Estimate, se, lower, upper of ``state`` at ``times`` (right-continuous step)."""
        j = self._row(state)
        t = np.atleast_1d(np.asarray(times, dtype=float))
        idx = np.searchsorted(self.time, t, side="right") - 1
        first = 1.0 if j == 0 else 0.0
        out = {}
        for key, arr, before in (("estimate", self.estimate, first), ("se", self.se, 0.0),
                                 ("lower", self.lower, first), ("upper", self.upper, first)):
            v = np.where(idx >= 0, arr[j][np.maximum(idx, 0)], before)
            out[key] = v
        return out

    def landmarks(self, times, state) -> list[dict]:
        got = self.at(times, state)
        return [{"time": float(t), **{k: _num(got[k][i]) for k in got}}
                for i, t in enumerate(np.atleast_1d(np.asarray(times, dtype=float)))]

    def curve(self, state) -> dict:
        j = self._row(state)
        return {"time": self.time.tolist(), "estimate": self.estimate[j].tolist(),
                "se": self.se[j].tolist(),
                "lower": [_num(v) for v in self.lower[j]],
                "upper": [_num(v) for v in self.upper[j]]}


def _check(data):
    from ..data.survival_data import SurvivalData

    if not isinstance(data, SurvivalData):
        raise DataError("cumulative_incidence() takes SurvivalData (see remission.read_survival)")
    if data.cause is None:
        raise DataError("no cause of event: competing risks need --event-type", column="cause")
    if data.entry is not None or data.weights is not None:
        raise DataError("competing risks: delayed entry and case weights are not supported",
                        column=data.meta.get("event_column", "cause"))


def cumulative_incidence(data, *, causes=None, conf_type: str = "log",
                         conf_level: float = 0.95) -> CumulativeIncidence:
    """Aalen-Johansen cumulative incidence of each cause with IJ standard errors (module
    docstring).  ``causes`` fixes the order (default ``data.cause_levels()``); the
    default ``conf_type`` is R survfit's, ``log``.

    >>> from remission.data.survival_data import SurvivalData
    >>> d = SurvivalData.from_arrays([1, 2, 3, 4], cause=["a", "b", None, "a"])
    >>> ci = cumulative_incidence(d)
    >>> ci.estimate[:, -1].round(3).tolist()  # event-free, a, b at t = 4
    [0.0, 0.75, 0.25]
    """
    _check(data)
    conf_type = normalize_conf_type(conf_type)
    conf_level = check_conf_level(conf_level)
    causes = tuple(data.cause_levels() if causes is None else [str(c) for c in causes])
    t_all = np.asarray(data.time, dtype=float)
    code = np.full(t_all.size, -1, dtype=np.int64)
    lookup = {c: k for k, c in enumerate(causes)}
    missing = set(data.cause_levels()) - set(causes)
    if missing:  # its events would leave the event-free state for no listed state
        raise DataError(f"cause '{sorted(missing)[0]}' is in the data but not among the causes "
                        f"{list(causes)}", column=data.meta.get("event_column", "cause"))
    for i, v in enumerate(data.cause):
        if v is not None:
            code[i] = lookup[v]
    K = len(causes)
    times, inv = np.unique(t_all, return_inverse=True)
    m = times.size
    ev_any = code >= 0
    d = np.zeros((K, m))
    for k in range(K):
        d[k] = np.bincount(inv[code == k], minlength=m)
    d_all = np.bincount(inv[ev_any], minlength=m).astype(float)
    n_exit = np.bincount(inv, minlength=m).astype(float)
    n_risk = np.cumsum(n_exit[::-1])[::-1]
    lam_k = d / n_risk
    lam = d_all / n_risk
    surv = np.cumprod(1.0 - lam)
    s_prev = np.concatenate(([1.0], surv[:-1]))
    F = np.cumsum(s_prev * lam_k, axis=1)
    # IJ pieces (see the module docstring); where lam == 1 (everyone at risk has the event,
    # the last time) S = 0 afterwards and the a_i terms vanish: set them to 0
    full = lam >= 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        b = np.where(full, 0.0, 1.0 / (n_risk * (1.0 - lam)))
        a_inc = np.where(full, 0.0, lam * b)
    A = np.cumsum(a_inc)
    A_prev = np.concatenate(([0.0], A[:-1]))
    C = np.cumsum(s_prev * lam_k * (A_prev - 1.0 / n_risk), axis=1)
    n_after = n_risk - n_exit  # at risk just after t
    # per subject (collapsed by time and status): a_i, beta_ik
    a_i = np.where(full[inv], 0.0, A[inv] - ev_any * b[inv])
    var = np.empty((K + 1, m))
    sum_a2 = np.bincount(inv, weights=a_i ** 2, minlength=m).cumsum()
    var[0] = surv ** 2 * (sum_a2 + n_after * A ** 2)
    for k in range(K):
        beta = C[k][inv] + s_prev[inv] * (code == k) / n_risk[inv] - a_i * F[k][inv]
        sb2 = np.bincount(inv, weights=beta ** 2, minlength=m).cumsum()
        sab = np.bincount(inv, weights=a_i * beta, minlength=m).cumsum()
        var[k + 1] = sb2 + 2 * F[k] * sab + F[k] ** 2 * sum_a2 + n_after * C[k] ** 2
    est = np.vstack([surv, F])
    se = np.sqrt(np.maximum(var, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        logse = np.where(se == 0, 0.0, se / est)
    lower, upper = survival_ci(est, logse, conf_type, conf_level)
    n_censor = np.bincount(inv[~ev_any], minlength=m)
    return CumulativeIncidence(times, n_risk.astype(np.int64), d.astype(np.int64), n_censor,
                               (EVENT_FREE,) + causes, est, se, lower, upper, conf_type,
                               conf_level)
