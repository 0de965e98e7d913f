"""Life-years to a horizon with general-population mortality (HTA mean survival).

:func:`life_years` extrapolates a fitted model with the cohort's general-population mortality
(:func:`remission.models.extrapolate.extrapolate`, whose ``method`` says how the two are
combined) and reports

* the mean survival to the horizon (life-years, in the model's time unit) = integral_0^h S(t);
* the same discounted continuously at an annual rate r (NICE: 3.5 %):
  integral_0^h S(t) (1 + r)^(-t in years) dt;
* survival at 5, 10 and 20 years and at the horizon (landmarks);
* the matched general population's mean survival to the horizon (SMR 1).

Intervals: bootstrap percentiles when the fit carries bootstrap replicates (each replicate's
coefficients re-extrapolated), otherwise the delta method (:func:`remission.models.prediction.
delta_method`) on the log scale from the coefficient covariance; ``interval`` says which.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .extrapolate import METHOD_TEXT, Extrapolation, default_method, extrapolate, trapz

#: landmark times in years (those within the horizon, plus the horizon itself)
LANDMARK_YEARS = (5.0, 10.0, 20.0)


@dataclass(frozen=True, eq=False)
class LifeYears:
    horizon: float
    method: str
    mean: tuple            # (estimate, lower, upper)
    discounted: tuple      # (estimate, lower, upper)
    landmarks: list        # [(time, survival)]
    population_mean: float
    model_mean: float
    interval: str
    smr: float
    discount: float
    time_unit: str | None
    notes: list = field(default_factory=list)
    cohort: dict = field(default_factory=dict)
    curve: Extrapolation | None = None

    def to_dict(self) -> dict:
        def tri(t):
            return {k: (float(v) if np.isfinite(v) else None)
                    for k, v in zip(("estimate", "lower", "upper"), t)}
        out = {"horizon": float(self.horizon), "method": self.method,
               "method_description": METHOD_TEXT[self.method],
               "mean_survival": tri(self.mean), "mean_survival_discounted": tri(self.discounted),
               "landmarks": [{"time": float(t), "survival": float(s)}
                             for t, s in self.landmarks],
               "population_mean_survival": float(self.population_mean),
               "model_mean_survival": float(self.model_mean),
               "interval": self.interval, "smr": self.smr, "discount_rate": self.discount,
               "time_unit": self.time_unit, "notes": list(self.notes), "cohort": self.cohort}
        if self.curve is not None:  # the curves the report draws (20 points)
            out["curve"] = self.curve.to_dict()["curve"]
        return out


def _discounted(ex: Extrapolation, rate: float, years_per_unit: float) -> float:
    w = (1.0 + rate) ** (-ex.time * years_per_unit)
    return trapz(ex.survival * w, ex.time)


def life_years(fit, background, horizon: float, *, smr: float | None = None,
               discount: float | None = None, n_grid: int = 2000, newdata=None,
               landmark_years=LANDMARK_YEARS) -> LifeYears:
    """Life-years of the cohort ``background`` under ``fit`` to ``horizon`` (model units).

    ``smr`` and ``discount`` default to the background's (``BackgroundMortality.with_options``;
    1 and 0.035).
    """
    from .prediction import TRANSFORMS, delta_method, percentile_interval

    smr = float(background.smr if smr is None else smr)
    rate = float(background.discount if discount is None else discount)
    method = default_method(fit)
    inner = getattr(fit, "fit", fit)
    ypu = background.years_per_unit

    cache: dict = {}  # population hazards: computed once for the estimate and every replicate

    def run(coef=None, grid=n_grid):
        return extrapolate(fit, background, horizon, newdata=newdata, n_grid=grid,
                           method=method, smr=smr, coef=coef, cache=cache)

    def values(ex):
        return np.array([ex.mean_survival, _discounted(ex, rate, ypu)])

    ex = run()
    est = values(ex)
    boot = getattr(inner, "bootstrap", None)
    if boot is not None:
        reps = np.array([values(run(c)) for c in np.asarray(boot.coefs)])
        lo, up, _ = percentile_interval(reps, inner.conf_level)
        interval = f"bootstrap percentile ({reps.shape[0]} replicates)"
    else:
        _, lo, up, _ = delta_method(lambda rows: np.array([values(run(c)) for c in rows]),
                                    inner.coef, inner.vcov, inner.conf_level,
                                    TRANSFORMS["log"], step=1e-5)
        interval = "delta method (log scale)"
        if not (np.all(np.isfinite(up)) and np.all(lo > 0)):  # a singular covariance
            lo, up = np.full(2, np.nan), np.full(2, np.nan)
            interval = ("no interval: the coefficient covariance is singular (e.g. a cure "
                        "fraction at its boundary); use --ci bootstrap")
    lm = [t / ypu for t in landmark_years if t / ypu < horizon] + [float(horizon)]
    return LifeYears(float(horizon), method, (est[0], lo[0], up[0]), (est[1], lo[1], up[1]),
                     [(t, float(ex.at([t])[0])) for t in lm], ex.expected_mean_survival,
                     ex.model_mean_survival, interval, smr, rate, inner.time_unit,
                     background.notes(), background.describe(), ex)


def life_years_text(ex: dict) -> str:
    """Lines of text for a document's ``extrapolation`` (see :meth:`LifeYears.to_dict`)."""
    def f(v):
        return "NA" if v is None else f"{v:.4g}"

    def tri(d):
        return f"{f(d['estimate'])} ({f(d['lower'])} to {f(d['upper'])})"
    unit = ex.get("time_unit") or ""
    c = ex.get("cohort") or {}
    lines = [f"life-years to {ex['horizon']:g} {unit} with general-population mortality "
             f"({ex['method']}: {ex['method_description']}; SMR {ex['smr']:g})",
             f"  cohort: age {_who(c.get('age'))}, sex {_who(c.get('sex'))}, year "
             f"{_who(c.get('year'))}; {c.get('lifetable', '')}",
             f"  mean survival {tri(ex['mean_survival'])} {unit}; discounted at "
             f"{100 * ex['discount_rate']:g}% a year {tri(ex['mean_survival_discounted'])}; "
             f"general population {ex['population_mean_survival']:.4g}; {ex['interval']}",
             "  survival at " + ", ".join(f"{p['time']:g}: {p['survival']:.3f}"
                                          for p in ex["landmarks"])]
    lines += [f"note: {n}" for n in ex.get("notes") or []]
    return "\n".join(lines)


def _who(v) -> str:
    if isinstance(v, dict):
        if "fraction_male" in v:
            return f"column {v['column']} ({100 * v['fraction_male']:.0f}% male)"
        return f"column {v['column']} (mean {v['mean']:.4g})"
    return "?" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))
