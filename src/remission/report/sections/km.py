"""Kaplan-Meier per group with a KMunicate-style numbers-at-risk table, medians, landmarks,
restricted mean and the log-rank test."""
from __future__ import annotations

import numpy as np

from .. import compute
from ..format import esc, fixed, pct, pvalue, unit_ticks
from ...plots.interactive import PALETTE, km_figure
from . import Section


def curves(ctx):
    """(label, KaplanMeier) per group, or the single overall curve."""
    if ctx.grouped:
        return [(lab, compute.km(ctx, sub, lab)) for lab, sub in ctx.data.by_group()]
    return [("all", compute.km(ctx, ctx.data, "all"))]


def risk_table(k, ticks) -> dict:
    """Numbers at risk, cumulative censored and cumulative events at each tick (KMunicate)."""
    t = np.asarray(ticks, float)
    at_risk = k.n_risk_at(t)
    cum_e = np.array([k.n_event[k.time <= x].sum() for x in t])
    cum_c = np.array([k.n_censor[k.time <= x].sum() for x in t])
    at_risk = np.where(t == 0, k.n, at_risk)
    return {"time": t.tolist(), "at_risk": at_risk.tolist(), "censored": cum_c.tolist(),
            "events": cum_e.tolist()}


def build(ctx) -> Section:
    s = compute.summary(ctx)
    unit = ctx.unit
    tmax = float(np.max(ctx.data.time))
    ticks = unit_ticks(tmax, unit)
    cs = curves(ctx)
    tables = {lab: risk_table(k, ticks) for lab, k in cs}
    fig = km_figure([(ctx.name(lab), k) for lab, k in cs], unit, max(ticks[-1], tmax) * 1.02,
                    ticks, {ctx.name(lab): tb for lab, tb in tables.items()})
    u = f" ({esc(unit)})" if unit else ""
    body = ["<div class='plot' id='fig-km' role='img' aria-label='Kaplan-Meier curves'></div>"]
    # numbers at risk, KMunicate style
    head = "".join(f"<th>{fixed(t, 0) if float(t).is_integer() else fixed(t, 1)}</th>"
                   for t in ticks)
    rows = []
    for i, (lab, tb) in enumerate(tables.items()):
        name = esc(ctx.name(lab))
        rows.append(f"<tr class='gh'><th colspan='{len(ticks) + 1}' style='color:"
                    f"{PALETTE[i % len(PALETTE)]}'>{name}</th></tr>")
        for key, what in (("at_risk", "At risk"), ("censored", "Censored"),
                          ("events", "Events")):
            rows.append(f"<tr><th>{what}</th>" + "".join(f"<td>{int(v)}</td>" for v in tb[key])
                        + "</tr>")
    body.append(f"<table class='risk num'><thead><tr><th>Time{u}</th>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")
    body.append("<p class='small'>Numbers at risk at each time; censored and events are "
                "cumulative counts up to that time (KMunicate style).</p>")
    # medians and landmarks
    groups = s["groups"] if ctx.grouped else s["groups"][:1]
    lm_times = [r["time"] for r in (groups[0].get("landmarks") or [])]
    th = "".join(f"<th>S({fixed(t, 0) if float(t).is_integer() else fixed(t, 1)})</th>"
                 for t in lm_times)
    trs = []
    for g in groups:
        med = g.get("median") or {}
        cells = "".join(f"<td>{pct(r['survival'], 1)}<br><span class='ci'>"
                        f"{pct(r['lower'], 1)} to {pct(r['upper'], 1)}</span></td>"
                        for r in g.get("landmarks") or [])
        rm = g.get("rmst") or {}
        trs.append(f"<tr><th>{esc(ctx.name(g['group']))}</th>"
                   f"<td>{g['n']}</td><td>{g['events']}</td>"
                   f"<td>{fixed(med.get('estimate'))}<br><span class='ci'>"
                   f"{fixed(med.get('lower'))} to {fixed(med.get('upper'))}</span></td>{cells}"
                   f"<td>{fixed(rm.get('estimate'))}<br><span class='ci'>SE "
                   f"{fixed(rm.get('se'), 2)}</span></td></tr>")
    tau = (groups[0].get("rmst") or {}).get("tau")
    body.append(f"<table class='num'><thead><tr><th></th><th>n</th><th>Events</th>"
                f"<th>Median{u}<br><span class='ci'>95% CI</span></th>{th}"
                f"<th>RMST to {fixed(tau)}{u}</th></tr></thead><tbody>{''.join(trs)}</tbody>"
                "</table>")
    body.append("<p class='small'>NR: not reached. Pointwise 95% confidence intervals on the "
                "log-log scale (as R's <code>survfit(conf.type = \"log-log\")</code>).</p>")
    lr = s.get("logrank")
    if lr:
        body.append(f"<p>Log-rank test: &chi;<sup>2</sup> = {fixed(lr['chisq'], 2)} on "
                    f"{lr['df']} df, p = {pvalue(lr['p'])}.</p>")
    for c in (s.get("hazard_ratios") or {}).get("contrasts", []):  # against the reference
        ref = s["hazard_ratios"]["reference"]
        body.append(f"<p>Hazard ratio {esc(ctx.name(c['group']))} vs {esc(ctx.name(ref))} "
                    f"(Cox, Efron ties): {fixed(c['estimate'], 2)} (95% CI "
                    f"{fixed(c['lower'], 2)} to {fixed(c['upper'], 2)}), p = "
                    f"{pvalue(c['p'])}.</p>")
    for c in s.get("rmst_differences") or []:
        body.append(f"<p>RMST difference {esc(ctx.name(c['group']))} minus "
                    f"{esc(ctx.name(c['reference']))} to {fixed(c['tau'])}{u}: "
                    f"{fixed(c['estimate'])} (95% CI {fixed(c['lower'])} to "
                    f"{fixed(c['upper'])}).</p>")
    data = {"summary": s, "risk_table": {"times": ticks, "groups": tables}}
    return Section("km", "Kaplan-Meier", "\n".join(body), data, {"fig-km": fig})
