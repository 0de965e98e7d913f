"""``cure_test``: the nonparametric and model-based evidence for a cure, in one result.

SPEC conventions: ``presence.p_value`` tests H0 *no one is cured* (small = evidence of a cured
fraction); ``sufficient_followup.p_value`` tests H0 *follow-up is insufficient* (small =
evidence that follow-up suffices).  Both primary tests are Maller and Zhou's; the Yuen-Musta
test (same null direction as Maller-Zhou) and the likelihood-ratio test are extra keys.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ALPHA = 0.05


@dataclass(frozen=True)
class CureTestResult:
    tail: object          # TailFacts
    presence: object      # PresenceTest
    sufficient: object    # SufficientFollowupTest
    yuen_musta: object    # YuenMustaResult
    model: object | None  # ModelEvidence or None
    model_error: str | None = None
    time_unit: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        return make_verdict(self)

    def to_dict(self) -> dict:
        tf = self.tail
        doc = {
            "n": tf.n, "events": tf.events, "time_unit": self.time_unit,
            "presence": self.presence.to_dict(),
            "sufficient_followup": self.sufficient.to_dict(),
            "sufficient_followup_yuen_musta": self.yuen_musta.to_dict(),
            "tail": {"last_event_time": tf.last_event_time, "max_followup": tf.max_followup,
                     "plateau_length": tf.plateau_length,
                     "survival_at_plateau": tf.survival_at_plateau,
                     "n_at_risk_at_plateau": tf.n_at_risk_at_plateau,
                     "n_at_risk_at_last_event": tf.n_at_risk_at_last_event},
            "cure_fraction": {"method": "maller-zhou (Kaplan-Meier at the last event time)",
                              "estimate": tf.survival_at_plateau, "se": tf.se,
                              "lower": tf.lower, "upper": tf.upper,
                              "conf_type": tf.conf_type, "conf_level": tf.conf_level},
            "model": self.model.to_dict() if self.model is not None else None,
            "verdict": self.verdict,
        }
        if self.model_error:
            doc["model_error"] = self.model_error
        return doc

    def to_text(self) -> str:
        return render_text(self.to_dict())


def cure_test(data, event=None, *, reps: int = 1000, seed: int = 1, tau: float | None = None,
              eps: float = 0.01, conf_level: float = 0.95, scheduler=None,
              progress: bool = False) -> CureTestResult:
    """Evidence for a cured fraction and for sufficient follow-up.

    ``data``: a :class:`~remission.data.SurvivalData` or an array of times (with ``event``).
    ``reps``/``seed``: replicates of the null simulations of the two Maller-Zhou tests.
    ``tau``/``eps``: parameters of the Yuen-Musta test (see :mod:`.followup_tests`); ``eps``
    also sets the boundary null of the Maller-Zhou sufficient-follow-up bootstrap.
    """
    from ..data.survival_data import SurvivalData
    from ..errors import ConvergenceError, DataError
    from .followup_tests import yuen_musta_test
    from .lrt import model_evidence
    from .maller_zhou import sufficient_followup_test
    from .presence import presence_test
    from .tail import tail_facts

    d = data if isinstance(data, SurvivalData) else SurvivalData.from_arrays(data, event)
    if d.entry is not None and np.any(d.entry > 0):
        raise DataError("cure tests need right-censored data without delayed entry",
                        column="entry")
    t, e = np.asarray(d.time, float), np.asarray(d.event, bool)
    if e.sum() < 2:
        raise DataError("at least two events are needed for the cure tests", column="event")
    tf = tail_facts(t, e, conf_level=conf_level)
    model, err = None, None
    try:
        model = model_evidence(t, e, tf)
    except ConvergenceError as ex:
        err = str(ex)
    pres = presence_test(t, e, reps=reps, seed=seed, scheduler=scheduler, progress=progress)
    suff = sufficient_followup_test(t, e, reps=reps, seed=seed, eps=eps, scheduler=scheduler,
                                    progress=progress)
    return CureTestResult(tf, pres, suff,
                          yuen_musta_test(t, e, tau=tau, eps=eps), model, err, d.time_unit)


def _p(p) -> str:
    if p is None or not np.isfinite(p):
        return "NA"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _peq(p) -> str:
    """'p = 0.123' or 'p < 0.001'."""
    t = _p(p)
    return f"p < {t[1:]}" if t.startswith("<") else f"p = {t}"


def make_verdict(r: CureTestResult) -> str:
    tf = r.tail
    pres, suff, ym = r.presence.p_value, r.sufficient.p_value, r.yuen_musta.p_value
    lrt = r.model.p_value if r.model is not None else None
    u = f" {r.time_unit}" if r.time_unit else ""
    if suff < ALPHA:
        fu = (f"follow-up appears sufficient (Maller-Zhou q_n {_peq(suff)}; Yuen-Musta "
              f"{_peq(ym)})")
    else:
        fu = (f"follow-up is not shown to be sufficient (Maller-Zhou q_n {_peq(suff)}; "
              f"Yuen-Musta {_peq(ym)})")
    lr_txt = f"likelihood ratio {_peq(lrt)}" if lrt is not None else "no cure model fit"
    if tf.survival_at_plateau <= 0:
        pl = "the Kaplan-Meier curve reaches 0, so there is no plateau"
    elif pres < ALPHA:
        pl = (f"the plateau at {tf.survival_at_plateau:.1%} is higher than a model without cure "
              f"explains (Maller-Zhou {_peq(pres)}; {lr_txt})")
    elif lrt is not None and lrt < ALPHA:
        pl = (f"at {tf.survival_at_plateau:.1%} the plateau is better fitted with a cure "
              f"fraction ({lr_txt}), but the nonparametric Maller-Zhou test does not confirm "
              f"it ({_peq(pres)})")
    else:
        pl = (f"the plateau at {tf.survival_at_plateau:.1%} is compatible with no cure "
              f"(Maller-Zhou {_peq(pres)}; {lr_txt})")
    head = ("A cured fraction is supported" if (pres < ALPHA and suff < ALPHA)
            else "A plateau is not yet supported")
    return (f"{head}: {fu}; {pl}. The last event was at {tf.last_event_time:g}{u}; follow-up "
            f"reaches {tf.max_followup:g}{u}, with {tf.n_at_risk_at_plateau} patients still at "
            "risk after the last event.")


def _g(v, fmt="{:.4g}"):
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "NA"
    return fmt.format(v)


def render_text(d: dict) -> str:
    u = d.get("time_unit") or ""
    tl, cf = d["tail"], d["cure_fraction"]
    pr, sf, ym = d["presence"], d["sufficient_followup"], d["sufficient_followup_yuen_musta"]
    lines = [f"Cure evidence  (n = {d['n']}, events = {d['events']})", "",
             "Tail of the Kaplan-Meier curve" + (f" (time in {u})" if u else ""),
             f"  last event time            {_g(tl['last_event_time'])}",
             f"  maximum follow-up          {_g(tl['max_followup'])}",
             f"  plateau length             {_g(tl['plateau_length'])}",
             f"  at risk on the plateau     {tl['n_at_risk_at_plateau']}",
             f"  cure fraction (KM at last event, Maller-Zhou)  {_g(cf['estimate'], '{:.3f}')} "
             f"({cf['conf_level']:.0%} CI {_g(cf['lower'], '{:.3f}')}-{_g(cf['upper'], '{:.3f}')},"
             f" {cf['conf_type']})", "",
             "Tests                                   statistic    p-value  (H0)",
             f"  presence of cured, Maller-Zhou       {_g(pr['statistic']):>9}  "
             f"{_p(pr['p_value']):>9}  (no one cured)",
             f"  sufficient follow-up, Maller-Zhou q_n {_g(sf['statistic']):>8}  "
             f"{_p(sf['p_value']):>9}  (follow-up insufficient; N_n = {sf['n_n']}, "
             f"alpha_n = {_p(sf['alpha_n'])})",
             f"  sufficient follow-up, Yuen-Musta     {_g(ym['statistic']):>9}  "
             f"{_p(ym['p_value']):>9}  (q_0.99 >= tau_G; tau = {_g(ym['tau'])})"]
    m = d.get("model")
    if m:
        a = m["aic"]
        c = m["cure_fraction"]
        lines += [f"  likelihood ratio, cure fraction = 0 {_g(m['statistic']):>9}  "
                  f"{_p(m['p_value']):>9}  (0.5 chi2(0) + 0.5 chi2(1))", "",
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
