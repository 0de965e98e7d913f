"""Links for the cure fraction: bijections from the linear predictor to pi in (0, 1).

The cure fraction is the first parameter of :class:`~.combinators.MixtureCure` and
:class:`~.combinators.NonMixtureCure` (constraint ``unit_interval``).  Its link is implemented
as the bijection used for that parameter, so the one likelihood and optimiser fit every link:

==========  =======================================  ==========================
link        pi = forward(eta)                        eta = inverse(pi)
==========  =======================================  ==========================
logistic    1 / (1 + exp(-eta))                      log(pi / (1 - pi))
loglog      exp(-exp(eta))                           log(-log(pi))
cloglog     1 - exp(-exp(eta))                       log(-log(1 - pi))
probit      Phi(eta)                                 Phi^-1(pi)
identity    eta  (valid only for 0 <= eta < 1)       pi
==========  =======================================  ==========================

These follow flexsurvcure and Stata's ``strsmix``/``strsnmix``, so coefficients are directly
comparable with theirs: logistic, cloglog, probit and identity are increasing in eta (a
positive coefficient means a larger cure fraction), loglog is *decreasing* (a positive
coefficient means a smaller cure fraction).  With the identity link the likelihood is -inf outside [0, 1) and the optimiser's
line search stays inside; intervals are then clipped to [0, 1].

>>> round(float(get_link("cloglog").forward(get_link("cloglog").inverse(0.3))), 12)
0.3
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, log_ndtr, logit, ndtr, ndtri

from ...distributions.constraints import Bijection

from ..spec import LINKS, normalize_link

__all__ = ["LINKS", "LinkBijection", "get_link"]


@dataclass(frozen=True)
class LinkBijection(Bijection):
    """A cure-fraction link (``name`` in :data:`LINKS`)."""

    def forward(self, eta):
        eta = np.asarray(eta, dtype=float)
        with np.errstate(over="ignore", under="ignore"):
            if self.name == "logistic":
                return expit(eta)
            if self.name == "loglog":
                return np.exp(-np.exp(eta))
            if self.name == "cloglog":
                return -np.expm1(-np.exp(eta))
            if self.name == "probit":
                return ndtr(eta)
            if self.name == "identity":
                return eta
        raise KeyError(self.name)

    def inverse(self, theta):
        p = np.asarray(theta, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.name == "logistic":
                return logit(p)
            if self.name == "loglog":
                return np.log(-np.log(p))
            if self.name == "cloglog":
                return np.log(-np.log1p(-p))
            if self.name == "probit":
                return ndtri(p)
            if self.name == "identity":
                return p
        raise KeyError(self.name)

    def jacobian(self, eta, theta=None):
        eta = np.asarray(eta, dtype=float)
        with np.errstate(over="ignore", under="ignore"):
            if self.name == "logistic":
                p = self.forward(eta) if theta is None else theta
                return p * (1.0 - p)
            if self.name == "loglog":
                return -np.exp(eta - np.exp(eta))
            if self.name == "cloglog":
                return np.exp(eta - np.exp(eta))
            if self.name == "probit":
                return np.exp(-0.5 * eta * eta) / np.sqrt(2 * np.pi)
            if self.name == "identity":
                return np.ones_like(eta)
        raise KeyError(self.name)

    def log_forward(self, eta):
        """log pi, accurate for pi near 0."""
        eta = np.asarray(eta, dtype=float)
        if self.name == "logistic":
            return -np.logaddexp(0.0, -eta)
        if self.name == "loglog":
            return -np.exp(eta)
        if self.name == "probit":
            return log_ndtr(eta)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(self.forward(eta))


def get_link(name) -> LinkBijection:
    """The link bijection called ``name`` (an :class:`OptionError` for unknown names)."""
    if isinstance(name, LinkBijection):
        return name
    return LinkBijection(normalize_link(name))
