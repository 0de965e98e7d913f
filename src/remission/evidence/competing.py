r"""Evidence for the cure of the disease when another cause competes (issue 18, part 4).

With competing risks (``--event-type``) and a cause of interest (``--cause relapse``), the
presence test, the Yuen-Musta test of sufficient follow-up, the conclusion and the follow-up
plan are applied to the **cause-specific (net) distribution** of the cause: the Kaplan-Meier
of relapse with the deaths without relapse (every other cause) censored.  That is the
distribution of the mixture cure model of the disease
(:mod:`remission.models.cure.competing`: a fraction cured of the disease never relapses, every
patient may die of other causes with a hazard that does not depend on cure status), whose
relapse part is exactly Farewell's mixture cure likelihood of those cause-specific data.  It
is valid under independent competing risks (deaths without relapse act as independent
censoring of the latent relapse time), an assumption the data cannot check.

Why not the cumulative incidence F_1 of relapse (Aalen-Johansen)?  F_1 plateaus below 1 even
when *no one* is cured, at the chance of dying before relapsing; "a plateau higher than without
cure" on that scale is not evidence of a cured fraction, and the tests' null models (an event
time with a non-increasing tail density, independent censoring) do not describe a
subdistribution.  So the tests use the net scale, and the plateau of F_1 is reported beside
them (``competing`` in the JSON): the chance of ever relapsing in the presence of the competing
deaths, always at most the net chance 1 - KM.

Planning (:func:`competing_model`): each simulated trial also draws, for every patient, a
time of death from the other causes from the model without cure with the lowest AIC fitted to
those deaths (relapses censored), independent of relapse, so that a patient who dies without
relapse stops contributing (:class:`~.simulate.CensoringPattern` ``competing``).
"""
from __future__ import annotations

import numpy as np


def resolve(data, cause=None):
    """(data to test, cause or None): the cause-specific data of ``cause`` when there is one.
    Without ``cause``: data made by ``data.for_cause(C)`` (its events are exactly C's) are
    tested for C; other data (e.g. an example's composite endpoint that merely declares a
    ``cause_of_interest``) for their own event."""
    from ..errors import DataError

    if cause is None:
        coi = (data.meta or {}).get("cause_of_interest")
        if coi is None or data.cause is None or not np.array_equal(
                np.asarray(data.event, bool), np.array([v == coi for v in data.cause])):
            return data, None
        cause = coi
    if data.cause is None:
        raise DataError(f"cause '{cause}': no cause of event in the data (give --event-type)",
                        column="cause")
    return data.for_cause(cause), str(cause)


def other_causes(data, cause) -> list[str]:
    return [c for c in data.cause_levels() if c != str(cause)]


def tested_phrase(data, cause) -> str:
    """E.g. ``relapse, deaths without relapse censored`` (the other causes named)."""
    others = other_causes(data, cause)
    what = ", ".join(others) if others else "none"
    return f"{cause}, other causes ({what}) censored"


def competing_block(data, cause, tail, conf_level: float = 0.95) -> dict:
    """What was tested, and the Aalen-Johansen cumulative incidence of ``cause`` at its last
    event (its plateau) beside the net (Kaplan-Meier) plateau.  ``data``: with causes."""
    from ..nonparametric.competing import cumulative_incidence
    from ..table import json_number as num

    ci = cumulative_incidence(data, conf_level=conf_level)
    at = ci.at([tail.last_event_time], str(cause))
    net = float(tail.survival_at_plateau)
    return {
        "cause": str(cause), "other_causes": other_causes(data, cause),
        "tested": tested_phrase(data, cause),
        "scale": "cause-specific (net): Kaplan-Meier of the cause with the other causes "
                 "censored, valid under independent competing risks (docs/evidence.md)",
        "net_plateau": {"free_of_cause": net, "cause_probability": 1.0 - net},
        "cumulative_incidence_plateau": {
            "method": "Aalen-Johansen cumulative incidence at the last event of the cause",
            "time": float(tail.last_event_time),
            **{k: num(at[k][0]) for k in ("estimate", "se", "lower", "upper")},
            "conf_type": ci.conf_type, "conf_level": ci.conf_level},
    }


def competing_model(data, cause, horizon: float):
    """(sampler, info): the model without cure with the lowest AIC (families of
    :data:`~.plan_scenarios.NO_CURE_DISTS`) fitted to the deaths from every cause other than
    ``cause`` (its events censored), tabulated to ``horizon`` (:class:`~.plan_scenarios.
    TabulatedModel`: a death beyond the horizon is never observed)."""
    from ..data.survival_data import SurvivalData
    from ..errors import ConvergenceError, DataError
    from .plan_scenarios import NO_CURE_DISTS, tabulate

    other = np.array([v is not None and v != str(cause) for v in data.cause], dtype=bool)
    if not other.any():
        raise DataError(f"cause '{cause}': no event of another cause to simulate "
                        "competing deaths from", column=data.meta.get("event_column", "cause"))
    dd = SurvivalData.from_arrays(np.asarray(data.time, float), other,
                                  time_unit=data.time_unit)
    ok = [m for m in _fit(dd, NO_CURE_DISTS)
          if m.ok and m.row.get("aic") is not None and np.isfinite(m.row["aic"])]
    if not ok:
        raise ConvergenceError(f"no model of the deaths from the other causes than '{cause}' "
                               "converged; cannot plan from it")
    best = min(ok, key=lambda m: m.row["aic"])
    tab = tabulate(best, horizon)
    pars = [float(np.ravel(p)[0]) for p in best.fit.natural_parameters()]
    info = {"causes": other_causes(data, cause), "events": int(other.sum()),
            "dist": best.dist, "parameters": pars, "aic": float(best.row["aic"]),
            "never": tab.cure,
            "selection": "lowest AIC among " + ", ".join(NO_CURE_DISTS) + " (no cure), "
                         f"fitted to the other causes with '{cause}' censored"}
    return tab, info


def _fit(data, dists):
    import warnings

    from ..models.compare import fit_models

    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fit_models(data, [(d, "none") for d in dists])
