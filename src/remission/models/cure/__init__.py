"""Cure models: mixture and non-mixture combinators over any parametric family, the
semi-parametric Cox mixture cure model, relative-survival (statistical) cure, derived
quantities and fast batched bootstrap.

>>> import remission as rm                      # doctest: +SKIP
>>> fit = fit_cure_model(data, "weibull", "mixture")   # doctest: +SKIP
>>> fit.cure_fraction().estimate                        # doctest: +SKIP
"""
from __future__ import annotations

from .combinators import MixtureCure, NonMixtureCure, cure_distribution
from .fit import CureFit, background_from, compare_row, fit_cure, fit_cure_model
from .links import LINKS, LinkBijection, get_link


def cure_fraction(fit, newdata=None):
    """The cure fraction of a :class:`CureFit` (a Prediction: estimate, lower, upper)."""
    return fit.cure_fraction(newdata)


def probability_cured(fit, times, newdata=None):
    """P(cured | event-free at t) = pi / S(t) for each t (a Prediction)."""
    return fit.probability_cured(times, newdata)


def bootstrap_cure(*args, **kwargs):
    """Batched bootstrap of a cure fit (see :func:`remission.models.cure.bootstrap.bootstrap_cure`)."""
    from .bootstrap import bootstrap_cure as _b

    return _b(*args, **kwargs)


__all__ = ["MixtureCure", "NonMixtureCure", "cure_distribution", "CureFit", "fit_cure",
           "fit_cure_model", "compare_row", "background_from", "cure_fraction",
           "probability_cured", "bootstrap_cure", "LINKS", "LinkBijection", "get_link"]
