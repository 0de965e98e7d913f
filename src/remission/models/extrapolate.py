"""Honest extrapolation: a fitted model's hazard never falls below population mortality.

For each subject i of the cohort the extrapolated hazard is

* ``method="max"`` (plain models):  h_i(t) = max(h_model,i(t), h_pop,i(t))
* ``method="additive"`` (relative-survival / excess-hazard fits):  h_i(t) = h_pop,i(t) + h_model,i(t)

and the reported curve is the cohort average S(t) = mean_i exp(-integral_0^t h_i), as R's
``survexp`` averages expected survival over the same patients.  Integrals use the exact model
H plus the exact population H (additive), or the exact model H plus a midpoint-rule integral of
the bounded excess max(0, h_pop - h_model) on a fine grid (max).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .background import BackgroundMortality
from .result import ParametricFit


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


def _trapz(y, x):
    return float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(x)))


def extrapolate(fit: ParametricFit, background: BackgroundMortality, horizon: float, *,
                newdata=None, n_grid: int = 2000, method: str | None = None,
                chunk: int = 256) -> Extrapolation:
    """Cohort survival to ``horizon`` (model time units) with background mortality.

    ``newdata`` holds the subjects' covariates (rows aligned with ``background``); by default
    the fitting data's covariates when the model has covariates.  ``method`` defaults to
    "additive" for relative-survival fits and "max" otherwise.
    """
    method = method or ("additive" if fit.relative_survival else "max")
    if method not in ("max", "additive"):
        raise ValueError("method must be 'max' or 'additive'")
    grid = np.linspace(0.0, float(horizon), int(n_grid) + 1)
    mid = 0.5 * (grid[1:] + grid[:-1])
    dt = np.diff(grid)
    if fit.has_covariates:
        nd = fit.covariates if newdata is None else newdata
        theta = [np.asarray(p, dtype=float) for p in fit.natural_parameters(nd)]
        if background.n == 1 and theta[0].size > 1:  # one patient stands for all alike
            background = background.subset(np.zeros(theta[0].size, dtype=int))
        if theta[0].size != background.n:
            raise ValueError("covariate rows and background subjects differ in number")
    else:
        theta = [np.full(background.n, float(p[0])) for p in fit.natural_parameters()]
    dist = fit.dist
    S_tot = np.zeros(grid.size)
    S_mod = np.zeros(grid.size)
    S_pop = np.zeros(grid.size)
    for a in range(0, background.n, chunk):
        idx = np.arange(a, min(a + chunk, background.n))
        bg = background.subset(idx)
        th = [p[idx][:, None] for p in theta]
        with np.errstate(all="ignore"):
            Hm = np.asarray(dist.cumulative_hazard(th, grid[None, :]), dtype=float)
            Hm = np.where(np.isnan(Hm), 0.0, Hm) * np.ones((idx.size, 1))
            Hp = bg.cumulative_hazard(grid)
            if method == "additive":
                Ht = Hm + Hp
            else:
                hm = np.asarray(dist.hazard(th, mid[None, :]), dtype=float) * np.ones((idx.size, 1))
                hp = bg.hazard(mid)
                extra = np.maximum(0.0, hp - np.nan_to_num(hm, nan=0.0, posinf=np.inf))
                Ht = Hm + np.concatenate([np.zeros((idx.size, 1)),
                                          np.cumsum(extra * dt[None, :], axis=1)], axis=1)
        S_tot += np.exp(-Ht).sum(axis=0)
        S_mod += np.exp(-Hm).sum(axis=0)
        S_pop += np.exp(-Hp).sum(axis=0)
    S_tot /= background.n
    S_mod /= background.n
    S_pop /= background.n
    return Extrapolation(grid, S_tot, S_mod, S_pop, float(horizon), _trapz(S_tot, grid),
                         _trapz(S_mod, grid), _trapz(S_pop, grid), method)
