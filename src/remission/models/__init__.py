"""Parametric survival models: one censored likelihood, a generic fitter, frozen results,
background mortality and extrapolation.

Public interface (also for combinators such as cure and relative-survival models):

* :func:`fit_distribution` (dist, time, event, entry=, weights=, bhazard=, designs=, fixed=)
* :func:`fit_parametric` / :class:`ParametricModel`: the data-level front end
* :class:`ParametricFit`: the frozen result
* :func:`loglik`, :class:`Layout`, :class:`SurvivalArrays`: the likelihood itself
"""
from __future__ import annotations

from .design import DesignSpec
from .fit import ParametricModel, fit_distribution, fit_parametric
from .likelihood import Layout, SurvivalArrays, loglik
from .result import ParametricFit, Prediction
from .table import SummaryTable

__all__ = ["DesignSpec", "ParametricModel", "fit_distribution", "fit_parametric", "Layout",
           "SurvivalArrays", "loglik", "ParametricFit", "Prediction", "SummaryTable"]
