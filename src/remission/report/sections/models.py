"""Model comparison (AIC/BIC, with and without cure) and the fitted curves over the
Kaplan-Meier estimate, extrapolated to a horizon with general-population mortality."""
from __future__ import annotations

import numpy as np

from .. import compute
from ..format import esc, fixed, pct, unit_ticks
from ...plots.interactive import MODEL_COLORS, fit_figure
from . import Section

DASHES = [None, "dash", "dot", "dashdot", "longdash", "longdashdot"]


def build(ctx) -> Section | None:
    body, figs, data = [], {}, {"cohorts": []}
    h = ctx.horizon
    unit = ctx.unit
    u = f" {esc(unit)}" if unit else ""
    for ci_, c in enumerate(ctx.cohorts):
        ms = compute.models(ctx, c)
        if not any(m.ok for m in ms):
            body.append(f"<p class='note'>{esc(ctx.name(c.label))}: no model converged.</p>")
            continue
        if ctx.grouped:
            body.append(f"<h3>{esc(ctx.name(c.label))}</h3>")
        # ---- the comparison table
        rows = []
        for m in ms:
            r = m.row
            cls = " class='fail'" if not m.ok else ""
            cf = (pct(r.get("cure_fraction"), 1) if r.get("cure_fraction") is not None
                  else ("&mdash;" if m.cure is None else "NA"))
            flag = ""
            if not m.ok:
                flag = f" <span class='tag bad' title='{esc(r.get('message') or '')}'>not converged</span>"
            elif r.get("boundary"):
                flag = " <span class='tag' title='cure fraction estimated at 0'>boundary</span>"
            rows.append(
                f"<tr{cls}><td>{esc(m.dist)}</td><td>{esc(m.cure or 'none')}{flag}</td>"
                f"<td>{r.get('k', '')}</td><td>{fixed(r['loglik'], 2, 'NA')}</td>"
                f"<td>{fixed(r['aic'], 2, 'NA')}</td><td>{fixed(r.get('delta_aic'), 2, '')}</td>"
                f"<td>{fixed(r['bic'], 2, 'NA')}</td><td>{fixed(r.get('delta_bic'), 2, '')}</td>"
                f"<td>{cf}</td><td>{pct(r.get('survival_at_horizon'), 1)}</td>"
                f"<td>{fixed(r.get('rmst_at_horizon'), 1, 'NA')}</td></tr>")
        body.append(
            "<table class='num models'><thead><tr><th>Distribution</th><th>Cure</th><th>k</th>"
            "<th>log L</th><th>AIC</th><th>&Delta;AIC</th><th>BIC</th><th>&Delta;BIC</th>"
            f"<th>Cure fraction</th><th>S({fixed(h, 0)})</th><th>RMST to {fixed(h, 0)}{u}</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")
        body.append("<p class='small'>Ranked by AIC (lower is better; differences below about 2 "
                    "are not meaningful). Survival and restricted mean at the horizon are from "
                    "the model alone, without general-population mortality.</p>")
        # ---- fitted and extrapolated curves
        grid = ctx.grid(h, 361)
        tmax = float(np.max(c.data.time))
        bests = {compute.best(ctx, c, k).key for k in (None, "mixture", "non-mixture")
                 if compute.best(ctx, c, k) is not None}
        bg = compute.background(ctx, c)
        lines, extrap = [], {}
        seen = {None: 0, "mixture": 0, "non-mixture": 0}
        for m in ms:
            if not m.ok:
                continue
            dash = DASHES[seen[m.cure] % len(DASHES)]
            seen[m.cure] += 1
            if bg is not None:
                ex = compute.extrapolation(ctx, c, m)
                x, y = ex.time, ex.survival
                extrap[m.key] = ex.to_dict(np.linspace(0, h, 25))
            else:
                x = grid
                y = compute.curve(m, grid)[0]
            lines.append({"label": m.label, "x": x, "y": y, "color": MODEL_COLORS[m.cure],
                          "dash": dash, "visible": m.key in bests,
                          "hover": f"AIC {m.row['aic']:.1f}"})
        if bg is not None:
            ex0 = next(iter(extrap.values()), None)
            if ex0 is not None:
                lines.append({"label": "general population (expected)",
                              "x": [p["time"] for p in ex0["curve"]],
                              "y": [p["expected_survival"] for p in ex0["curve"]],
                              "color": "#777", "dash": "dot", "visible": True,
                              "hover": "life table"})
        km = compute.km(ctx, c.data, c.label)
        fid = f"fig-fit-{ci_}"
        figs[fid] = fit_figure((ctx.name(c.label), km), lines, unit, h, unit_ticks(h, unit), tmax)
        body.append(f"<div class='plot' id='{fid}' role='img' aria-label='fitted curves'></div>")
        if bg is not None:
            body.append("<p class='small'>Extrapolated curves: each model's hazard is never "
                        "allowed below the general-population hazard of these patients (US life "
                        "tables), averaged over the cohort; in a mixture cure model the cured "
                        "carry general-population mortality and the uncured the larger of the "
                        "two hazards; the grey dotted line is the "
                        "expected survival of a matched general population.</p>")
        else:
            why = ctx.unavailable.get("general-population mortality", "")
            body.append(f"<p class='small'>Curves are the models alone, extrapolated to "
                        f"{fixed(h, 0)}{u}. General-population mortality is not applied: "
                        f"{esc(why)}.</p>")
        body.append("<p class='small'>The best model of each kind (no cure, mixture cure, "
                    "non-mixture cure) is shown; click a legend entry to show or hide any "
                    "other model.</p>")
        data["cohorts"].append({
            "cohort": c.label, "compare": compute.compare_doc(ctx, c),
            "best": {k or "none": compute.fit_doc(compute.best(ctx, c, k))
                     for k in (None, "mixture", "non-mixture")
                     if compute.best(ctx, c, k) is not None},
            "extrapolation": extrap or None})
    if not data["cohorts"]:
        return None
    data["horizon"] = h
    data["background"] = "US life tables" if extrap_any(data) else None
    return Section("models", "Models and extrapolation", "\n".join(body), data, figs)


def extrap_any(data) -> bool:
    return any(c.get("extrapolation") for c in data["cohorts"])
