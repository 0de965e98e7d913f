"""Parameter constraints and the bijections that map them to the real line.

Every distribution parameter carries one constraint.  Fitting happens on the unconstrained
scale ``eta`` (where linear predictors live); results are reported on the natural scale
``theta = bijection.forward(eta)``.  The registry :data:`BIJECTIONS` maps each constraint to
its bijection, as numpyro's ``biject_to`` does::

    >>> float(biject_to(positive).forward(0.0))
    1.0
    >>> round(float(biject_to(unit_interval).inverse(0.5)), 12)
    0.0
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, logit


@dataclass(frozen=True)
class Constraint:
    """A named parameter domain (``real``, ``positive``, ``unit_interval``)."""

    name: str

    def check(self, value) -> np.ndarray:
        v = np.asarray(value, dtype=float)
        if self.name == "real":
            return np.isfinite(v)
        if self.name == "positive":
            return np.isfinite(v) & (v > 0)
        if self.name == "unit_interval":
            return (v > 0) & (v < 1)
        raise KeyError(self.name)

    def __repr__(self) -> str:
        return self.name


real = Constraint("real")
positive = Constraint("positive")
unit_interval = Constraint("unit_interval")


@dataclass(frozen=True)
class Bijection:
    """theta = forward(eta); ``jacobian(eta)`` is d theta / d eta (elementwise)."""

    name: str

    def forward(self, eta):
        eta = np.asarray(eta, dtype=float)
        if self.name == "identity":
            return eta
        if self.name == "exp":
            return np.exp(eta)
        if self.name == "logistic":
            return expit(eta)
        raise KeyError(self.name)

    def inverse(self, theta):
        theta = np.asarray(theta, dtype=float)
        if self.name == "identity":
            return theta
        if self.name == "exp":
            return np.log(theta)
        if self.name == "logistic":
            return logit(theta)
        raise KeyError(self.name)

    def jacobian(self, eta, theta=None):
        """d theta / d eta, given eta (and optionally the already computed theta)."""
        if self.name == "identity":
            return np.ones_like(np.asarray(eta, dtype=float))
        theta = self.forward(eta) if theta is None else theta
        if self.name == "exp":
            return theta
        if self.name == "logistic":
            return theta * (1.0 - theta)
        raise KeyError(self.name)


identity = Bijection("identity")
exp = Bijection("exp")
logistic = Bijection("logistic")

#: constraint name -> bijection from the real line onto the constraint's domain
BIJECTIONS: dict[str, Bijection] = {
    "real": identity,
    "positive": exp,
    "unit_interval": logistic,
}


def biject_to(constraint: Constraint) -> Bijection:
    """The bijection from R onto ``constraint``'s domain."""
    return BIJECTIONS[constraint.name]
