"""Competing risks (``--event-type``): the cumulative incidence of each cause stacked with the
event-free probability per group, landmarks with confidence intervals, Gray's test, and with
a cause of interest (``--cause relapse``) the fraction cured of the disease beside the
endpoint's.

Every number is the ``competing_risks`` block of ``remission summary --event-type`` (the
report's one summary, :func:`remission.report.compute.summary`), the disease-cure fit of
:func:`remission.report.compute.disease_cure`, or the parametric cause-specific incidences
extrapolated to the horizon (``remission fit --competing``'s block,
:func:`remission.report.compute.competing_parametric`), drawn over the Aalen-Johansen steps;
nothing is computed here.
"""
from __future__ import annotations

import numpy as np

from .. import compute
from ..format import esc, fixed, pct, pvalue, unit_ticks
from ...plots.interactive_cif import cif_overlay_figure, cif_stacked_figure, color
from . import Section


def _layers(g: dict, causes: list) -> list:
    """(state, estimate) bottom to top: the causes in order, then the event-free state."""
    out = [(c["cause"], c["curve"]["estimate"]) for c in g["cifs"]]
    return out + [("event-free", g["event_free"]["curve"]["estimate"])]


def _cell(r: dict) -> str:
    return (f"<td>{pct(r['estimate'], 1)}<br><span class='ci'>{pct(r['lower'], 1)} to "
            f"{pct(r['upper'], 1)}</span></td>")


def build(ctx) -> Section | None:
    if ctx.data.cause is None:
        return None
    cr = compute.summary(ctx)["competing_risks"]
    unit = ctx.unit
    u = f" ({esc(unit)})" if unit else ""
    tmax = float(np.max(ctx.data.time))
    ticks = unit_ticks(tmax, unit)
    xmax = max(ticks[-1], tmax) * 1.02
    groups = [g for g in cr["groups"] if g["group"] != "all"] if ctx.grouped else \
        cr["groups"][:1]
    causes = list(cr["causes"])
    body, figs = [], {}
    interest = cr.get("cause_of_interest")
    body.append("<p>Each event is one of " + ", ".join(f"<b>{esc(c)}</b>" for c in causes)
                + ". The Aalen-Johansen cumulative incidence of each cause (as R's multi-state "
                "<code>survfit</code>) is stacked from the bottom"
                + (f" ({esc(interest)} first)" if interest else "")
                + ", the probability of being event-free on top: the layers add to one at "
                "every time.</p>")
    for i, g in enumerate(groups):
        fid = f"fig-cif-{i}"
        if len(groups) > 1:
            body.append(f"<h3>{esc(ctx.name(g['group']))}</h3>")
        body.append(f"<div class='plot' id='{fid}' role='img' aria-label='stacked cumulative "
                    f"incidence, {esc(ctx.name(g['group']))}'></div>")
        curve = g["event_free"]["curve"]
        figs[fid] = cif_stacked_figure(curve["time"], _layers(g, causes), unit, xmax, ticks)
    # landmarks with CIs
    lm = [r["time"] for r in groups[0]["event_free"]["landmarks"]] if groups else []
    th = "".join(f"<th>t = {fixed(t, 0) if float(t).is_integer() else fixed(t, 1)}</th>"
                 for t in lm)
    trs = []
    for g in groups:
        trs.append(f"<tr class='gh'><th colspan='{len(lm) + 1}'>{esc(ctx.name(g['group']))}"
                   f" (n = {g['n']})</th></tr>")
        for j, c in enumerate(g["cifs"] + [dict(g["event_free"], cause="event-free")]):
            sw = color(j, c["cause"], "event-free")
            trs.append(f"<tr><th><span style='color:{sw}'>&#9632;</span> {esc(c['cause'])}"
                       "</th>" + "".join(_cell(r) for r in c["landmarks"]) + "</tr>")
    lvl = f"{100 * float(cr['conf_level']):g}%"
    body.append(f"<table class='num'><thead><tr><th>Time{u}</th>{th}</tr></thead>"
                f"<tbody>{''.join(trs)}</tbody></table>")
    body.append(f"<p class='small'>Cumulative incidence of each cause and event-free "
                f"probability at the landmarks, {lvl} pointwise confidence intervals "
                f"({esc(cr['conf_type'])} scale; standard errors by the infinitesimal "
                "jackknife, as R's <code>survfit</code>). The same numbers as "
                "<code>remission summary --event-type</code>.</p>")
    for gt in cr.get("gray_test") or []:
        body.append(f"<p>Gray's test, cause {esc(gt['cause'])}: &chi;<sup>2</sup> = "
                    f"{fixed(gt['statistic'], 2)} on {gt['df']} df, p = "
                    f"{pvalue(gt['p'])}.</p>")
    data = {"competing_risks": cr}
    _parametric(ctx, groups, body, figs, data)
    if interest is not None:
        _disease_cure(ctx, interest, body, data)
    for n in cr.get("notes") or []:
        body.append(f"<p class='small'>Note: {esc(n)}</p>")
    return Section("competing", "Competing risks", "\n".join(body), data, figs)


def _disease_cure(ctx, cause, body, data):
    """The fraction cured of the disease (``cause``) beside the endpoint's cure fraction."""
    rows, out = [], []
    for c in ctx.cohorts:
        dc = compute.disease_cure(ctx, c)
        if dc is None or "error" in dc:
            continue
        out.append({"cohort": c.label, **dc})
        cells = "".join(
            "<td>-</td>" if v is None else
            f"<td>{pct(v['estimate'], 1)}<br><span class='ci'>{pct(v['lower'], 1)} to "
            f"{pct(v['upper'], 1)}</span></td>"
            for v in (dc["cure_fraction_disease"], dc.get("never_crude"),
                      dc["cure_fraction_endpoint"]))
        rows.append(f"<tr><th>{esc(ctx.name(c.label))}</th>{cells}"
                    f"<td>{esc(dc['dist'])}</td></tr>")
    data["disease_cure"] = out
    if not rows:
        return
    body.append(f"<h3>Cured of the disease ({esc(cause)})</h3>")
    body.append(f"<table class='num'><thead><tr><th></th><th>Cured of {esc(cause)}</th>"
                f"<th>Never {esc(cause)} (crude)</th>"
                "<th>Cured, any event (endpoint)</th><th>Latency</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")
    body.append(f"<p class='small'>Mixture cure models. Cured of {esc(cause)}: the fraction "
                f"who would never have {esc(cause)}, the other causes competing (a cured "
                "patient may still die of another cause; the other causes are censored, and "
                "their hazard is assumed not to depend on cure status). Endpoint: any event "
                "ends the cure, so a cured patient who dies of another cause counts as not "
                "cured and the endpoint's fraction is the lower. "
                f"Never {esc(cause)} (crude): 1 - the probability of ever having "
                f"{esc(cause)} with the other causes competing (the plateau of its cumulative "
                "incidence; Larson &amp; Dinse mixture model, same family): patients who die "
                "first count among them. "
                f"{100 * ctx.options.conf_level:g}% confidence intervals.</p>")


def _parametric(ctx, groups, body, figs, data):
    """Parametric cause-specific hazards and the incidences they imply, extrapolated to the
    horizon, over the Aalen-Johansen steps (:func:`remission.report.compute.
    competing_parametric`)."""
    cohorts = {c.label: c for c in ctx.cohorts}
    out, rows, nrm = [], [], None
    for i, g in enumerate(groups):
        c = cohorts.get(g["group"])
        p = None if c is None else compute.competing_parametric(ctx, c)
        if p is None or "error" in p:
            continue
        out.append({"cohort": g["group"], **p})
        nrm = nrm or p.get("nrm_population")
        h = float(p["horizon"])
        fid = f"fig-cifp-{i}"
        steps = [(x["cause"], x["curve"]["time"], x["curve"]["estimate"]) for x in g["cifs"]]
        steps.append(("event-free", g["event_free"]["curve"]["time"],
                      g["event_free"]["curve"]["estimate"]))
        lines = [(x["cause"], x["curve"]["time"], x["curve"]["estimate"], x["curve"]["lower"],
                  x["curve"]["upper"]) for x in p["cifs"]]
        ef = p["event_free"]["curve"]
        lines.append(("event-free", ef["time"], ef["estimate"], ef["lower"], ef["upper"]))
        ticks = unit_ticks(h, ctx.unit)
        figs[fid] = cif_overlay_figure(steps, lines, ctx.unit, max(ticks[-1], h) * 1.02, ticks,
                                       observed_max=float(np.max(c.data.time)))
        rows.append((g, p, fid))
    data["competing_parametric"] = out
    if not rows:
        return
    lm = [r["time"] for r in rows[0][1]["event_free"]["landmarks"]]
    th = "".join(f"<th>t = {fixed(t, 0) if float(t).is_integer() else fixed(t, 1)}</th>"
                 for t in lm)
    body.append("<h3>Parametric cause-specific hazards, extrapolated</h3>")
    trs = []
    for g, p, fid in rows:
        if len(rows) > 1:
            body.append(f"<h4>{esc(ctx.name(g['group']))}</h4>")
        body.append(f"<div class='plot' id='{fid}' role='img' aria-label='parametric and "
                    f"Aalen-Johansen cumulative incidence, {esc(ctx.name(g['group']))}'>"
                    "</div>")
        trs.append(f"<tr class='gh'><th colspan='{len(lm) + 1}'>{esc(ctx.name(g['group']))}"
                   "</th></tr>")
        fam = {m["cause"]: m for m in p["models"]}
        for x in p["cifs"] + [dict(p["event_free"], cause="event-free")]:
            m = fam.get(x["cause"])
            lab = esc(x["cause"]) + (f" <span class='small'>({esc(m['dist'])}, AIC "
                                     f"{fixed(m['aic'], 1)})</span>" if m else "")
            trs.append(f"<tr><th>{lab}</th>" + "".join(_cell(r) for r in x["landmarks"])
                       + "</tr>")
    body.append(f"<table class='num'><thead><tr><th>Time</th>{th}</tr></thead>"
                f"<tbody>{''.join(trs)}</tbody></table>")
    rule = ""
    if nrm:
        rule = (f" Death without relapse ({esc(nrm['cause'])}) never falls below the matched "
                f"general population's mortality times the SMR ({nrm['smr']:g}): its hazard is "
                "max(fitted, SMR &times; population hazard)"
                + (f" from t = {nrm['from']:g} on (--nrm-from)." if nrm.get("from") else "."))
    body.append("<p class='small'>Each cause's hazard is fitted with the other causes "
                "censored (the likelihood factorises), the family with the lowest AIC among "
                "the report's families; the cumulative incidence F<sub>k</sub>(t) = &int; "
                "h<sub>k</sub>(u) S(u) du with S = exp(&minus;&Sigma; H<sub>k</sub>), "
                "extrapolated to the horizon (last column). Dashed: parametric, with "
                f"{100 * ctx.options.conf_level:g}% delta-method bands; steps: Aalen-Johansen; "
                "dotted: the end of follow-up. As <code>remission fit --event-type "
                f"--competing</code>.{rule}</p>")
