"""Relative-survival cure models: loss of lifetime against the general population.

A relative-survival (excess-hazard) cure model has observed hazard h(t) = h*(t) + lambda(t),
h* the background hazard of each subject (life table by age, sex and calendar year, or a
``bhazard`` column), and the excess part a cure distribution: relative survival
R(t) = S(t) / S*(t) tends to pi, the *statistical cure* fraction (the share of patients whose
mortality returns to that of the general population).

Loss of lifetime (Andersson et al. 2013, Stat Med 32:5286) is the mean expected life of the
matched population minus the mean life of the patients,

    LoL = mean_i [ integral_0^inf S*_i(t) dt - integral_0^inf S*_i(t) R_i(t) dt ],

computed to a horizon at which every subject would be 110 years old (the life table's tail
makes survival negligible there), with a delta-method interval from the coefficient covariance.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..extrapolate import extrapolate
from ..prediction import TRANSFORMS, delta_method


@dataclass(frozen=True)
class LossOfLifetime:
    estimate: float
    lower: float
    upper: float
    se: float
    expected_life: float
    observed_life: float
    horizon: float
    time_unit: str | None

    def to_dict(self) -> dict:
        def num(v):
            return float(v) if np.isfinite(v) else None
        return {"estimate": num(self.estimate), "lower": num(self.lower),
                "upper": num(self.upper), "se": num(self.se),
                "expected_life": num(self.expected_life),
                "observed_life": num(self.observed_life), "horizon": num(self.horizon),
                "time_unit": self.time_unit,
                "method": "excess-hazard cure model, life expectancy of the matched "
                          "population minus that of the patients (delta-method interval)"}


def loss_of_lifetime(cfit, background, max_age: float = 110.0, n_grid: int = 2000
                     ) -> LossOfLifetime:
    """Mean loss of lifetime of the fitted subjects (model time units)."""
    fit = cfit.fit
    years = max(1.0, max_age - float(np.min(background.age)))
    horizon = years / background.years_per_unit
    newdata = fit.covariates if fit.has_covariates else None

    def lol(coef):
        f = replace(fit, coef=coef, relative_survival=True)
        ex = extrapolate(f, background, horizon, newdata=newdata, n_grid=n_grid,
                         method="additive")
        return ex.expected_mean_survival - ex.mean_survival, ex

    _, ex = lol(fit.coef)
    # the one delta method, on the identity scale (step 1e-5: the extrapolation's grid
    # integral is smooth in the coefficients only to ~1e-10)
    est, lo, up, se = delta_method(
        lambda rows: np.array([lol(c)[0] for c in rows]), fit.coef, fit.vcov, fit.conf_level,
        TRANSFORMS["identity"], step=1e-5)
    return LossOfLifetime(float(est), float(lo), float(up), float(se),
                          float(ex.expected_mean_survival), float(ex.mean_survival),
                          float(horizon), fit.time_unit)
