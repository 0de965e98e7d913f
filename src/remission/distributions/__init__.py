"""Parametric survival families, one module each, and the registry that names them.

>>> sorted(REGISTRY)[:3]
['exponential', 'gamma', 'gengamma']
>>> get_distribution("weibull").parameters
('shape', 'scale')
"""
from __future__ import annotations

from ..errors import OptionError
from .base import Distribution
from .constraints import BIJECTIONS, Bijection, Constraint, biject_to, positive, real, unit_interval
from .exponential import Exponential
from .gamma import Gamma
from .gengamma import GeneralizedGamma
from .gompertz import Gompertz
from .loglogistic import LogLogistic
from .lognormal import LogNormal
from .spline import RoystonParmar
from .weibull import Weibull

#: name -> factory (called with keyword options, e.g. ``k`` and ``scale`` for splines)
REGISTRY = {
    "exponential": Exponential,
    "weibull": Weibull,
    "gompertz": Gompertz,
    "lognormal": LogNormal,
    "loglogistic": LogLogistic,
    "gamma": Gamma,
    "gengamma": GeneralizedGamma,
    "spline": RoystonParmar,
}

_ALIASES = {"exp": "exponential", "weibullaft": "weibull", "lnorm": "lognormal",
            "llogis": "loglogistic", "log-normal": "lognormal", "log-logistic": "loglogistic",
            "generalized-gamma": "gengamma", "royston-parmar": "spline", "rp": "spline"}


def get_distribution(name, **options) -> Distribution:
    """A distribution object from its registry name (or an existing object, returned as is)."""
    if isinstance(name, Distribution):
        return name
    key = str(name).strip().lower()
    key = _ALIASES.get(key, key)
    if key not in REGISTRY:
        raise OptionError(f"unknown distribution '{name}' (choose from {', '.join(REGISTRY)})")
    if key == "spline":
        try:
            return RoystonParmar(**options)
        except ValueError as e:
            raise OptionError(str(e)) from None
    return REGISTRY[key]()


__all__ = ["Distribution", "Constraint", "Bijection", "BIJECTIONS", "biject_to", "real",
           "positive", "unit_interval", "REGISTRY", "get_distribution", "Exponential",
           "Weibull", "Gompertz", "LogNormal", "LogLogistic", "Gamma", "GeneralizedGamma",
           "RoystonParmar"]
