"""The ``remission fit --competing`` document and its text: one cohort or one per group.

:func:`competing_document` fits every cause of each cohort (the whole data, or each group
alone) with :func:`~remission.models.competing.fit.fit_competing`, with general-population
mortality built by the one builder (:func:`remission.models.background.background_for`), and
returns ``{"competing_risks_parametric": block}`` or, with groups, ``{"group_column",
"groups": [{"group", "competing_risks_parametric"}]}``.  :func:`competing_text` renders it.
"""
from __future__ import annotations

from ...table import SummaryTable
from .fit import fit_competing


def competing_document(data, dist="weibull", *, cause=None, knots: int = 1,
                       scale: str = "hazard", conf_level: float = 0.95, lifetable=None,
                       age=None, sex=None, year=None, smr: float = 1.0, nrm_cause=None,
                       nrm_from=None, times=None, horizon=None) -> dict:
    """See the module docstring; ``data`` with a group column is fitted group by group."""
    from ..background import background_for

    def one(d):
        bg = background_for(d, lifetable, age, sex, year)
        if bg is not None:
            bg = bg.with_options(smr)
        cr = fit_competing(d, dist, cause=cause, knots=knots, scale=scale,
                           conf_level=conf_level, background=bg, nrm_cause=nrm_cause,
                           nrm_from=nrm_from, smr=smr if bg is not None else None)
        return cr.as_dict(times, horizon)

    if data.group is None:
        return {"competing_risks_parametric": one(data)}
    from ...errors import RemissionError

    groups = []
    for label, d in data.by_group():
        try:
            groups.append({"group": label, "competing_risks_parametric": one(d)})
        except RemissionError as e:
            raise type(e)(f"group '{label}': {e}") from None
    return {"group_column": data.meta.get("group_column"), "groups": groups}


def best_families(data, candidates, *, knots: int = 1, scale: str = "hazard") -> dict:
    """{cause: the family of ``candidates`` with the lowest AIC for that cause} (each cause
    fitted with the others censored; families that fail or do not converge are passed
    over; an error when none converges for a cause)."""
    from ...errors import ConvergenceError, RemissionError
    from ..spec import ModelSpec

    out = {}
    for c in data.cause_levels():
        d, best = data.for_cause(c), None
        for fam in candidates:
            try:
                f = ModelSpec(dist=fam, knots=knots, scale=scale).fit(d)
            except RemissionError:
                continue
            if best is None or f.aic < best[1]:
                best = (fam, f.aic)
        if best is None:
            raise ConvergenceError(f"cause '{c}': no family of {', '.join(candidates)} "
                                   "converged")
        out[c] = best[0]
    return out


def _f(v, digits: int = 3) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def block_text(b: dict, title: str = "") -> str:
    """Readable text of one ``competing_risks_parametric`` block."""
    pct = f"{100 * b['conf_level']:g}%"
    unit = f", time in {b['time_unit']}" if b.get("time_unit") else ""
    rows = []
    for m in b["models"]:
        for p in m["parameters"]:
            rows.append((m["cause"], m["dist"], m["events"], p["name"], p["estimate"],
                         p["lower"], p["upper"], m["aic"]))
    out = [SummaryTable(f"{title}Competing risks, parametric cause-specific hazards (n = "
                        f"{b['n']}{unit})",
                        ("cause", "dist", "events", "parameter", "estimate", f"lower {pct}",
                         f"upper {pct}", "AIC"), tuple(rows),
                        (f"each cause fitted with the other causes censored; total "
                         f"log-likelihood = {b['loglik']:.4f}, AIC = {b['aic']:.3f}",)).to_text()]
    names = [c["cause"] for c in b["cifs"]] + ["event-free"]
    series = [c["landmarks"] for c in b["cifs"]] + [b["event_free"]["landmarks"]]
    rows = []
    for i, r in enumerate(series[0]):
        rows.append((r["time"],) + tuple(f"{_f(s[i]['estimate'])} ({_f(s[i]['lower'])}, "
                                         f"{_f(s[i]['upper'])})" for s in series))
    foot = [f"cumulative incidence of each cause and event-free probability, {pct} delta-"
            f"method intervals ({b['interval_scale']} scale); the last row is the horizon"]
    nrm = b.get("nrm_population")
    if nrm:
        foot.append(f"death without relapse ({nrm['cause']}): from t = {nrm['from']:g} the "
                    f"hazard is max(fitted, SMR x general-population hazard), SMR = "
                    f"{nrm['smr']:g}")
        foot += [f"note: {n}" for n in nrm.get("notes") or []]
    out.append(SummaryTable("Cumulative incidence (extrapolated to the horizon)",
                            ("time",) + tuple(names), tuple(rows), tuple(foot)).to_text())
    return "\n\n".join(out)


def competing_text(doc: dict) -> str:
    """Readable text of :func:`competing_document`'s document."""
    if "groups" not in doc:
        return block_text(doc["competing_risks_parametric"])
    col = doc.get("group_column") or "group"
    return "\n\n".join(block_text(g["competing_risks_parametric"], f"{col} = {g['group']}: ")
                       for g in doc["groups"])
