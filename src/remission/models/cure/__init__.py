"""Cure models: mixture and non-mixture combinators over any parametric family, the
semi-parametric Cox mixture cure model, relative-survival (statistical) cure, derived
quantities and fast batched bootstrap.

>>> import numpy as np
>>> from remission.data import SurvivalData
>>> rng = np.random.default_rng(3)
>>> cured = rng.random(500) < 0.3
>>> t = np.where(cured, np.inf, 2 * rng.weibull(1.3, 500))
>>> c = rng.uniform(5, 9, 500)
>>> data = SurvivalData.from_arrays(np.minimum(t, c), t <= c)
>>> fit = fit_cure_model(data, "weibull", "mixture")
>>> pi = cure_fraction(fit)
>>> bool(pi.lower[0, 0] < 0.3 < pi.upper[0, 0])
True
>>> p = probability_cured(fit, [0.0, 4.0])   # pi / S(t): rises from pi towards 1
>>> bool(p.estimate[0, 0] < p.estimate[0, 1])
True
"""
from __future__ import annotations

from .combinators import MixtureCure, NonMixtureCure, cure_distribution
from .cox_result import CoxCureFit
from .fit import fit_cure, fit_cure_model
from .links import LINKS, LinkBijection, get_link
from .result import CureFit


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


__all__ = ["MixtureCure", "NonMixtureCure", "cure_distribution", "CureFit", "CoxCureFit",
           "fit_cure", "fit_cure_model", "cure_fraction",
           "probability_cured", "bootstrap_cure", "LINKS", "LinkBijection", "get_link"]
