"""Evidence for cure (presence of a cured fraction, sufficient follow-up) and the
follow-up-planning verdict.  With competing risks and a cause of interest (``--event-type``,
``--cause relapse``), the same tests of the cause (the other causes censored, the net scale;
:mod:`remission.evidence.competing`) beside the endpoint's, with the Aalen-Johansen plateau
of its cumulative incidence."""
from __future__ import annotations

from .. import compute
from ..format import esc, fixed, pct, pvalue
from ...plots.interactive import needed_figure, plan_figure
from . import Section


def build(ctx) -> Section | None:
    unit = ctx.unit
    u = f" {esc(unit)}" if unit else ""
    body, figs, data = [], {}, {"cohorts": []}
    for i, c in enumerate(ctx.cohorts):
        entry = {"cohort": c.label}
        if ctx.grouped:
            body.append(f"<h3>{esc(ctx.name(c.label))}</h3>")
        ct = compute.cure_test(ctx, c)
        if ct and "error" not in ct:
            entry["cure_test"] = ct
            tl = ct["tail"]
            rows = []
            # one row per test, its plain-language question first; the tests that govern
            # the conclusion (rule) before the reference ones
            for key in ("presence", "sufficient_followup", "sufficient_followup_maller_zhou",
                        "model"):
                t = ct.get(key)
                if not t or t.get("p_value") is None:
                    continue
                role = "governs" if t.get("governs") else "reference"
                rows.append((esc(t.get("question") or key), esc(t.get("test", "")),
                             esc(t.get("null", "")) + f" <span class='small'>({role})</span>",
                             pvalue(t.get("p_value"))))
            body.append("<table class='tests'><thead><tr><th>Question</th><th>Test</th>"
                        "<th>Null hypothesis</th><th>p-value</th></tr></thead><tbody>"
                        + "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c_}</td>"
                                  f"<td class='r'>{d}</td></tr>" for a, b, c_, d in rows)
                        + "</tbody></table>")
            body.append(
                f"<p>Tail of the Kaplan-Meier curve: last event at "
                f"{fixed(tl.get('last_event_time'))}{u}, longest follow-up "
                f"{fixed(tl.get('max_followup'))}{u}; the plateau lasts "
                f"{fixed(tl.get('plateau_length'))}{u} at S = "
                f"{pct(tl.get('survival_at_plateau'), 1)} with "
                f"{tl.get('n_at_risk_at_plateau')} patients at risk.</p>")
            if ct.get("verdict"):
                body.append(f"<div class='verdict'><b>Verdict.</b> {esc(ct['verdict'])}</div>")
            rule = ct.get("rule") or {}
            if rule.get("definition"):
                body.append(f"<p class='small'><b>Conclusion rule</b> (alpha = "
                            f"{fixed(rule.get('alpha'), 2)}): {esc(rule['definition'])}.</p>")
        elif ct:
            body.append(f"<p class='note'>Cure-evidence tests could not be run: "
                        f"{esc(ct['error'])}</p>")
        cc = compute.cause_cure_test(ctx, c)
        if cc and "error" not in cc:
            entry["cause_cure_test"] = cc
            body.append(_cause_html(ct if ct and "error" not in ct else None, cc))
        elif cc:
            body.append(f"<p class='note'>Cure-evidence tests of {esc(ctx.options.cause)} "
                        f"could not be run: {esc(cc['error'])}</p>")
        pl = compute.plan(ctx, c)
        if pl and "error" not in pl:
            entry["plan"] = pl
            rows = pl.get("rows", [])
            body.append("<h4>Planning further follow-up</h4>")
            body.append(
                f"<table class='num'><thead><tr><th>Extra follow-up{' (' + esc(unit) + ')' if unit else ''}</th>"
                "<th>P(show sufficient follow-up)</th><th>P(show a cured fraction)</th>"
                "<th>Expected CI width of the cure fraction</th></tr></thead><tbody>"
                + "".join(f"<tr><td>+{fixed(r['extra_followup'], 1)}</td>"
                          f"<td>{pct(r['p_sufficient'])}</td><td>{pct(r['p_presence'])}</td>"
                          f"<td>{fixed(r['ci_width'], 2, 'NA')}</td></tr>" for r in rows)
                + "</tbody></table>")
            fid = f"fig-plan-{i}"
            figs[fid] = plan_figure(rows, unit)
            body.append(f"<div class='plot small-plot' id='{fid}' role='img' "
                        "aria-label='follow-up planning'></div>")
            nd = pl.get("needed")
            if nd:
                body.append(_needed_html(nd, unit))
                fid = f"fig-needed-{i}"
                figs[fid] = needed_figure(nd, unit)
                body.append(f"<div class='plot' id='{fid}' role='img' aria-label='chance of "
                            "showing sufficient follow-up and a cured fraction against extra "
                            "follow-up, for each plausible model'></div>")
            if pl.get("verdict"):
                body.append(f"<div class='verdict'><b>Follow-up plan.</b> "
                            f"{esc(pl['verdict'])}</div>")
            body.append(f"<p class='small'>{pl.get('sims', '?')} simulated trials per row "
                        f"(seed {pl.get('seed', '?')}); raise with <code>--sims</code> for "
                        "final numbers.</p>")
        elif pl:
            body.append(f"<p class='note'>Follow-up planning could not be run: "
                        f"{esc(pl['error'])}</p>")
        data["cohorts"].append(entry)
    return Section("evidence", "Is it a cure? Evidence and follow-up", "\n".join(body), data,
                   figs)


def _cause_html(ct, cc: dict) -> str:
    """The endpoint's conclusion and the cause's side by side."""
    comp = cc["competing"]
    cif = comp["cumulative_incidence_plateau"]
    cols = ([("Endpoint (any event)", ct)] if ct else []) + [(comp["tested"], cc)]

    def row(name, f):
        return f"<tr><td>{name}</td>" + "".join(f"<td>{f(d)}</td>" for _, d in cols) + "</tr>"
    rows = [row("Conclusion", lambda d: f"<b>{esc(d['conclusion'])}</b>"),
            row("Presence of a cured fraction, p", lambda d: pvalue(d["presence"]["p_value"])),
            row("Sufficient follow-up (Yuen-Musta), p",
                lambda d: pvalue(d["sufficient_followup"]["p_value"])),
            row("Kaplan-Meier plateau (never the event)",
                lambda d: pct(d["tail"]["survival_at_plateau"], 1))]
    head = "".join(f"<th>{esc(n)}</th>" for n, _ in cols)
    return (f"<h4>Cure of the disease: {esc(comp['cause'])}</h4>"
            f"<table class='num'><thead><tr><th></th>{head}</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>"
            f"<p>The tests of {esc(comp['cause'])} use its net (cause-specific) distribution, "
            f"the other causes censored, valid if they are independent of it. In the presence "
            f"of the other causes the cumulative incidence of {esc(comp['cause'])} plateaus at "
            f"{pct(cif.get('estimate'), 1)} ({pct(cif.get('lower'), 1)} to "
            f"{pct(cif.get('upper'), 1)}, Aalen-Johansen), below the net probability "
            f"{pct(comp['net_plateau']['cause_probability'], 1)}: a patient who has another "
            f"event first never has {esc(comp['cause'])}.</p>"
            f"<div class='verdict'><b>Verdict ({esc(comp['cause'])}).</b> "
            f"{esc(cc['verdict'])}</div>")


def _needed_html(nd: dict, unit) -> str:
    """How much longer, under each plausible model: the sentence and a table."""
    u = f" ({esc(unit)})" if unit else ""

    def m(v):
        return f"more than {fixed(nd['cap'], 0)}" if v is None else fixed(v, 1)

    rows = "".join(
        f"<tr><td>{esc(s['model'])}</td><td class='r'>{fixed(s.get('delta_aic'), 2, '-')}</td>"
        f"<td class='r'>{pct(s.get('cure_fraction'))}</td>"
        f"<td class='r'>{m(s['sufficient_followup'])}</td><td class='r'>{m(s['presence'])}</td>"
        "</tr>" for s in nd["scenarios"])
    return (f"<h4>How much longer?</h4><p>{esc(nd['sentence'])}</p>"
            f"<table class='num'><thead><tr><th>Model</th><th>&Delta;AIC</th><th>Cured</th>"
            f"<th>Extra follow-up{u} to show sufficient follow-up with "
            f"{pct(nd['target'])} chance</th><th>... to show a cured fraction</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
            f"<p class='small'>Smallest extra follow-up at which the simulated chance reaches "
            f"the target, searched up to {fixed(nd['cap'], 0)}{esc(' ' + unit if unit else '')}"
            f" to within {fixed(nd['resolution'], 2)}; plausible models: every cure model "
            f"within 2 AIC of the best, and no cure.</p>")
