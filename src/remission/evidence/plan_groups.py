"""Per arm: the cure evidence and the follow-up plan of every group, each with its own answer.

``cure_test_groups(data, ...)`` (:func:`~.evidence.cure_test_by_group`: the covariate
extension of the Yuen-Musta test) and ``plan_followup_by_group(data, ...)``
(:func:`~.plan.plan_followup`) run on each group's rows of a
:class:`~remission.data.SurvivalData` read with a group column (``--group``); the plan of a
group is given that group's cure-test result (computed once, passed on), so its "current"
numbers are that group's cure-test numbers.  The JSON document is
``{"group_column", "groups": [{"group": <label>, ...one document...}]}``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class GroupedResult:
    """One result per group: ``results`` = [(label, result), ...] in level order."""

    column: str | None
    results: list
    extra: dict = field(default_factory=dict)

    def __getitem__(self, label):
        return dict(self.results)[str(label)]

    def to_dict(self) -> dict:
        return {"group_column": self.column,
                "groups": [{"group": lab, **res.to_dict()} for lab, res in self.results],
                **self.extra}

    def to_text(self) -> str:
        name = self.column or "group"
        return "\n\n".join(f"=== {name} = {lab} ===\n{res.to_text()}"
                           for lab, res in self.results)


def _groups(data):
    from ..errors import OptionError

    if not data.group_levels():
        raise OptionError("--group: a group column is needed to analyse each arm")
    return list(data.by_group())


def _column(data):
    return (data.meta or {}).get("group_column")


def cure_test_groups(data, **options) -> GroupedResult:
    """:func:`~.evidence.cure_test_by_group` of a SurvivalData read with a group column (the
    covariate extension of the Yuen-Musta test: one tau common to every group) as a
    :class:`GroupedResult`; ``all_sufficient_p_value`` (intersection-union) in ``extra``."""
    from .evidence import cure_test_by_group

    labels = [lab for lab, _ in _groups(data)]
    group = np.array([None if v is None else str(v) for v in data.group], dtype=object)
    keep = np.array([v is not None for v in group])
    sub = data.subset(np.flatnonzero(keep)) if not keep.all() else data
    res = cure_test_by_group(sub, group[keep], **options)
    by_label = {str(k): v for k, v in res["groups"].items()}
    return GroupedResult(_column(data), [(lab, by_label[lab]) for lab in labels],
                         {"all_sufficient_p_value": res["all_sufficient_p_value"]})


def plan_followup_by_group(data, *, reps: int = 1000, seed: int = 1, eps: float = 0.01,
                           progress: bool = False, **options) -> GroupedResult:
    """:func:`~.plan.plan_followup` of every group, each given its group's cure-test result
    from :func:`cure_test_groups` (the numbers ``cure-test --group`` prints)."""
    from .plan import plan_followup

    ev = cure_test_groups(data, reps=reps, seed=seed, eps=eps, progress=progress)
    out = [(lab, plan_followup(sub, reps=reps, seed=seed, eps=eps, progress=progress,
                               evidence=ev[lab], **options))
           for lab, sub in _groups(data)]
    return GroupedResult(_column(data), out, ev.extra)
