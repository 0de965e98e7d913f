"""Words of a follow-up plan: the "how much longer" sentence, the verdict and the text table."""
from __future__ import annotations

import numpy as np


def finite(v):
    """float(v) when finite, else None."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def fmt(v, spec: str, width: int) -> str:
    """``v`` formatted with ``spec`` right-aligned in ``width``; "-" when not finite."""
    v = finite(v)
    return f"{'-' if v is None else format(v, spec):>{width}}"


def amount(m) -> str:
    """An extra follow-up in words: whole units from 10 up, else two significant digits."""
    return f"{m:.0f}" if m >= 10 else f"{m:.2g}"


def at_cap(entry: dict) -> str:
    """The two chances at the cap of the search, from a scenario's fitted curve."""
    c = entry["curve"]
    return (f"there {c['p_sufficient_followup'][-1]:.0%} for sufficient follow-up, "
            f"{c['p_presence'][-1]:.0%} for a cured fraction")


def settled(entry: dict):
    """The extra follow-up at which both outcomes reach the target (None: not by the cap)."""
    a, b = entry.get("sufficient_followup"), entry.get("presence")
    return None if a is None or b is None else max(a, b)


def needed_sentence(needed: dict, unit: str | None) -> str:
    """'about N more months (M1 to M2 under the other plausible models); if there is no cure,
    the chance of wrongly concluding one is p%' with its lead-in."""
    u = unit or "time units"
    cures = [s for s in needed["scenarios"] if s["kind"] == "cure"]
    main, others = cures[0], cures[1:]
    n = settled(main)
    cap = needed["cap"]
    lead = (f"Under the best-fitting cure model ({main['model']}) the chance of showing both "
            f"sufficient follow-up and a cured fraction ")
    t = f"{needed['target']:.0%}"
    if n is None:
        head = (f"does not reach {t} within {amount(cap)} more {u}, the cap of the search "
                f"({at_cap(main)})")
    elif n == 0:
        head = f"already reaches {t} with today's follow-up (0 more {u})"
    else:
        head = f"reaches {t} with about {amount(n)} more {u}"
    if others:
        vals = [settled(s) for s in others]
        done = [v for v in vals if v is not None]
        lo = amount(min(done)) if done else None
        hi = amount(max(done)) if len(done) == len(vals) else f"more than {amount(cap)}"
        what = "model" if len(others) == 1 else "models"
        if lo is None:
            rng = f"more than {amount(cap)}"
        elif lo == hi:
            rng = lo
        else:
            rng = f"{lo} to {hi}"
        head += f" ({rng} under the other plausible {what})"
    nc = needed.get("no_cure")
    if nc and nc.get("p_false_cure") is not None:
        head += (f"; if there is no cure, the chance of wrongly concluding one is "
                 f"{100 * nc['p_false_cure']:.1f}%")
    return lead + head + "."


def by_model(needed: dict, unit: str | None) -> str:
    """'model A: about 60 more months; model B: not within 240; no cure (...): ...' - the
    extra follow-up at which both chances reach the target, under each scenario."""
    u = unit or "time units"
    out = []
    for s in needed["scenarios"]:
        n = settled(s)
        what = (f"about {amount(n)} more {u}" if n is not None
                else f"not within {amount(needed['cap'])} more {u} ({at_cap(s)})")
        out.append(f"{s['model']}: {what}")
    return "; ".join(out)


def make_verdict(r) -> str:
    """Today's conclusion (the cure-test numbers), how much longer, and the CI width."""
    u = r.time_unit or "time units"
    cur = r.current
    word = cur.get("conclusion")
    if word is None:
        ok = (cur["sufficient_p_value"] < r.alpha and cur["presence_p_value"] < r.alpha)
        head = "The data already support a plateau" if ok else "A plateau is not yet supported"
    else:
        head = f"Today's conclusion: {word}"
    head += (f" (today: sufficient follow-up p = {cur['sufficient_p_value']:.3f}, presence "
             f"p = {cur['presence_p_value']:.3f})")
    parts = [head + "."]
    if r.needed is not None:
        parts.append(needed_sentence(r.needed, r.time_unit))
    j = len(r.extra_followup) - 1
    m = r.extra_followup[j]
    w_then, w_now = finite(r.ci_width[j]), finite(cur.get("ci_width"))
    # the log-log interval of KM at the last event time does not exist when that KM is 0 (the
    # last observation is an event) or 1; say so rather than printing "nan"
    if w_now is None:
        today = ("today's interval could not be computed: the Kaplan-Meier estimate at the "
                 "last event time is 0 or 1")
    else:
        today = f"today {w_now:.2f}"
    if w_then is None:
        width = (f"the expected 95% CI width of the cure fraction could not be computed "
                 f"(no simulated trial gave an interval; {today})")
    else:
        width = (f"the expected 95% CI width of the cure fraction is {w_then:.2f} "
                 f"({today})")
    parts.append(f"With {m:g} more {u} of follow-up, under the fitted Weibull cure model "
                 f"(cure fraction {r.model['cure']:.0%}), the chance of showing sufficient "
                 f"follow-up is {r.p_sufficient[j]:.0%}, of showing a cured fraction "
                 f"{r.p_presence[j]:.0%}, and {width}.")
    return " ".join(parts)


def _competing_lines(c) -> list:
    if not c:
        return []
    m = c["death_model"]
    return [f"Tested: {c['tested']}; deaths from the other causes simulated from a "
            f"{m['dist']} fitted to their {m['events']} events (independent of "
            f"{c['cause']}): a patient who dies first stops contributing"]


def render_text(r) -> str:
    u = r.time_unit or "time units"
    m = r.model
    d = r._dropout_phrase()
    lines = [f"Follow-up plan  ({r.sims} simulated trials, seed {r.seed})",
             f"Generative model of the table: Weibull mixture cure, cure fraction "
             f"{m['cure']:.3f}, shape {m['shape']:.3g}, scale {m['scale']:.4g}; n = {m['n']}; "
             "censoring = the trial's own pattern, extended" + (f", {d}" if d else ""),
             *_competing_lines(r.meta.get("competing")), "",
             f"{'extra ' + u:>16}  P(sufficient)  P(presence)  P(supported)  mean CI width"]
    for row in r.rows():
        lines.append(f"{row['extra_followup']:>16g}  {fmt(row['p_sufficient'], '.3f', 13)}  "
                     f"{fmt(row['p_presence'], '.3f', 11)}  "
                     f"{fmt(row['p_supported'], '.3f', 12)}  {fmt(row['ci_width'], '.3f', 13)}")
    nd = r.needed
    if nd is not None:
        lines += ["", f"Extra follow-up ({u}) until the chance reaches {nd['target']:.0%} "
                      f"(searched up to {amount(nd['cap'])}, resolution "
                      f"{nd['resolution']:.3g}; '-' = not by the cap)",
                  f"  {'model':<34} {'dAIC':>6} {'cure':>6} {'sufficient':>11} "
                  f"{'presence':>9}"]
        for s in nd["scenarios"]:
            lines.append(f"  {s['model']:<34} {fmt(s.get('delta_aic'), '.2f', 6)} "
                         f"{fmt(s.get('cure_fraction'), '.3f', 6)} "
                         f"{fmt(s['sufficient_followup'], '.4g', 11)} "
                         f"{fmt(s['presence'], '.4g', 9)}")
    lines += ["", "Verdict: " + r.verdict]
    return "\n".join(lines)
