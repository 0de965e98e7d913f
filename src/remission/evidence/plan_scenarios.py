r"""The plausible models a follow-up plan is searched under ("scenarios").

Every cure model within ``within`` (default 2) AIC units of the best model of the comparison
(:func:`remission.models.compare.fit_models`: the same fits as ``remission compare`` and the
report), and no cure: the lowest-AIC converged model without a cure fraction whose survival
falls to 0 (a Gompertz with a negative shape has a plateau of its own and is not "no cure").
If no cure model is within ``within`` of the best, the best cure model is kept (flagged
``plausible: false``) so that the plan still says what a cure would need; a comparison
without any converged cure model gets the default cure models (:data:`CURE_DISTS`) added.

Any fitted model is simulated as a mixture: cure fraction pi = S(inf) and latency
S_u(t) = (S(t) - pi) / (1 - pi) (for a non-mixture model S = pi^F(t) this is its exact
latency), drawn by inverting S_u tabulated on a fine grid up to ``horizon``; an event beyond the
horizon is never observed in the plan (the horizon exceeds every simulated follow-up), so it
is returned as ``inf``.  tests/evidence/test_plan_scenarios.py checks the draws of a
tabulated Weibull mixture against the closed-form inverse of :class:`~.simulate.CureModel`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: the model families compared when no comparison is passed in (the report passes its own)
CURE_DISTS = ("exponential", "weibull", "gompertz", "loglogistic")
NO_CURE_DISTS = ("exponential", "weibull", "gompertz", "lognormal", "loglogistic")
WITHIN_AIC = 2.0
GRID_POINTS = 8001


@dataclass(frozen=True, eq=False)
class TabulatedModel:
    """A survival model as a mixture: ``cure`` and the latency ``su`` on ``times`` (from 0)."""

    cure: float
    times: np.ndarray
    su: np.ndarray

    @classmethod
    def from_survival(cls, survival, cure: float, horizon: float,
                      points: int = GRID_POINTS) -> "TabulatedModel":
        """``survival(t)``: S on an array; ``cure`` = S(inf)."""
        times = np.linspace(0.0, float(horizon), int(points))
        s = np.asarray(survival(times), float)
        cure = float(min(max(cure, 0.0), 1.0))
        su = (s - cure) / (1.0 - cure) if cure < 1 else np.ones_like(s)
        su = np.minimum.accumulate(np.clip(su, 0.0, 1.0))  # non-increasing (rounding)
        su[0] = 1.0
        return cls(cure, times, su)

    def event_times(self, u_cure: np.ndarray, u_time: np.ndarray) -> np.ndarray:
        """Event times (inf for the cured and beyond the horizon): S_u(T) = u_time."""
        t = np.interp(u_time, self.su[::-1], self.times[::-1])
        t = np.where(u_time < self.su[-1], np.inf, t)
        return np.where(u_cure < self.cure, np.inf, t)

    def survival(self, t):
        return self.cure + (1 - self.cure) * np.interp(t, self.times, self.su)


@dataclass(frozen=True, eq=False)
class Scenario:
    """One model the plan is searched under."""

    label: str            # e.g. "weibull mixture cure", "no cure (weibull)"
    kind: str             # "cure" or "no cure"
    model: object         # has event_times(u_cure, u_time)
    info: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"model": self.label, "kind": self.kind, **self.info}


def _label(m) -> str:
    return f"no cure ({m.dist})" if m.cure is None else f"{m.dist} {m.cure} cure"


def _natural(m):
    pf = m.fit if m.cure is None else m.fit.fit
    return pf.dist, [float(np.ravel(p)[0]) for p in pf.natural_parameters()]


def tabulate(m, horizon: float) -> TabulatedModel:
    """A :class:`~remission.models.compare.ComparedModel` as a :class:`TabulatedModel`."""
    dist, th = _natural(m)
    return TabulatedModel.from_survival(lambda t: dist.survival(th, t),
                                        float(np.ravel(dist.long_term_survival(th))[0]),
                                        horizon)


def fit_comparison(data):
    """The default comparison: :data:`CURE_DISTS` x (mixture, non-mixture) and
    :data:`NO_CURE_DISTS` without cure, ranked by AIC."""
    import warnings

    from ..models.compare import fit_models

    specs = ([(d, c) for c in ("mixture", "non-mixture") for d in CURE_DISTS]
             + [(d, "none") for d in NO_CURE_DISTS])
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fit_models(data, specs)


def plausible_scenarios(data, horizon: float, models=None,
                        within: float = WITHIN_AIC) -> list[Scenario]:
    """Cure scenarios (best first) then the no-cure scenario, from ``models`` (a list of
    ComparedModel, e.g. the report's) or a fresh :func:`fit_comparison`."""
    from ..errors import ConvergenceError

    models = fit_comparison(data) if models is None else list(models)
    if not any(m.cure is not None and m.ok for m in models):
        # a comparison without cure models (e.g. a report asked for none): the plan still
        # needs them, so the default cure models join the given ones
        models += [m for m in fit_comparison(data) if m.cure is not None]
    ok = [m for m in models if m.ok and m.row.get("aic") is not None and m.dist != "cox"
          and np.isfinite(m.row["aic"])]
    if not ok:
        raise ConvergenceError("no model of the comparison converged; cannot plan from it")
    best = min(m.row["aic"] for m in ok)
    cures = sorted((m for m in ok if m.cure is not None), key=lambda m: m.row["aic"])
    plaus = [m for m in cures if m.row["aic"] <= best + within]
    flag = bool(plaus)
    if not plaus and cures:
        plaus = cures[:1]
    out = []
    for m in plaus:
        tab = tabulate(m, horizon)
        out.append(Scenario(_label(m), "cure", tab,
                            {"aic": float(m.row["aic"]), "delta_aic": float(m.row["aic"] - best),
                             "cure_fraction": tab.cure, "plausible": flag}))
    nocure = [m for m in ok if m.cure is None]
    for m in sorted(nocure, key=lambda m: m.row["aic"]):
        tab = tabulate(m, horizon)
        if tab.cure <= 1e-9:
            out.append(Scenario(_label(m), "no cure", TabulatedModel(0.0, tab.times, tab.su),
                                {"aic": float(m.row["aic"]),
                                 "delta_aic": float(m.row["aic"] - best),
                                 "cure_fraction": 0.0,
                                 "plausible": bool(m.row["aic"] <= best + within)}))
            break
    if not any(s.kind == "cure" for s in out):
        raise ConvergenceError("no cure model converged; cannot plan from one")
    return out
