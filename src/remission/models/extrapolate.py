"""Honest extrapolation: general-population mortality is never left out of a lifetime curve.

For each subject i of the cohort (h*_i the life-table hazard, ``smr`` its multiplier) the
extrapolated survival is, by ``method``:

* ``"max"`` (models without a cure fraction, and non-mixture cure models fitted to all-cause
  data; NICE DSU TSD 21): h_i(t) = max(h_model,i(t), smr h*_i(t));
* ``"mixture"`` (mixture cure models fitted to all-cause data; the standard HTA form used in
  NICE CAR-T appraisals): everyone carries smr h*_i, the uncured their latency on top of it:
  S_i = exp(-smr H*_i) (pi_i + (1 - pi_i) S_u,i);
* ``"additive"`` (relative-survival / excess-hazard fits, with or without cure): net survival
  times the expected, h_i(t) = smr h*_i(t) + lambda_i(t).

The reported curve is the cohort average S(t) = mean_i S_i(t), as R's ``survexp`` averages
expected survival over the same patients; the general population's curve (``expected``) is
that of the matched population itself (SMR 1).  Integrals use the exact model H and the exact
life-table H*, plus (max) a midpoint-rule integral of the bounded excess
max(0, smr h* - h_model) on a fine grid.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .background import BackgroundMortality

METHODS = ("max", "mixture", "additive")

#: how each method combines the model with general-population mortality (for documents)
METHOD_TEXT = {
    "max": "hazard = max(model hazard, SMR x general-population hazard) (NICE DSU TSD 21)",
    "mixture": "mixture cure: the cured carry SMR x general-population mortality, the uncured "
               "their latency hazard on top of it; S = S*(t)^SMR (pi + (1 - pi) S_u(t))",
    "additive": "relative survival: net (excess-hazard) survival times the expected survival "
                "S*(t)^SMR of the matched general population",
}


@dataclass(frozen=True, eq=False)
class Extrapolation:
    time: np.ndarray
    survival: np.ndarray           # cohort survival with background mortality
    model_survival: np.ndarray     # cohort survival of the model alone
    expected_survival: np.ndarray  # population (expected) survival of the same cohort
    horizon: float
    mean_survival: float           # restricted mean of ``survival`` to the horizon
    model_mean_survival: float
    expected_mean_survival: float
    method: str
    smr: float = 1.0

    def at(self, times) -> np.ndarray:
        return np.interp(np.asarray(times, dtype=float), self.time, self.survival)

    def to_dict(self, times=None) -> dict:
        times = self.time[:: max(1, self.time.size // 20)] if times is None else np.asarray(times)
        return {"method": self.method, "horizon": float(self.horizon),
                "mean_survival": float(self.mean_survival),
                "model_mean_survival": float(self.model_mean_survival),
                "expected_mean_survival": float(self.expected_mean_survival),
                "curve": [{"time": float(t), "survival": float(a), "model_survival": float(b),
                           "expected_survival": float(c)}
                          for t, a, b, c in zip(times, self.at(times),
                                                np.interp(times, self.time, self.model_survival),
                                                np.interp(times, self.time, self.expected_survival))]}


def trapz(y, x) -> float:
    return float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(x)))


def default_method(fit) -> str:
    """The method for a fitted model (see the module docstring)."""
    from ..errors import OptionError
    from .cure.combinators import MixtureCure

    if getattr(fit, "dist_name", "") == "cox":
        raise OptionError("extrapolation is not available for the semi-parametric (cox) "
                          "latency: its baseline ends at the last event; use a parametric "
                          "latency (--dist weibull, ...)")
    inner = getattr(fit, "fit", fit)
    if inner.relative_survival:
        return "additive"
    return "mixture" if isinstance(inner.dist, MixtureCure) else "max"


def extrapolate(fit, background: BackgroundMortality, horizon: float, *,
                newdata=None, n_grid: int = 2000, method: str | None = None,
                chunk: int = 256, smr: float = 1.0, coef=None, cache: dict | None = None
                ) -> Extrapolation:
    """Cohort survival to ``horizon`` (model time units) with background mortality.

    ``fit``: any parametric fitted model (ParametricFit, or a CureFit: mixture, non-mixture,
    relative-survival).  ``newdata`` holds the subjects' covariates (rows aligned with
    ``background``); by default the fitting data's covariates when the model has covariates.
    ``method`` defaults to :func:`default_method`; ``smr`` multiplies the general-population
    hazard where the method applies it; ``coef`` replaces the fit's coefficients (intervals).
    ``cache``: a dict kept across calls with the same background, horizon and grid (the
    population hazards do not depend on the coefficients; interval replicates reuse them).
    """
    method = method or default_method(fit)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    smr = float(smr)
    inner = getattr(fit, "fit", fit)  # a CureFit's ParametricFit of the cure distribution
    grid = np.linspace(0.0, float(horizon), int(n_grid) + 1)
    mid = 0.5 * (grid[1:] + grid[:-1])
    dt = np.diff(grid)
    if inner.has_covariates:
        nd = inner.covariates if newdata is None else newdata
        theta = [np.asarray(p, dtype=float) for p in inner.natural_parameters(nd, coef=coef)]
        if background.n == 1 and theta[0].size > 1:  # one patient stands for all alike
            background = background.subset(np.zeros(theta[0].size, dtype=int))
        if theta[0].size != background.n:
            raise ValueError("covariate rows and background subjects differ in number")
    else:
        theta = [np.full(background.n, float(np.ravel(p)[0]))
                 for p in inner.natural_parameters(coef=coef)]
    dist = inner.dist
    if method == "mixture":
        pi_all, theta, dist = theta[0], theta[1:], dist.base
    S_tot = np.zeros(grid.size)
    S_mod = np.zeros(grid.size)
    S_pop = np.zeros(grid.size)
    for a in range(0, background.n, chunk):
        idx = np.arange(a, min(a + chunk, background.n))
        bg = background.subset(idx)
        th = [p[idx][:, None] for p in theta]
        ones = np.ones((idx.size, 1))
        with np.errstate(all="ignore"):
            Hm = np.asarray(dist.cumulative_hazard(th, grid[None, :]), dtype=float)
            Hm = np.where(np.isnan(Hm), 0.0, Hm) * ones
            key = (a, background.n, float(horizon), int(n_grid))
            if cache is not None and key in cache:
                Hp, hp1 = cache[key]
            else:
                Hp, hp1 = bg.cumulative_hazard(grid), bg.hazard(mid)
                if cache is not None:
                    cache[key] = (Hp, hp1)
            if method == "additive":
                Ht = Hm + smr * Hp
            else:
                hm = np.asarray(dist.hazard(th, mid[None, :]), dtype=float) * ones
                hp = smr * hp1
                extra = np.maximum(0.0, hp - np.nan_to_num(hm, nan=0.0, posinf=np.inf))
                Ht = Hm + np.concatenate([np.zeros((idx.size, 1)),
                                          np.cumsum(extra * dt[None, :], axis=1)], axis=1)
            if method == "mixture":
                pi = pi_all[idx][:, None]
                S_tot += (np.exp(-smr * Hp) * (pi + (1 - pi) * np.exp(-Hm))).sum(axis=0)
                S_mod += (pi + (1 - pi) * np.exp(-Hm)).sum(axis=0)
            else:
                S_tot += np.exp(-Ht).sum(axis=0)
                S_mod += np.exp(-Hm).sum(axis=0)
            S_pop += np.exp(-Hp).sum(axis=0)
    S_tot /= background.n
    S_mod /= background.n
    S_pop /= background.n
    return Extrapolation(grid, S_tot, S_mod, S_pop, float(horizon), trapz(S_tot, grid),
                         trapz(S_mod, grid), trapz(S_pop, grid), method, smr)
