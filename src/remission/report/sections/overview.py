"""The short plain-language summary at the top, written from the other sections' results."""
from __future__ import annotations

from ..format import esc, fixed, pct
from . import Section


def arms_sentence(ctx) -> str | None:
    """The arms compared, first (issue 14): each group's Cox hazard ratio against the reference
    group with its CI, the log-rank p, and the mixture-cure fractions' difference with its CI
    and the p of equal cure fractions; the same cached results the Kaplan-Meier and cure
    sections show (one computation)."""
    if not ctx.grouped or len(ctx.cohorts) < 2:
        return None
    from .. import compute

    def pvalue(p):  # plain text: the sentences are escaped when rendered
        return "NA" if p is None else ("< 0.001" if p < 0.001 else f"= {p:.3f}")

    s = compute.summary(ctx)
    parts = []
    hr = s.get("hazard_ratios") or {}
    for c in hr.get("contrasts", []):
        parts.append(f"{ctx.name(c['group'])} vs {ctx.name(hr['reference'])}: hazard ratio "
                     f"{fixed(c['estimate'], 2)} ({fixed(c['lower'], 2)} to "
                     f"{fixed(c['upper'], 2)})")
    if s.get("logrank"):
        parts.append(f"log-rank p {pvalue(s['logrank']['p'])}")
    for c in compute.cure_contrasts(ctx, "mixture"):
        d, p = c["cure_fraction_difference"], c["p_equal_cure"]
        parts.append(f"cured fraction {ctx.name(c['group'])} minus {ctx.name(c['reference'])} "
                     f"{pct(d['estimate'], 1)} ({pct(d['lower'], 1)} to {pct(d['upper'], 1)}"
                     f"{'' if p is None else ', p (equal) ' + pvalue(p)})")
    return ("Arms compared: " + "; ".join(parts) + ".") if parts else None


def sentences(ctx, by_id: dict) -> list[str]:
    def who(label):
        return "all patients" if label == "all" else ctx.name(label)

    u = f" {ctx.unit}" if ctx.unit else ""
    out = []
    arms = arms_sentence(ctx)
    if arms:
        out.append(arms)
    ev = by_id.get("evidence")
    if ev is not None:
        # first: how much longer follow-up would settle "is it a cure?", per plausible model
        for c in ev.data["cohorts"]:
            nd = (c.get("plan") or {}).get("needed")
            if nd and nd.get("sentence"):
                from ...evidence.plan_text import by_model

                lead = f"{who(c['cohort'])}: " if ctx.grouped else ""
                out.append(lead + "How much longer? " + nd["sentence"] + " Extra follow-up "
                           f"until the chance of showing both reaches {pct(nd['target'])}, by "
                           "model: " + by_model(nd, ctx.unit) + ".")
    d = by_id.get("data")
    if d is not None:
        x = d.data
        s = (f"{x['n']} patients, {x['events']} events; median follow-up "
             f"{fixed(x['median_followup'])}{u} (longest {fixed(x['max_followup'])}{u}).")
        if (x.get("reconstruction") or {}).get("figure"):
            s += (" The data are reconstructed from a figure ("
                  f"{x['reconstruction']['figure'].get('file')}), not the trial's own data.")
            rt = (by_id["origin"].data.get("max_abs_difference")
                  if by_id.get("origin") is not None else None)
            if rt is not None:  # the Guyot round trip of the Data origin section
                s += (" Their Kaplan-Meier curves lie within "
                      f"{rt:.3f} of the curves digitised from it (see Data origin).")
        elif x.get("reconstruction"):
            s += " The data are reconstructed from published results, not the trial's own data."
        out.append(s)
    k = by_id.get("km")
    if k is not None:
        s = k.data["summary"]
        groups = s["groups"][1:] if ctx.grouped and len(s["groups"]) > 1 else s["groups"][:1]
        parts = []
        for g in groups:
            med = (g.get("median") or {}).get("estimate")
            lm = g.get("landmarks") or []
            last = lm[-1] if lm else None
            p = (f"{who(g['group'])}: " if ctx.grouped else "") + \
                f"median {'not reached' if med is None else fixed(med) + u}"
            if last:
                p += f", {pct(last['survival'])} event-free at {fixed(last['time'], 0)}{u}"
            parts.append(p)
        out.append("Kaplan-Meier: " + "; ".join(parts) + ".")
        if s.get("logrank"):
            p = s["logrank"]["p"]
            out.append(f"The groups {'differ' if p < 0.05 else 'do not differ significantly'} "
                       f"(log-rank p = {p:.3g}).")
    m = by_id.get("models")
    if m is not None:
        for c in m.data["cohorts"]:
            best = next((r for r in c["compare"]["models"] if r["converged"]), None)
            if best is None:
                continue
            kind = "no cure" if best["cure"] is None else f"a {best['cure']} cure"
            lead = f"For {who(c['cohort'])}, t" if ctx.grouped else "T"
            out.append(f"{lead}he best-fitting model by AIC is {best['dist']} with {kind}; it "
                       f"predicts {pct(best['survival_at_horizon'])} event-free at "
                       f"{fixed(m.data['horizon'], 0)}{u}.")
    cu = by_id.get("cure")
    if cu is not None:
        for c in cu.data["cohorts"]:
            np_ = c["nonparametric"]
            bits = [f"plateau of the Kaplan-Meier curve {pct(np_['estimate'])}"]
            for kind in ("mixture", "non-mixture"):
                v = c.get(kind)
                if v and v.get("estimate") is not None:
                    bits.append(f"{kind} model {pct(v['estimate'])} ({pct(v['lower'])} to "
                                f"{pct(v['upper'])})")
            lead = f"{who(c['cohort'])}: e" if ctx.grouped else "E"
            out.append(f"{lead}stimated cured fraction: " + ", ".join(bits) + ".")
    if ev is not None:
        for c in ev.data["cohorts"]:
            lead = f"{who(c['cohort'])}: " if ctx.grouped else ""
            ct = c.get("cure_test")
            if ct and ct.get("verdict"):
                out.append(lead + ct["verdict"])
            pl = c.get("plan")
            if pl and pl.get("verdict"):
                out.append(lead + pl["verdict"])
    return out


def build(ctx, sections) -> Section:
    by_id = {s.id: s for s in sections}
    lines = sentences(ctx, by_id)
    body = "<ul class='plain'>" + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>"
    if ctx.notes:
        body += ("<p class='small'>Notes: " + "; ".join(esc(n) for n in ctx.notes) + ".</p>")
    if ctx.unavailable:
        body += ("<p class='small'>Not in this report: " + "; ".join(
            f"{esc(k)} ({esc(v)})" for k, v in ctx.unavailable.items()) + ".</p>")
    return Section("overview", "In short", body, {"sentences": lines})
