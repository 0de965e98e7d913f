"""Evidence for cure: the tail of the Kaplan-Meier curve, Maller-Zhou and Yuen-Musta tests,
model-based evidence, and follow-up planning by simulation.

Public: :func:`cure_test` (-> :class:`CureTestResult`) and :func:`plan_followup`
(-> :class:`PlanResult`), per group :func:`cure_test_groups` and
:func:`plan_followup_by_group` (-> :class:`GroupedResult`); building blocks :func:`tail_facts`,
:func:`sufficient_followup_mz`, :func:`yuen_musta_test` (smoothed Grenander, bootstrap),
:func:`yuen_musta_by_group`, :func:`presence_test`, :func:`model_evidence`; the conclusion rule
:func:`conclude` (:mod:`.rule`) and its batched form for planning (:func:`calibrate`,
:func:`decide_batch`).
"""
from __future__ import annotations

import importlib

_LAZY = {
    "cure_test": ".evidence", "CureTestResult": ".evidence",
    "cure_test_by_group": ".evidence",
    "conclude": ".rule", "CONCLUSIONS": ".rule",
    "calibrate": ".decide", "decide_batch": ".decide",
    "yuen_musta_by_group": ".yuen_musta",
    "plan_followup": ".plan", "PlanResult": ".plan",
    "cure_test_groups": ".plan_groups", "plan_followup_by_group": ".plan_groups",
    "GroupedResult": ".plan_groups",
    "tail_facts": ".tail", "TailFacts": ".tail",
    "sufficient_followup_mz": ".maller_zhou",
    "yuen_musta_test": ".yuen_musta",
    "presence_test": ".presence",
    "model_evidence": ".lrt", "boundary_lrt_pvalue": ".lrt",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
