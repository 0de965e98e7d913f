"""The verdict sentence and the text rendering of a :class:`~.evidence.CureTestResult`.

The verdict states the conclusion first, then the governing p-values with wording that agrees
with them ("shown" only when p < alpha), then any disagreement with the reference tests and
which test governs and why.
"""
from __future__ import annotations

import numpy as np

HEADS = {
    "supported": "Conclusion: supported - a cured fraction is shown and follow-up is long "
                 "enough",
    "immature": "Conclusion: immature - a plateau may be forming, but the evidence is not "
                "there yet",
    "no-evidence": "Conclusion: no evidence of a cured fraction",
}

WHY_YM = ("the Yuen-Musta test governs because it tests the practical question directly and "
          "holds its level at the boundary of insufficient follow-up in our simulations, "
          "whereas q_n counts only the events just before the last one and has almost no "
          "power when the last event is a late straggler")


def _p(p) -> str:
    if p is None or not np.isfinite(p):
        return "NA"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _peq(p) -> str:
    """'p = 0.123' or 'p < 0.001'."""
    t = _p(p)
    return f"p < {t[1:]}" if t.startswith("<") else f"p = {t}"


def make_verdict(r) -> str:
    a = r.alpha
    tf = r.tail
    pres, fu, mz = r.presence.p_value, r.sufficient.p_value, r.maller_zhou.p_value
    lrt = r.model.p_value if r.model is not None else None
    concl = r.conclusion
    u = f" {r.time_unit}" if r.time_unit else ""
    fu_ok = fu < a
    fu_txt = (f"few uncured patients would still relapse after the end of follow-up "
              f"(Yuen-Musta {_peq(fu)})" if fu_ok else
              f"follow-up is not shown to be long enough (Yuen-Musta {_peq(fu)})")
    lr_txt = f"likelihood ratio {_peq(lrt)}" if lrt is not None else "no cure model fit"
    if r.km_reaches_zero:
        pl = "the Kaplan-Meier curve falls to 0, so there is no plateau"
    elif pres < a:
        pl = (f"the plateau at {tf.survival_at_plateau:.1%} is higher than a model without "
              f"cure explains (Maller-Zhou {_peq(pres)}; {lr_txt})")
    elif lrt is not None and lrt < a:
        pl = (f"at {tf.survival_at_plateau:.1%} the plateau is better fitted with a cured "
              f"fraction ({lr_txt}), but the nonparametric Maller-Zhou presence test does not "
              f"confirm it ({_peq(pres)})")
    else:
        pl = (f"the plateau at {tf.survival_at_plateau:.1%} is compatible with no cure "
              f"(Maller-Zhou {_peq(pres)}; {lr_txt})")
    if concl == "no-evidence" and not r.km_reaches_zero and fu_ok:
        body = f"{pl}, although {fu_txt}"
    elif concl == "no-evidence":
        body = pl
    else:
        body = f"{pl}; {fu_txt}"
    parts = [f"{HEADS[concl]}: {body}."]
    if concl != "no-evidence" and (mz < a) != fu_ok:
        said = "would call follow-up sufficient" if mz < a else "does not show sufficient " \
                                                                 "follow-up"
        parts.append(f"Maller-Zhou's q_n test {said} ({_peq(mz)}); it is reported for "
                     f"reference only: {WHY_YM}.")
    parts.append(f"The last event was at {tf.last_event_time:g}{u}; follow-up reaches "
                 f"{tf.max_followup:g}{u}, with {tf.n_at_risk_at_plateau} patients still at "
                 "risk after the last event.")
    if r.competing:
        parts.append(competing_sentence(r.competing))
    return " ".join(parts)


def competing_sentence(c: dict) -> str:
    """What was tested under competing risks, and the cumulative incidence plateau."""
    ci = c["cumulative_incidence_plateau"]
    est = ci.get("estimate")
    cif = "NA" if est is None else f"{est:.1%}"
    return (f"Tested: {c['tested']} (the net, cause-specific scale). In the presence of the "
            f"other causes the cumulative incidence of {c['cause']} plateaus at {cif} "
            f"(Aalen-Johansen), against a net probability of {c['cause']} of "
            f"{c['net_plateau']['cause_probability']:.1%} (1 - Kaplan-Meier).")


def _g(v, fmt="{:.4g}"):
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "NA"
    return fmt.format(v)


def _cif_line(c) -> list:
    if not c:
        return []
    ci = c["cumulative_incidence_plateau"]
    return [f"  cumulative incidence of {c['cause']} at its last event (Aalen-Johansen)  "
            f"{_g(ci['estimate'], '{:.3f}')} ({ci['conf_level']:.0%} CI "
            f"{_g(ci['lower'], '{:.3f}')}-{_g(ci['upper'], '{:.3f}')}, {ci['conf_type']})"]


def render_text(d: dict) -> str:
    u = d.get("time_unit") or ""
    tl, cf = d["tail"], d["cure_fraction"]
    pr, sf, mz = d["presence"], d["sufficient_followup"], d["sufficient_followup_maller_zhou"]
    c = d.get("competing")
    tested = ([f"Tested: {c['tested']}", f"  scale: {c['scale']}"] if c else [])
    lines = [f"Cure evidence  (n = {d['n']}, events = {d['events']})", *tested, "",
             f"Conclusion: {d['conclusion']}", "",
             "Tail of the Kaplan-Meier curve" + (f" (time in {u})" if u else ""),
             f"  last event time            {_g(tl['last_event_time'])}",
             f"  maximum follow-up          {_g(tl['max_followup'])}",
             f"  plateau length             {_g(tl['plateau_length'])}",
             f"  at risk on the plateau     {tl['n_at_risk_at_plateau']}",
             f"  cure fraction (KM at last event, Maller-Zhou)  {_g(cf['estimate'], '{:.3f}')} "
             f"({cf['conf_level']:.0%} CI {_g(cf['lower'], '{:.3f}')}-{_g(cf['upper'], '{:.3f}')},"
             f" {cf['conf_type']})", *_cif_line(c), "",
             "Tests (* = governs the conclusion)       statistic    p-value  (H0)",
             f"* presence of cured, Maller-Zhou        {_g(pr['statistic']):>9}  "
             f"{_p(pr['p_value']):>9}  (no one cured)",
             f"    {pr['question']}",
             f"* sufficient follow-up, Yuen-Musta      {_g(sf['statistic']):>9}  "
             f"{_p(sf['p_value']):>9}  (q_{1 - sf['eps']:g} >= tau_G; tau = {_g(sf['tau'])}, "
             f"threshold {_g(sf['threshold'])})",
             f"    {sf['question']}",
             f"  sufficient follow-up, Maller-Zhou q_n {_g(mz['statistic']):>8}  "
             f"{_p(mz['p_value']):>9}  (follow-up insufficient; N_n = {mz['n_n']}, "
             f"alpha_n = {_p(mz['alpha_n'])})",
             f"    {mz['question']}"]
    m = d.get("model")
    if m:
        a = m["aic"]
        c = m["cure_fraction"]
        lines += [f"  likelihood ratio, cure fraction = 0  {_g(m['statistic']):>9}  "
                  f"{_p(m['p_value']):>9}  (0.5 chi2(0) + 0.5 chi2(1))",
                  f"    {m['question']}", "",
                  "Weibull models",
                  f"  AIC with cure {a['cure']:.2f}, without cure {a['no_cure']:.2f} -> "
                  f"{a['preferred']} preferred",
                  f"  parametric cure fraction {_g(c['estimate'], '{:.3f}')} "
                  f"(CI {_g(c['lower'], '{:.3f}')}-{_g(c['upper'], '{:.3f}')}) vs "
                  f"nonparametric {_g(cf['estimate'], '{:.3f}')}"]
    elif d.get("model_error"):
        lines += ["", f"Weibull models: {d['model_error']}"]
    lines += ["", "Verdict: " + d["verdict"]]
    return "\n".join(lines)
