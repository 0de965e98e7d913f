"""The rule that turns the evidence tests into one conclusion (docs/evidence.md).

One function, used by ``cure-test``, the report and the plan alike:

* ``no-evidence`` - the Kaplan-Meier curve reaches 0 (there is no plateau), or neither the
  governing presence test (Maller-Zhou, H0: no one is cured) nor the model likelihood-ratio
  test rejects at ``alpha``;
* ``supported`` - the presence test rejects and the governing sufficient-follow-up test
  (Yuen-Musta, smoothed Grenander with bootstrap critical values; H0: q_{1-eps} >= tau_G)
  rejects at ``alpha``;
* ``immature`` - otherwise: a cured fraction is shown (presence test) or strongly suggested
  (likelihood-ratio test of a Weibull mixture cure model) but follow-up is not shown to be
  sufficient.  A plateau whose follow-up is shown sufficient but whose presence test does not
  reject stays ``immature`` when the model test rejects, else ``no-evidence``.

Why these tests govern (measured in benchmarks/README.md, "Operating characteristics"): the
Maller-Zhou q_n test of sufficient follow-up has almost no power when the last event is a
late straggler (q_n counts events just before the last one), and the asymptotic
(non-smoothed) Yuen-Musta test rejects with p = 0 whenever the tail is sparse; the smoothed
Grenander test with bootstrap critical values holds its level at the boundary of H0 and keeps
its power on long, well-populated plateaus.  Maller-Zhou's q_n is reported for reference.
"""
from __future__ import annotations

import numpy as np

ALPHA = 0.05
CONCLUSIONS = ("supported", "immature", "no-evidence")

#: one plain-language line per test (cure-test JSON/text, the report)
QUESTIONS = {
    "presence": "Is the plateau higher than it would be if no one were cured?",
    "sufficient_followup": ("Is follow-up long enough that few uncured patients would still "
                            "relapse after it?"),
    "sufficient_followup_maller_zhou": ("Reference: are there many events just before the "
                                        "last one, compared with the plateau's length?"),
    "model": "Does a model with a cured fraction fit clearly better than one without?",
}


def _rejects(p, alpha) -> bool:
    return p is not None and bool(np.isfinite(p)) and p < alpha


def conclude(presence_p, followup_p, *, km_reaches_zero: bool = False, model_p=None,
             alpha: float = ALPHA) -> str:
    """The conclusion word for one data set (see module doc).

    >>> conclude(0.001, 0.01), conclude(0.001, 0.3), conclude(0.4, 0.01)
    ('supported', 'immature', 'no-evidence')
    >>> conclude(0.4, 0.3, model_p=0.01), conclude(0.001, 0.001, km_reaches_zero=True)
    ('immature', 'no-evidence')
    """
    code = conclude_codes(_rejects(presence_p, alpha), _rejects(followup_p, alpha),
                          km_reaches_zero, _rejects(model_p, alpha))
    return CONCLUSIONS[int(code)]


def conclude_codes(presence_reject, followup_reject, km_reaches_zero=False,
                   model_reject=False) -> np.ndarray:
    """Vectorised rule: int8 codes into :data:`CONCLUSIONS` (0 supported, 1 immature,
    2 no-evidence) for arrays of rejections (the plan's simulated trials)."""
    pres = np.asarray(presence_reject, bool)
    fu = np.asarray(followup_reject, bool)
    zero = np.asarray(km_reaches_zero, bool)
    model = np.asarray(model_reject, bool)
    code = np.where(pres & fu, 0, np.where(pres | model, 1, 2))
    return np.where(zero, 2, code).astype(np.int8)
