"""Cure fractions side by side (nonparametric, mixture, non-mixture) with confidence
intervals, and the probability of cure given event-free survival to t."""
from __future__ import annotations

import numpy as np

from .. import compute
from ..format import esc, fixed, pct, unit_ticks
from ...plots.interactive import MODEL_COLORS, cure_fraction_figure, cure_probability_figure
from ...table import json_number
from . import Section


def nonparametric(ctx, c) -> dict:
    """Kaplan-Meier at the last event time (Maller and Zhou's estimator) with its CI."""
    ct = compute.cure_test(ctx, c)
    if ct and "cure_fraction" in ct:
        cf = ct["cure_fraction"]
        return {"method": cf.get("method", "Kaplan-Meier at the last event time"),
                "estimate": cf["estimate"], "lower": cf.get("lower"), "upper": cf.get("upper")}
    k = compute.km(ctx, c.data, c.label)
    t_last = float(np.max(c.data.time[c.data.event]))
    lo, hi = k.ci_at([t_last])
    return {"method": "Kaplan-Meier at the last event time", "estimate":
            float(k.survival_at([t_last])[0]), "lower": float(lo[0]), "upper": float(hi[0])}


def build(ctx) -> Section | None:
    unit = ctx.unit
    body, figs, data = [], {}, {"cohorts": []}
    fr_rows, table = [], []
    curves = []
    h = ctx.horizon
    for ci_, c in enumerate(ctx.cohorts):
        who = "" if c.label == "all" else f"{ctx.name(c.label)}: "
        npc = nonparametric(ctx, c)
        entry = {"cohort": c.label, "nonparametric": npc}
        fr_rows.append({"label": f"{who}Kaplan-Meier plateau", "color": "#555", **npc})
        for kind in ("mixture", "non-mixture"):
            m = compute.best(ctx, c, kind)
            if m is None:
                continue
            doc = compute.fit_doc(m)
            cf = doc.get("cure_fraction") or {}
            entry[kind] = {"dist": m.dist, "estimate": cf.get("estimate"),
                           "lower": cf.get("lower"), "upper": cf.get("upper"),
                           "aic": m.row["aic"], "boundary": bool(m.row.get("boundary"))}
            if cf.get("estimate") is not None:
                fr_rows.append({"label": f"{who}{kind} cure ({m.dist})",
                                "color": MODEL_COLORS[kind], **entry[kind]})
            grid = np.linspace(0, h, 121)  # each point costs a small optimisation (projection CI)
            p = m.fit.probability_cured(grid)
            est, lo, hi = p.estimate[0], p.lower[0], p.upper[0]
            entry[f"probability_cured_{kind}"] = [
                {"time": float(t), "estimate": json_number(e), "lower": json_number(a),
                 "upper": json_number(b)}
                for t, e, a, b in zip(grid[::5], est[::5], lo[::5], hi[::5])]
            if not m.row.get("boundary"):
                # one group: bands; several: lines only (overlapping bands hide each other)
                band = len(ctx.cohorts) == 1
                curves.append({"label": f"{who}{kind} cure ({m.dist})", "x": grid, "y": est,
                               "lo": lo if band else None, "hi": hi if band else None,
                               "color": _color(ci_, kind, len(ctx.cohorts)),
                               "dash": None if kind == "mixture" else "dash",
                               "hover": f"{kind} cure"})
        data["cohorts"].append(entry)
        table.append(entry)
    # side-by-side table
    trs = []
    for e in table:
        cells = [f"<th>{esc(ctx.name(e['cohort']))}</th>"]
        for kind in ("nonparametric", "mixture", "non-mixture"):
            v = e.get(kind)
            if v is None:
                cells.append("<td>NA</td>")
                continue
            extra = f"<br><span class='ci'>{esc(v['dist'])}</span>" if "dist" in v else ""
            if v.get("boundary"):
                extra += " <span class='tag'>boundary</span>"
            cells.append(f"<td>{pct(v['estimate'], 1)}<br><span class='ci'>"
                         f"{pct(v.get('lower'), 1)} to {pct(v.get('upper'), 1)}</span>{extra}</td>")
        trs.append("<tr>" + "".join(cells) + "</tr>")
    body.append("<table class='num'><thead><tr><th></th><th>Nonparametric<br><span class='ci'>"
                "KM at last event</span></th><th>Mixture cure<br><span class='ci'>best by AIC"
                "</span></th><th>Non-mixture cure<br><span class='ci'>best by AIC</span></th>"
                f"</tr></thead><tbody>{''.join(trs)}</tbody></table>")
    _arms(ctx, body, data, figs)
    body.append("<div class='plot' id='fig-cure-fractions' role='img' "
                "aria-label='cure fractions'></div>")
    figs["fig-cure-fractions"] = cure_fraction_figure(fr_rows)
    body.append("<p class='small'>95% confidence intervals. The nonparametric estimate is the "
                "Kaplan-Meier survival at the last observed event (Maller and Zhou), meaningful "
                "only when follow-up is sufficient (see below). Model intervals: delta method on "
                "the logit scale, or the profile likelihood where the estimate sits at the "
                "boundary 0.</p>")
    if curves:
        body.append("<h3>Probability of cure given event-free survival</h3>")
        body.append("<div class='plot' id='fig-cure-prob' role='img' "
                    "aria-label='probability of cure'></div>")
        figs["fig-cure-prob"] = cure_probability_figure(curves, unit, h, unit_ticks(h, unit))
        u = f" {esc(unit)}" if unit else ""
        body.append("<p class='small'>For a patient still event-free at time t, the chance of "
                    "being cured, P(cured | T &gt; t) = &pi; / S(t), from the cure models (x axis "
                    f"to {fixed(h, 0)}{u}).</p>")
    return Section("cure", "Cure fractions", "\n".join(body), data, figs)


def _color(i, kind, n_cohorts):
    """One cohort: colour by cure kind; several: colour by group (dash tells the kind)."""
    from ...plots.interactive import PALETTE

    if n_cohorts == 1:
        return MODEL_COLORS[kind]
    return PALETTE[i % len(PALETTE)]


def _arms(ctx, body, data, figs):
    """The groups' cure fractions compared with the first group's (each from its own best
    model by AIC): difference, odds ratio and the Wald p of equal cure fractions; then a
    forest plot of these odds ratios with the Cox hazard ratios."""
    from ..format import pvalue
    from ...models.arms import DIFFERENCE_SCALE, ODDS_RATIO_SCALE, TEST

    rows = []
    for kind in ("mixture", "non-mixture"):
        for c in compute.cure_contrasts(ctx, kind):
            data.setdefault("contrasts", []).append({"kind": kind, **c})
            d, o = c["cure_fraction_difference"], c["cure_fraction_odds_ratio"]
            p = c["p_equal_cure"]
            rows.append(f"<tr><th>{esc(ctx.name(c['group']))} vs "
                        f"{esc(ctx.name(c['reference']))}</th><td>{esc(kind)}<br><span "
                        f"class='ci'>{esc(c['dist'])} / {esc(c['reference_dist'])}</span></td>"
                        f"<td>{pct(d['estimate'], 1)}<br><span class='ci'>"
                        f"{pct(d['lower'], 1)} to {pct(d['upper'], 1)}</span></td>"
                        f"<td>{fixed(o['estimate'], 2)}<br><span class='ci'>"
                        f"{fixed(o['lower'], 2)} to {fixed(o['upper'], 2)}</span></td>"
                        f"<td>{'NA' if p is None else pvalue(p)}</td></tr>")
    if not rows:
        return
    body.append("<h3>Cure fractions compared between groups</h3>")
    body.append("<table class='num'><thead><tr><th></th><th>Model<br><span class='ci'>"
                "group / reference</span></th><th>Difference</th><th>Odds ratio</th>"
                f"<th>p (equal)</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
    body.append(f"<p class='small'>Each group fitted alone (its best model by AIC). "
                f"Difference: {esc(DIFFERENCE_SCALE)}; odds ratio: {esc(ODDS_RATIO_SCALE)}; "
                f"p: {esc(TEST)}.</p>")
    _forest(ctx, body, data, figs)


def _forest(ctx, body, data, figs):
    """Forest plot of the arm contrasts: Cox hazard ratios (the summary's ``hazard_ratios``)
    and the cure-fraction odds ratios of the table above, against the reference group."""
    from ...plots.forest import arm_contrast_rows, forest_figure

    rows = arm_contrast_rows(compute.summary(ctx).get("hazard_ratios"),
                             data.get("contrasts", []), ctx.name)
    if not rows:
        return
    data["forest"] = [{k: r[k] for k in ("label", "measure", "estimate", "lower", "upper")}
                      for r in rows]
    body.append("<div class='plot' id='fig-arm-forest' role='img' "
                "aria-label='forest plot of the arm contrasts'></div>")
    figs["fig-arm-forest"] = forest_figure(rows)
    body.append("<p class='small'>Forest plot: each group against the reference group, with "
                "95% confidence intervals on a log scale; 1 is no difference. Hazard ratio: "
                "Cox model, Efron ties (Kaplan-Meier section); cure odds ratio: the table "
                "above.</p>")
