"""``cure_test``: the nonparametric and model-based evidence for a cure, and one conclusion.

SPEC conventions: ``presence.p_value`` tests H0 *no one is cured* (small = evidence of a cured
fraction); ``sufficient_followup.p_value`` tests H0 *follow-up is insufficient* (small =
evidence that follow-up suffices).  The governing tests (:mod:`.rule`, docs/evidence.md) are
Maller-Zhou's presence test and the Yuen-Musta smoothed-Grenander bootstrap test of
sufficient follow-up; Maller-Zhou's q_n test of sufficient follow-up
(``sufficient_followup_maller_zhou``) and the likelihood-ratio test of a Weibull mixture cure
model (``model``) are reported beside them.  ``conclusion`` is one of ``supported``,
``immature``, ``no-evidence``.

Competing risks (``cause=``, or data made by ``SurvivalData.for_cause``): the tests are applied
to the cause-specific (net) distribution of the cause, the other causes censored, and the
Aalen-Johansen plateau of its cumulative incidence is reported beside them (``competing``;
:mod:`.competing`, docs/evidence.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .rule import ALPHA, QUESTIONS, conclude


@dataclass(frozen=True)
class CureTestResult:
    tail: object          # TailFacts
    presence: object      # PresenceTest (governs presence)
    sufficient: object    # YuenMustaTest (governs sufficient follow-up)
    maller_zhou: object   # SufficientFollowupTest (reference)
    model: object | None  # ModelEvidence or None
    model_error: str | None = None
    time_unit: str | None = None
    alpha: float = ALPHA
    meta: dict = field(default_factory=dict)
    competing: dict | None = None  # competing risks: what was tested, the CIF plateau

    @property
    def km_reaches_zero(self) -> bool:
        return bool(self.tail.survival_at_plateau <= 0)

    @property
    def conclusion(self) -> str:
        return conclude(self.presence.p_value, self.sufficient.p_value,
                        km_reaches_zero=self.km_reaches_zero,
                        model_p=self.model.p_value if self.model is not None else None,
                        alpha=self.alpha)

    @property
    def verdict(self) -> str:
        from .evidence_text import make_verdict

        return make_verdict(self)

    def to_dict(self) -> dict:
        tf = self.tail

        def test(obj, key, governs):
            d = obj.to_dict()
            d.update(question=QUESTIONS[key], governs=governs)
            return d

        doc = {
            "n": tf.n, "events": tf.events, "time_unit": self.time_unit,
            "conclusion": self.conclusion,
            "presence": test(self.presence, "presence", True),
            "sufficient_followup": test(self.sufficient, "sufficient_followup", True),
            "sufficient_followup_maller_zhou": test(self.maller_zhou,
                                                    "sufficient_followup_maller_zhou", False),
            "tail": {"last_event_time": tf.last_event_time, "max_followup": tf.max_followup,
                     "plateau_length": tf.plateau_length,
                     "survival_at_plateau": tf.survival_at_plateau,
                     "n_at_risk_at_plateau": tf.n_at_risk_at_plateau,
                     "n_at_risk_at_last_event": tf.n_at_risk_at_last_event},
            "cure_fraction": {"method": "maller-zhou (Kaplan-Meier at the last event time)",
                              "estimate": tf.survival_at_plateau, "se": tf.se,
                              "lower": tf.lower, "upper": tf.upper,
                              "conf_type": tf.conf_type, "conf_level": tf.conf_level},
            "model": (test(self.model, "model", False) if self.model is not None else None),
            "rule": {"alpha": self.alpha, "presence": "presence",
                     "sufficient_followup": "sufficient_followup",
                     "reference": ["sufficient_followup_maller_zhou", "model"],
                     "definition": "supported = presence and sufficient follow-up both shown "
                                   "(p < alpha); immature = a cured fraction shown (presence) "
                                   "or suggested (model), follow-up not shown sufficient; "
                                   "no-evidence otherwise, and whenever the Kaplan-Meier "
                                   "curve reaches 0 (docs/evidence.md)"},
            "verdict": self.verdict,
        }
        if self.competing is not None:
            doc["competing"] = self.competing
        if self.model_error:
            doc["model_error"] = self.model_error
        return doc

    def to_text(self) -> str:
        from .evidence_text import render_text

        return render_text(self.to_dict())


def cure_test(data, event=None, *, reps: int = 1000, seed: int = 1, tau: float | None = None,
              eps: float = 0.01, conf_level: float = 0.95, alpha: float = ALPHA,
              scheduler=None, progress: bool = False, cause=None) -> CureTestResult:
    """Evidence for a cured fraction and for sufficient follow-up, and the conclusion.

    ``data``: a :class:`~remission.data.SurvivalData` or an array of times (with ``event``).
    ``reps``/``seed``: replicates of the presence test's null simulation and of the two
    sufficient-follow-up bootstraps (Yuen-Musta; Maller-Zhou q_n).  ``tau``/``eps``: the
    Yuen-Musta null q_{1-eps} >= tau_G with no events after ``tau`` (default 2 tau_G); ``eps``
    also sets the boundary null of the Maller-Zhou q_n bootstrap.  ``cause``: with competing
    risks, the cause of interest (default: ``data``'s ``cause_of_interest``), tested with the
    other causes censored (module docstring).
    """
    from ..data.survival_data import SurvivalData
    from ..errors import ConvergenceError, DataError
    from .lrt import model_evidence
    from .maller_zhou import sufficient_followup_test
    from .presence import presence_test
    from .tail import tail_facts
    from .yuen_musta import yuen_musta_test

    from .competing import competing_block, resolve

    d = data if isinstance(data, SurvivalData) else SurvivalData.from_arrays(data, event)
    d, cause = resolve(d, cause)
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
    ym = yuen_musta_test(t, e, tau=tau, eps=eps, reps=reps, seed=seed, alpha=alpha,
                         scheduler=scheduler, progress=progress)
    mz = sufficient_followup_test(t, e, reps=reps, seed=seed, eps=eps, scheduler=scheduler,
                                  progress=progress)
    comp = competing_block(d, cause, tf, conf_level) if cause is not None else None
    return CureTestResult(tf, pres, ym, mz, model, err, d.time_unit, float(alpha),
                          competing=comp)


def cure_test_by_group(data, groups, event=None, **options) -> dict:
    """:func:`cure_test` within each group (label -> result), with the Yuen-Musta ``tau``
    common to all groups (twice the largest observed time overall unless given), as in the
    covariate extension of the test (arXiv 2505.13128).  ``"all_sufficient_p_value"``: the
    intersection-union p-value of "follow-up is sufficient in every group" (the largest group
    p-value).  ``cause`` (in ``options``): as :func:`cure_test`, per group."""
    from ..data.survival_data import SurvivalData
    from ..errors import DataError
    from .competing import competing_block, resolve

    d = data if isinstance(data, SurvivalData) else SurvivalData.from_arrays(data, event)
    d, cause = resolve(d, options.pop("cause", None))
    t, e = np.asarray(d.time, float), np.asarray(d.event, bool)
    g = np.asarray(groups)
    if g.shape != t.shape:
        raise DataError("one group label per patient is needed", column="group")
    if options.get("tau") is None:
        options["tau"] = 2.0 * float(t.max())
    out = {}
    for lab in sorted(set(g.tolist()), key=str):
        m = g == lab
        out[lab] = cure_test(t[m], e[m], **options)
        if cause is not None:
            from dataclasses import replace

            out[lab] = replace(out[lab], competing=competing_block(
                d.subset(m), cause, out[lab].tail, options.get("conf_level", 0.95)))
        if d.time_unit:
            out[lab] = _with_unit(out[lab], d.time_unit)
    p_all = max(r.sufficient.p_value for r in out.values())
    return {"groups": out, "all_sufficient_p_value": p_all}


def _with_unit(r: CureTestResult, unit: str) -> CureTestResult:
    from dataclasses import replace

    return replace(r, time_unit=unit)
