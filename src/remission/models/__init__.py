"""Parametric survival models: one censored likelihood, a generic fitter, frozen results,
background mortality and extrapolation.

Public interface (also for combinators such as cure and relative-survival models):

* :func:`fit_distribution` (dist, time, event, entry=, weights=, bhazard=, designs=, fixed=)
* :func:`fit_parametric` / :class:`ParametricModel`: the data-level front end
* :class:`ParametricFit`: the frozen result
* :func:`loglik`, :class:`Layout`, :class:`SurvivalArrays`: the likelihood itself
* :class:`ModelSpec` / :func:`fit_model`: one validated model specification (parametric,
  cure or Cox cure; covariates, background mortality, intervals) and its fit
* :class:`FittedModel`: the contract every fitted model satisfies; :class:`Prediction`
  what each of its predictions returns; :func:`model_document` the model document
"""
from __future__ import annotations

from .design import DesignSpec
from .fit import ParametricModel, fit_distribution, fit_parametric
from .likelihood import Layout, SurvivalArrays, loglik
from .document import model_document
from .prediction import Prediction
from .protocol import FittedCureModel, FittedModel
from .result import ParametricFit
from .spec import ModelSpec, fit_model
from .table import SummaryTable

__all__ = ["DesignSpec", "ParametricModel", "fit_distribution", "fit_parametric", "Layout",
           "SurvivalArrays", "loglik", "ParametricFit", "Prediction", "SummaryTable",
           "FittedModel", "FittedCureModel", "ModelSpec", "fit_model", "model_document"]
