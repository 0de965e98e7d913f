"""The HTA section: life-years per model with general-population mortality (NICE DSU TSD 14
and 21 practice) and the TSD 14 diagnostics (smoothed hazard against each model's hazard;
log cumulative hazard against log time)."""
from __future__ import annotations

import numpy as np

from .. import compute
from ..format import esc, fixed, pct, unit_ticks
from ...plots.interactive import MODEL_COLORS, fit_figure
from . import Section
from .models import DASHES


def _life_years(ctx, c, m, bg):
    def make():
        from ...models.lifeyears import life_years

        return life_years(m.fit, bg, ctx.horizon, n_grid=480)
    return ctx.cached(("lifeyears", c.label, m.key), make)


def _ci(d, digits=2):
    if d["lower"] is None:
        return fixed(d["estimate"], digits, "NA")
    return (f"{fixed(d['estimate'], digits)} ({fixed(d['lower'], digits)} to "
            f"{fixed(d['upper'], digits)})")


def _who(v) -> str:
    if isinstance(v, dict):
        if "fraction_male" in v:
            return f"column {esc(v['column'])} ({100 * v['fraction_male']:.0f}% male)"
        return (f"column {esc(v['column'])} (mean {v['mean']:.1f}, {v['min']:g} to "
                f"{v['max']:g})")
    return esc(f"{v:g}" if isinstance(v, float) else str(v))


def _extrapolation_figure(ctx, c, ms, lys) -> dict:
    """The life-years curves (each model's :class:`~remission.models.extrapolate.
    Extrapolation`, computed once with its life-years) and the general population's expected
    survival of the same cohort, over the Kaplan-Meier estimate."""
    bests = {compute.best(ctx, c, k).key for k in (None, "mixture", "non-mixture")
             if compute.best(ctx, c, k) is not None}
    lines, seen = [], {None: 0, "mixture": 0, "non-mixture": 0}
    for m in ms:
        ex = lys[m.key].curve
        dash = DASHES[seen[m.cure] % len(DASHES)]
        seen[m.cure] += 1
        lines.append({"label": m.label, "x": ex.time, "y": ex.survival,
                      "color": MODEL_COLORS[m.cure], "dash": dash,
                      "visible": m.key in bests, "hover": f"AIC {m.row['aic']:.1f}"})
    ex0 = lys[ms[0].key].curve
    lines.append({"label": "general population (expected)", "x": ex0.time,
                  "y": ex0.expected_survival, "color": "#777", "dash": "dot",
                  "visible": True, "hover": "life table"})
    h = ctx.horizon
    return fit_figure((ctx.name(c.label), compute.km(ctx, c.data, c.label)), lines, ctx.unit,
                      h, unit_ticks(h, ctx.unit), float(np.max(c.data.time)))


def build(ctx) -> Section | None:
    body, figs, data = [], {}, {"cohorts": []}
    unit = ctx.unit
    u = f" {esc(unit)}" if unit else ""
    for ci_, c in enumerate(ctx.cohorts):
        ms = [m for m in compute.models(ctx, c) if m.ok and m.dist != "cox"]
        if not ms:
            continue
        if ctx.grouped:
            body.append(f"<h3>{esc(ctx.name(c.label))}</h3>")
        bg = compute.background(ctx, c)
        rows, docs, lys = [], {}, {}
        if bg is not None:
            for m in ms:
                lys[m.key] = _life_years(ctx, c, m, bg)
                d = lys[m.key].to_dict()
                d.pop("curve", None)
                docs[m.key] = d
            d0 = next(iter(docs.values()))
            co = d0["cohort"]
            body.append(
                f"<p>Cohort: age {_who(co['age'])}, sex {_who(co['sex'])}, year "
                f"{_who(co['year'])}; life table: {esc(co['lifetable'])}; SMR "
                f"{d0['smr']:g}; discount {100 * d0['discount_rate']:g}% a year; horizon "
                f"{fixed(ctx.horizon, 0)}{u}.</p>")
            body += [f"<p class='note'>Note: {esc(n)}.</p>" for n in d0["notes"]]
            marks = [p["time"] for p in d0["landmarks"]]
            for m in ms:
                d, r = docs[m.key], m.row
                lm = "".join(f"<td>{pct(p['survival'], 1)}</td>" for p in d["landmarks"])
                rows.append(f"<tr><td>{esc(m.dist)}</td><td>{esc(m.cure or 'none')}</td>"
                            f"<td>{fixed(r['aic'], 1, 'NA')}</td><td>{fixed(r['bic'], 1, 'NA')}"
                            f"</td>{lm}<td>{_ci(d['mean_survival'])}</td>"
                            f"<td>{_ci(d['mean_survival_discounted'])}</td>"
                            f"<td>{esc(d['method'])}</td></tr>")
            rows.append("<tr><td>general population</td><td>&mdash;</td><td></td><td></td>"
                        + "<td></td>" * len(marks)
                        + f"<td>{fixed(d0['population_mean_survival'], 2)}</td><td></td>"
                          "<td>life table</td></tr>")
            head = "".join(f"<th>S({fixed(t, 0)})</th>" for t in marks)
            body.append("<table class='num models'><thead><tr><th>Distribution</th>"
                        f"<th>Cure</th><th>AIC</th><th>BIC</th>{head}<th>Life-years{u}</th>"
                        f"<th>Discounted</th><th>Method</th></tr></thead><tbody>"
                        f"{''.join(rows)}</tbody></table>")
            body.append(f"<p class='small'>Life-years = mean survival to the horizon (95% CI: "
                        f"{esc(d0['interval'])}). Methods: max = hazard never below the "
                        "general population's (TSD 21); mixture = the cured carry "
                        "general-population mortality (times the SMR), the uncured the larger "
                        "of the latency and population hazards; additive = relative survival "
                        "times expected survival.</p>")
            fid = f"fig-lifeyears-{ci_}"
            figs[fid] = _extrapolation_figure(ctx, c, ms, lys)
            body.append(f"<div class='plot' id='{fid}' role='img' "
                        "aria-label='extrapolated survival with general-population "
                        "mortality'></div>")
            body.append("<p class='small'>Above: each model's survival with general-population "
                        "mortality to the horizon (the curves whose areas are the life-years "
                        "in the table) over the Kaplan-Meier estimate, and the expected "
                        "survival of the matched general population (grey dotted). The best "
                        "model of each kind is shown; click a legend entry for the others."
                        "</p>")
        else:
            why = ctx.unavailable.get("general-population mortality", "")
            body.append(f"<p class='small'>No life-years: general-population mortality is not "
                        f"applied ({esc(why)}).</p>")
        # ---- TSD 14 diagnostics
        from ...nonparametric.hazard_smooth import smoothed_hazard
        from ...plots.diagnostics import hazard_figure, hazard_grid, loglog_figure

        grid = hazard_grid(c.data.time)
        emp = smoothed_hazard(c.data.time, c.data.event, grid)
        shown = [m for m in ms if m.key in {compute.best(ctx, c, k).key
                                            for k in (None, "mixture", "non-mixture")
                                            if compute.best(ctx, c, k) is not None}]
        hz = [(m.label, np.ravel(m.fit.hazard(grid).estimate[0]), MODEL_COLORS[m.cure])
              for m in shown]
        km = compute.km(ctx, c.data, c.label)
        ll = [(m.label, grid, np.ravel(m.fit.survival(grid).estimate[0]), MODEL_COLORS[m.cure])
              for m in shown]
        for kind, fig in (("hazard", hazard_figure(grid, emp, hz, unit)),
                          ("loglog", loglog_figure([("", km.time, km.survival)], ll, unit))):
            fid = f"fig-{kind}-{ci_}"
            figs[fid] = fig
            body.append(f"<div class='plot' id='{fid}' role='img' aria-label='{kind}'></div>")
        body.append("<p class='small'>Above: the kernel-smoothed hazard of the data "
                    "(Epanechnikov, bandwidth a fifth of follow-up; biased down near 0 and the "
                    "end) against the best models' hazards; log(-log S) against log time "
                    "(a straight line suggests a Weibull model).</p>")
        data["cohorts"].append({"cohort": c.label, "life_years": docs or None})
    if not data["cohorts"]:
        return None
    return Section("hta", "Life-years and diagnostics (HTA)", "\n".join(body), data, figs)
