"""Kaplan-Meier summary per group and overall: what ``remission summary`` prints.

Conventions (all follow R's ``survival`` unless said otherwise):

* Curves, medians and their limits: ``survfit`` / ``quantile.survfit``, with
  ``conf_type="log-log"`` by default (R's default is ``log``).
* RMST: without ``tau``, the horizon is the largest observed time (event or censoring) in the
  whole data set, common to every group: R's ``print.survfit(fit, rmean = "common")``.  The
  SE is R's (``survmean``).
* Landmarks without ``times``: when the time unit is known, 1, 2, 3, 5 and 10 years (converted
  to the data's unit) that fall before the largest observed time; with fewer than two of
  those, or an unknown unit, the quartiles (25, 50, 75 %) of the largest observed time,
  rounded to two significant digits.  ``n_risk`` at a landmark is the number at risk just
  before it (``summary.survfit``).
* Median follow-up: reverse Kaplan-Meier (censoring as the event) on all the data.
* Log-rank: R's ``survdiff`` over the groups (rows with a missing group left out); None with
  fewer than two groups, or with delayed entry or case weights (not supported there, and
  said in ``notes``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from ..errors import DataError, OptionError
from .followup import median_followup
from .kaplan_meier import KaplanMeier, _num, kaplan_meier
from .logrank import LogRank, logrank_test
from .quantiles import Estimate
from .rmst import RMST

_YEARS = (1.0, 2.0, 3.0, 5.0, 10.0)
_DAYS_PER = {"days": 1.0, "weeks": 7.0, "months": 365.25 / 12.0, "years": 365.25}


@dataclass(frozen=True, eq=False)
class GroupSummary:
    group: str
    n: int
    events: int
    km: KaplanMeier
    median: Estimate
    landmarks: tuple
    rmst: RMST

    def to_dict(self) -> dict:
        return {"group": self.group, "n": self.n, "events": self.events,
                "median": {k: _num(v) if v is not None else None
                           for k, v in self.median.as_dict().items()},
                "landmarks": [dict(x) for x in self.landmarks],
                "rmst": {"tau": _num(self.rmst.tau), "estimate": _num(self.rmst.estimate),
                         "se": _num(self.rmst.se)},
                "curve": self.km.to_dict()}


@dataclass(frozen=True, eq=False)
class Summary:
    """Frozen result of :func:`summarize`; ``to_dict()`` is the SPEC ``summary`` JSON."""

    n: int
    events: int
    groups: tuple
    median_followup: Estimate
    logrank: LogRank | None
    times: tuple
    tau: float
    conf_type: str
    conf_level: float
    time_unit: str | None = None
    group_column: str | None = None
    notes: tuple = field(default=())
    columns: dict = field(default_factory=dict)
    #: competing risks (``--event-type``): a competing_summary.CompetingSummary, else None
    competing: object | None = None
    #: with groups: Cox hazard ratios and RMST differences against the reference group
    #: (:mod:`remission.nonparametric.contrasts`), else None
    hazard_ratios: dict | None = None
    rmst_differences: list | None = None
    hazard_ratios_note: str = ""     # why hazard_ratios is None with several groups

    def to_dict(self) -> dict:
        lr = None
        if self.logrank is not None:
            lr = {"chisq": self.logrank.chisq, "df": self.logrank.df, "p": self.logrank.p,
                  "levels": list(self.logrank.levels),
                  "observed": self.logrank.observed.tolist(),
                  "expected": self.logrank.expected.tolist()}
        return {"n": self.n, "events": self.events,
                "groups": [g.to_dict() for g in self.groups],
                "median_followup": {"method": "reverse_km",
                                    "estimate": self.median_followup.estimate,
                                    "lower": self.median_followup.lower,
                                    "upper": self.median_followup.upper},
                "logrank": lr,
                "conf_type": self.conf_type, "conf_level": self.conf_level,
                "time_unit": self.time_unit, "group_column": self.group_column,
                "times": list(self.times), "tau": self.tau, "notes": list(self.notes),
                "columns": dict(self.columns),
                "hazard_ratios": self.hazard_ratios,
                "rmst_differences": self.rmst_differences,
                **({"hazard_ratios_note": self.hazard_ratios_note}
                   if self.hazard_ratios_note else {}),
                **({} if self.competing is None
                   else {"competing_risks": self.competing.to_dict()})}

    # ------------------------------------------------------------------ rendering
    def tables(self):
        """(overview, landmarks) as :class:`~remission.table.SummaryTable`."""
        from ..table import SummaryTable  # not ..models: that would import SciPy's optimisers

        lvl = f"{self.conf_level:g}"
        unit = f" ({self.time_unit})" if self.time_unit else ""
        rows = []
        for g in self.groups:
            m = g.median
            rows.append((self._label(g.group), g.n, g.events, _r(m.estimate), _r(m.lower),
                         _r(m.upper), _r(g.rmst.estimate), _r(g.rmst.se)))
        foot = [f"* restricted mean survival time with upper limit tau = {_r(self.tau)}"
                f"{unit}; median limits: {self.conf_type} {lvl} CI; '-' = not reached"]
        over = SummaryTable(f"Kaplan-Meier summary{unit}",
                            ("group", "n", "events", "median", f"{lvl}LCL", f"{lvl}UCL",
                             "rmst*", "se(rmst)"), tuple(rows), tuple(foot))
        lrows = []
        for g in self.groups:
            for x in g.landmarks:
                lrows.append((self._label(g.group), _r(x["time"]), x["n_risk"],
                              _r(x["survival"], 3), _r(x["lower"], 3), _r(x["upper"], 3)))
        land = SummaryTable(f"Survival at landmarks ({self.conf_type} {lvl} CI)",
                            ("group", "time", "n.risk", "survival", "lower", "upper"),
                            tuple(lrows))
        return over, land

    def _contrast_lines(self) -> list[str]:
        """Hazard ratios (Cox, Efron) and RMST differences against the reference group."""
        out, pct = [], f"{100 * self.conf_level:g}%"
        hr = self.hazard_ratios
        if self.hazard_ratios_note:
            out.append(self.hazard_ratios_note[:1].upper() + self.hazard_ratios_note[1:])
        for c in (hr or {}).get("contrasts", []):
            by = f", stratified by {hr['strata']}" if hr.get("strata") else ""
            out.append(f"Hazard ratio {self._label(c['group'])} vs {hr['reference']} (Cox, "
                       f"Efron ties{by}): {_r(c['estimate'])} ({pct} CI {_r(c['lower'])} to "
                       f"{_r(c['upper'])}), p = {c['p']:.4g}")
        for c in self.rmst_differences or []:
            out.append(f"RMST difference {self._label(c['group'])} - {c['reference']} (tau = "
                       f"{_r(c['tau'])}): {_r(c['estimate'])} ({pct} CI {_r(c['lower'])} "
                       f"to {_r(c['upper'])})")
        return out

    def _label(self, g: str) -> str:
        return g if g == "all" or not self.group_column else f"{self.group_column}={g}"

    def to_text(self) -> str:
        over, land = self.tables()
        c = self.columns
        head = f"n = {self.n}, events = {self.events}"
        if c.get("time"):
            head += f"; time: {c['time']}"
        if c.get("event"):
            head += f", event: {c['event']}" + (f" [{c['coding']}]" if c.get("coding") else "")
        out = [head, "", over.to_text(), "", land.to_text(), ""]
        if self.logrank is not None:
            lr = self.logrank
            out.append(f"Log-rank test: chisq = {lr.chisq:.4g} on {lr.df} df, p = {lr.p:.4g}")
        else:  # say why it is missing (too many groups, delayed entry or weights)
            out.extend(n[:1].upper() + n[1:] for n in self.notes if n.startswith("log-rank"))
        out.extend(self._contrast_lines())
        mf = self.median_followup.estimate
        unit = f" {self.time_unit}" if self.time_unit else ""
        out.append("Median follow-up (reverse Kaplan-Meier): "
                   + ("not reached" if mf is None else f"{_r(mf)}{unit}"))
        if self.competing is not None:
            out.extend(["", self.competing.to_text()])
        return "\n".join(out)

    __str__ = to_text


def _r(v, digits: int = 4):
    """Round for display (None stays None)."""
    if v is None:
        return None
    v = float(v)
    if not math.isfinite(v):
        return None
    if v == 0:
        return 0
    r = round(v, max(digits - 1 - int(math.floor(math.log10(abs(v)))), 0))
    return int(r) if float(r).is_integer() else r


def default_landmarks(max_time: float, time_unit: str | None) -> list[float]:
    """Landmark times used when none are given (see the module docstring)."""
    if time_unit in _DAYS_PER:
        f = 365.25 / _DAYS_PER[time_unit]
        cand = [y * f for y in _YEARS if y * f < max_time]
        if len(cand) >= 2:
            return [float(_r(c, 6)) for c in cand]
    if max_time <= 0:
        return [0.0]
    out = []
    for q in (0.25, 0.5, 0.75):
        x = q * max_time
        v = float(round(x, 1 - int(math.floor(math.log10(x)))))  # two significant digits
        if v not in out:
            out.append(v)
    return out


def _check_times(times) -> list[float]:
    out = []
    for t in np.atleast_1d(np.asarray(times, dtype=float)).tolist():
        if not math.isfinite(t) or t < 0:
            raise OptionError(f"landmark times must be finite and non-negative, got {t:g}")
        out.append(t)
    return out


def _group_summary(label, d, times, tau, conf_type, conf_level) -> GroupSummary:
    km = kaplan_meier(d, conf_type=conf_type, conf_level=conf_level)
    return GroupSummary(label, d.n, d.n_events, km, km.median(), tuple(km.landmarks(times)),
                        km.rmst(tau))


def summarize(data, *, times=None, tau=None, conf_type: str = "log-log",
              conf_level: float = 0.95, cause=None, reference=None,
              strata=None) -> Summary:
    """Kaplan-Meier overall ("all", first) and per group: medians with limits, survival at
    landmark ``times``, RMST to ``tau``, the curves, reverse-KM median follow-up and the
    log-rank test across groups.  With a cause of event (``--event-type``) the Kaplan-Meier
    part is of "any event" and ``competing`` holds the competing-risks block (cumulative
    incidences, Gray's test, Fine-Gray, cause-specific Cox; ``cause`` listed first).

    >>> from remission.datasets import load_example
    >>> s = summarize(load_example("lung"), times=[365], tau=730)
    >>> [g.group for g in s.groups], s.groups[0].median.estimate
    (['all', '1', '2'], 310.0)
    >>> round(s.logrank.chisq, 2)
    10.33
    """
    from ..data.survival_data import SurvivalData

    if not isinstance(data, SurvivalData):
        raise DataError("summarize() takes SurvivalData (see remission.read_survival)")
    if data.n_events == 0:
        raise DataError("no events: nothing to summarise", column=data.meta.get(
            "event_column", "event"))
    max_time = float(np.max(data.time))
    if max_time <= 0:
        raise DataError("every time is 0: there is no follow-up to summarise",
                        column=data.meta.get("time_column", "time"))
    times = default_landmarks(max_time, data.time_unit) if times is None else _check_times(times)
    if tau is None:
        tau = max_time
    tau = float(tau)
    from ..limits import MAX_TIME

    if not math.isfinite(tau) or not 0 < tau <= MAX_TIME:
        raise OptionError(f"--tau must be a positive number up to {MAX_TIME:g}, got {tau:g}")
    notes = list(data.meta.get("notes", []))
    groups = [_group_summary("all", data, times, tau, conf_type, conf_level)]
    lr = None
    gcol = data.meta.get("group_column") if data.group is not None else None
    if data.group is not None:
        if gcol is None:
            gcol = "group"
        for lev, sub in data.by_group():
            groups.append(_group_summary(lev, sub, times, tau, conf_type, conf_level))
        keep = np.array([v is not None for v in data.group], dtype=bool)
        from ..limits import MAX_LOGRANK_GROUPS

        if len(groups) - 1 > MAX_LOGRANK_GROUPS:  # its variance matrix is groups x groups
            notes.append(f"log-rank test not computed: {len(groups) - 1} groups, more than "
                         f"{MAX_LOGRANK_GROUPS} (a limit of remission)")
        elif len(groups) > 2:
            if data.entry is not None or data.weights is not None:
                notes.append("log-rank test not computed: it does not support delayed entry "
                             "or case weights")
            else:
                lr = logrank_test(data.time[keep], data.event[keep], data.group[keep])
        elif len(groups) == 2:
            notes.append("one group only: no log-rank test")
    hrs = rmd = None
    why = ""
    if len(groups) > 2:  # the groups against the reference (Cox HR, RMST difference)
        from .contrasts import hazard_ratios, reference_level, rmst_differences

        ref = reference_level(data.group_levels(), reference, gcol)
        hrs, why = hazard_ratios(data, ref, conf_level, strata)
        rmd = rmst_differences(groups, ref, conf_level)
    elif reference is not None or strata is not None:
        raise OptionError(f"--{'reference' if reference is not None else 'strata'} needs "
                          "--group with at least two groups")
    # unweighted (R's survfit(Surv(time, 1 - status) ~ 1)), on the rows validated already
    mf = median_followup(replace(data, weights=None))
    cols = {"time": data.meta.get("time_column"), "event": data.meta.get("event_column"),
            "coding": data.meta.get("event_coding"), "group": gcol}
    competing = None
    if data.cause is not None:
        from .competing_summary import competing_summary

        competing = competing_summary(data, times, conf_type=conf_type,
                                      conf_level=conf_level, cause=cause)
    elif cause is not None:
        raise OptionError("--cause needs --event-type (the column holding the causes)")
    return Summary(data.n, data.n_events, tuple(groups), mf, lr, tuple(times), tau,
                   groups[0].km.conf_type, groups[0].km.conf_level, data.time_unit, gcol,
                   tuple(notes), {k: v for k, v in cols.items() if v is not None},
                   competing, hrs, rmd, why)
