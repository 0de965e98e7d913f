"""The ``remission fit --competing`` document and its text: one cohort or one per group.

:func:`competing_document` fits every cause of each cohort (the whole data, or each group
alone) with :func:`~remission.models.competing.fit.fit_competing`, with general-population
mortality built by the one builder (:func:`remission.models.background.background_for`), and
returns ``{"competing_risks_parametric": block}`` or, with groups, ``{"group_column",
"groups": [{"group", "competing_risks_parametric"}]}`` (``competing_risks_mixture`` for the
Larson-Dinse mixture model).  :func:`competing_text` renders it.
"""
from __future__ import annotations

from ...table import SummaryTable
from .fit import fit_competing


def competing_document(data, dist="weibull", *, cause=None, knots: int = 1,
                       scale: str = "hazard", conf_level: float = 0.95, lifetable=None,
                       age=None, sex=None, year=None, smr: float = 1.0, nrm_cause=None,
                       nrm_from=None, times=None, horizon=None, mixture: bool = False) -> dict:
    """See the module docstring; ``data`` with a group column is fitted group by group.
    ``mixture``: the Larson-Dinse mixture model instead (:func:`~.mixture.fit_mixture`, block
    ``competing_risks_mixture``; no general-population mortality)."""
    from ..background import background_for

    key = "competing_risks_mixture" if mixture else "competing_risks_parametric"

    def one(d):
        if mixture:
            from .mixture import fit_mixture

            return fit_mixture(d, dist, cause=cause, knots=knots, scale=scale,
                               conf_level=conf_level).as_dict(times, horizon)
        bg = background_for(d, lifetable, age, sex, year)
        if bg is not None:
            bg = bg.with_options(smr)
        cr = fit_competing(d, dist, cause=cause, knots=knots, scale=scale,
                           conf_level=conf_level, background=bg, nrm_cause=nrm_cause,
                           nrm_from=nrm_from, smr=smr if bg is not None else None)
        return cr.as_dict(times, horizon)

    if data.group is None:
        return {key: one(data)}
    from ...errors import RemissionError

    groups = []
    for label, d in data.by_group():
        try:
            groups.append({"group": label, key: one(d)})
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


def mixture_text(b: dict, title: str = "") -> str:
    """Readable text of one ``competing_risks_mixture`` block."""
    pct = f"{100 * b['conf_level']:g}%"
    unit = f", time in {b['time_unit']}" if b.get("time_unit") else ""
    rows = [(p["cause"], "probability (pi)", p["estimate"], p["lower"], p["upper"])
            for p in b["probabilities"]]
    for m in b["models"]:
        rows += [(m["cause"], f"{m['dist']} {p['name']}", p["estimate"], p["lower"],
                  p["upper"]) for p in m["parameters"]]
    nv = b["never"]
    foot = [f"pi = the probability of ever having the cause, the others competing; "
            f"log-likelihood = {b['loglik']:.4f}, AIC = {b['aic']:.3f}",
            f"never {nv['cause']} (crude: deaths from other causes included): "
            f"{_f(nv['estimate'])} ({_f(nv['lower'])}, {_f(nv['upper'])})"]
    foot += [f"note: {n}" for n in b.get("notes") or []]
    out = [SummaryTable(f"{title}Competing risks, mixture model (Larson & Dinse 1985; n = "
                        f"{b['n']}{unit})", ("cause", "parameter", "estimate", f"lower {pct}",
                                              f"upper {pct}"), tuple(rows),
                        tuple(foot)).to_text()]
    out.append(_landmarks_text(b, pct))
    return "\n\n".join(out)


def _landmarks_text(b: dict, pct: str) -> str:
    names = [c["cause"] for c in b["cifs"]] + ["event-free"]
    series = [c["landmarks"] for c in b["cifs"]] + [b["event_free"]["landmarks"]]
    rows = [(r["time"],) + tuple(f"{_f(s[i]['estimate'])} ({_f(s[i]['lower'])}, "
                                 f"{_f(s[i]['upper'])})" for s in series)
            for i, r in enumerate(series[0])]
    return SummaryTable("Cumulative incidence (extrapolated to the horizon)",
                        ("time",) + tuple(names), tuple(rows),
                        (f"{pct} delta-method intervals ({b['interval_scale']} scale); the "
                         "last row is the horizon",)).to_text()


def competing_text(doc: dict) -> str:
    """Readable text of :func:`competing_document`'s document."""
    def text(d, title=""):
        if "competing_risks_mixture" in d:
            return mixture_text(d["competing_risks_mixture"], title)
        return block_text(d["competing_risks_parametric"], title)

    if "groups" not in doc:
        return text(doc)
    col = doc.get("group_column") or "group"
    return "\n\n".join(text(g, f"{col} = {g['group']}: ") for g in doc["groups"])
