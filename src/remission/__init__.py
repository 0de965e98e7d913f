"""remission: how durable is this remission, and is it a cure?

The public API is imported lazily so that ``import remission`` stays fast::

    >>> import remission as rm
    >>> data = rm.load_example("ovarian")
    >>> km = rm.kaplan_meier(data)
    >>> round(km.median().estimate)
    638
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_LAZY = {
    # data
    "SurvivalData": "remission.data",
    "from_dataframe": "remission.data",
    "read_survival": "remission.data",
    "read_table": "remission.data",
    "load_example": "remission.datasets",
    "list_examples": "remission.datasets",
    "read_example": "remission.datasets",
    "example_path": "remission.datasets",
    # nonparametric
    "kaplan_meier": "remission.nonparametric",
    "nelson_aalen": "remission.nonparametric",
    "logrank_test": "remission.nonparametric",
    "cox_ph": "remission.nonparametric",
    "median_followup": "remission.nonparametric",
    "summarize": "remission.nonparametric.summary",
    # cure models and evidence for cure
    "fit_cure": "remission.models.cure",
    "fit_cure_model": "remission.models.cure",
    "CureFit": "remission.models.cure",
    "cure_fraction": "remission.models.cure",
    "probability_cured": "remission.models.cure",
    "bootstrap_cure": "remission.models.cure",
    "compare_models": "remission.models.compare",
    "MixtureCure": "remission.models.cure",
    "NonMixtureCure": "remission.models.cure",
    "cure_test": "remission.evidence",
    "plan_followup": "remission.evidence",
    "cure_test_groups": "remission.evidence", "plan_followup_by_group": "remission.evidence",
    # report
    "analyze": "remission.report",
    # reconstruction
    "reconstruct_curve": "remission.reconstruct",
    "reconstruct_landmarks": "remission.reconstruct",
    # parametric models
    "fit_parametric": "remission.models",
    "fit_distribution": "remission.models",
    "ParametricModel": "remission.models",
    "ParametricFit": "remission.models",
    # one contract, one specification, one document for every fitted model
    "FittedModel": "remission.models",
    "FittedCureModel": "remission.models",
    "Prediction": "remission.models",
    "ModelSpec": "remission.models",
    "fit_model": "remission.models",
    "model_document": "remission.models",
    "CoxCureFit": "remission.models.cure",
    "get_distribution": "remission.distributions",
    "LifeTable": "remission.models.background",
    "BackgroundMortality": "remission.models.background",
    "extrapolate": "remission.models.extrapolate",
    # errors
    "RemissionError": "remission.errors",
    "DataError": "remission.errors",
    "ConvergenceError": "remission.errors",
    "OptionError": "remission.errors",
}


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'remission' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
