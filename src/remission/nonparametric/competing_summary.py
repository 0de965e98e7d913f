"""The ``competing_risks`` block of ``remission summary --event-type COL`` (SPEC.md).

Per group ("all" first): the Aalen-Johansen cumulative incidence of every cause and the
event-free probability (:mod:`.competing`; limits as R's ``survfit(..., conf.type=)`` with the
summary's ``--conf-type``), at the summary's landmarks and as curves.  With two or more
groups: Gray's test per cause (:mod:`.competing_gray`), Fine-Gray and cause-specific Cox
contrasts against the first group (:mod:`.competing_regression`).  A regression that does
not converge is reported with ``"converged": false`` and no contrasts, never as a result.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import ConvergenceError, DataError
from .competing import EVENT_FREE, cumulative_incidence


@dataclass(frozen=True, eq=False)
class CompetingSummary:
    causes: tuple
    groups: tuple            # ((label, CumulativeIncidence), ...), "all" first
    times: tuple
    gray: tuple | None
    fine_gray: tuple | None  # ({"cause", "converged", "contrasts"}, ...)
    cause_specific: tuple | None
    group_column: str | None = None
    cause_of_interest: str | None = None
    notes: tuple = field(default=())

    def to_dict(self) -> dict:
        groups = []
        for label, ci in self.groups:
            cifs = [{"cause": c, "landmarks": ci.landmarks(self.times, c), "curve": ci.curve(c)}
                    for c in self.causes]
            groups.append({"group": label, "n": int(ci.n_risk[0]) if ci.time.size else 0,
                           "cifs": cifs,
                           "event_free": {"landmarks": ci.landmarks(self.times, EVENT_FREE),
                                          "curve": ci.curve(EVENT_FREE)}})
        return {"causes": list(self.causes), "cause_of_interest": self.cause_of_interest,
                "method": "aalen-johansen", "se": "infinitesimal jackknife (R survfit)",
                "conf_type": self.groups[0][1].conf_type,
                "conf_level": self.groups[0][1].conf_level,
                "groups": groups,
                "gray_test": None if self.gray is None else [g.as_dict() for g in self.gray],
                "fine_gray": None if self.fine_gray is None else [dict(x) for x in self.fine_gray],
                "cause_specific": None if self.cause_specific is None
                else [dict(x) for x in self.cause_specific],
                "notes": list(self.notes)}

    def to_text(self) -> str:
        from ..table import SummaryTable
        from .summary import _r

        lvl = f"{self.groups[0][1].conf_level:g}"
        ct = self.groups[0][1].conf_type
        rows = []
        for label, ci in self.groups:
            lab = label if label == "all" or not self.group_column else \
                f"{self.group_column}={label}"
            for c in self.causes + (EVENT_FREE,):
                got = ci.at(self.times, c)
                for i, t in enumerate(self.times):
                    rows.append((lab, c, _r(t), _r(got["estimate"][i], 3), _r(got["se"][i], 3),
                                 _r(got["lower"][i], 3), _r(got["upper"][i], 3)))
        out = [SummaryTable(f"Competing risks: cumulative incidence (Aalen-Johansen; "
                            f"{ct} {lvl} CI)",
                            ("group", "cause", "time", "incidence", "se", "lower", "upper"),
                            tuple(rows), ("* event-free: probability of no event of any cause; "
                                          "it and the incidences add to 1",)).to_text()]
        if self.gray is not None:
            for g in self.gray:
                out.append(f"Gray's test, cause {g.cause}: chisq = {g.statistic:.4g} on "
                           f"{g.df} df, p = {g.p:.4g}")
        for title, block in (("Fine-Gray subdistribution hazard", self.fine_gray),
                             ("Cause-specific Cox hazard", self.cause_specific)):
            if block is None:
                continue
            for x in block:
                if not x["converged"]:
                    out.append(f"{title} ratios, cause {x['cause']}: did not converge")
                    continue
                parts = [f"{c['group']}: {np.exp(c['coef']):.3g} (p = {c['p']:.3g})"
                         for c in x["contrasts"]]
                out.append(f"{title} ratios, cause {x['cause']} (vs {x['reference']}): "
                           + "; ".join(parts))
        out.extend(f"note: {n}" for n in self.notes)
        return "\n".join(out)


def _contrasts(fit, names):
    se = np.sqrt(np.diag(fit.cov))
    from scipy.special import ndtr

    p = 2 * ndtr(-np.abs(fit.coef / se))
    return [{"group": g, "coef": float(b), "se": float(s), "p": float(pp),
             "ratio": float(np.exp(b))} for g, b, s, pp in zip(names, fit.coef, se, p)]


def competing_summary(data, times, *, conf_type: str = "log-log", conf_level: float = 0.95,
                      cause=None) -> CompetingSummary:
    """The ``competing_risks`` block for ``data`` (with ``data.cause``) at landmark ``times``.
    ``cause`` (the cause of interest) is listed first."""
    from .competing_gray import gray_test
    from .competing_regression import cause_specific_cox, fine_gray_groups

    if data.cause is None:
        raise DataError("no cause of event: give --event-type", column="cause")
    causes = list(data.cause_levels())
    if cause is not None:
        cause = str(cause)
        if cause not in causes:
            raise DataError(f"--cause {cause}: no events of that cause (causes: "
                            f"{', '.join(causes)})", column=data.meta.get("event_column"))
        causes.remove(cause)
        causes.insert(0, cause)
    groups = [("all", cumulative_incidence(data, causes=causes, conf_type=conf_type,
                                           conf_level=conf_level))]
    gray = fg = cs = None
    notes = []
    gcol = data.meta.get("group_column") if data.group is not None else None
    if data.group is not None:
        for lev, sub in data.by_group():
            groups.append((lev, cumulative_incidence(sub, causes=causes,
                                                     conf_type=conf_type,
                                                     conf_level=conf_level)))
        levels = data.group_levels()
        from ..limits import MAX_LOGRANK_GROUPS

        if len(levels) > MAX_LOGRANK_GROUPS:
            notes.append(f"competing-risks tests and regressions not computed: {len(levels)} "
                         f"groups, more than {MAX_LOGRANK_GROUPS}")
        elif len(levels) >= 2:
            gray, fg, cs = [], [], []
            for c in causes:
                try:
                    gray.append(gray_test(data, c))
                except DataError as e:
                    notes.append(f"Gray's test for cause {c} not reported: {e}")
                for fitter, acc, label in ((fine_gray_groups, fg, "Fine-Gray"),
                                           (cause_specific_cox, cs, "cause-specific Cox")):
                    try:
                        fit = fitter(data, c)
                        acc.append({"cause": c, "reference": levels[0], "converged": True,
                                    "contrasts": _contrasts(fit, levels[1:])})
                    except (ConvergenceError, DataError) as e:
                        acc.append({"cause": c, "reference": levels[0], "converged": False,
                                    "contrasts": []})
                        notes.append(f"{label} model for cause {c} not reported: {e}")
            gray, fg, cs = tuple(gray), tuple(fg), tuple(cs)
    return CompetingSummary(tuple(causes), tuple(groups), tuple(float(t) for t in times), gray,
                            fg, cs, gcol, cause, tuple(notes))
