"""Several models on one dataset, ranked by AIC (the library side of ``remission compare``).

:func:`fit_models` fits every requested (distribution, cure) pair once and keeps the fitted
objects beside their compare rows (the report draws curves from them);
:func:`compare_models` is the SPEC ``compare`` document built from the same rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from .spec import CURES as _CURE_MODELS

#: the cure choices of a comparison ("none" = no cure model)
CURES = ("none",) + _CURE_MODELS


@dataclass(frozen=True, eq=False)
class ComparedModel:
    """One fitted model of a comparison: ``fit`` is None when it could not be fitted at all."""

    dist: str
    cure: str | None          # None, "mixture" or "non-mixture"
    fit: object | None        # ParametricFit, CureFit or CoxCureFit
    row: dict                 # the SPEC compare row

    @property
    def ok(self) -> bool:
        return self.fit is not None and bool(self.row.get("converged"))

    @property
    def label(self) -> str:
        """``weibull`` or ``weibull mixture cure``."""
        return self.dist if self.cure is None else f"{self.dist} {self.cure} cure"

    @property
    def key(self) -> str:
        """``weibull/none`` or ``weibull/mixture`` (unique within a comparison)."""
        return f"{self.dist}/{self.cure or 'none'}"


def check_cures(cures: Iterable[str]) -> None:
    """An OptionError for an unknown cure kind (the one check,
    :func:`remission.models.spec.normalize_cure`)."""
    from .spec import normalize_cure

    for c in cures:
        normalize_cure(c)


def check_pairs(dists: Iterable[str], cures: Iterable[str]) -> None:
    """Validate every (distribution, cure) choice before any data are read: the names, and
    that ``cox`` is asked for with a mixture cure (:func:`remission.models.spec.check_pair`)."""
    from .spec import check_pair

    dists, cures = list(dists), list(cures)
    check_cures(cures)
    for d in dists:
        pairs = [c for c in cures if not (str(d).lower() == "cox" and c != "mixture")]
        check_pair(d, pairs[0] if pairs else cures[0])


def fit_models(data, specs, horizon=None, conf_level=0.95, *, spline_options=None,
               link="logistic", on_model: Callable[[ComparedModel], None] | None = None,
               background=None) -> list[ComparedModel]:
    """Fit each ``(dist, cure)`` of ``specs`` (cure one of :data:`CURES`) and rank by AIC.

    Converged fits come first by AIC; non-converged ones are kept, flagged and ranked last;
    a pair that cannot be fitted at all keeps ``fit=None`` and a ``message``.  Every row gets
    ``delta_aic`` and ``delta_bic`` against the best converged model.  ``on_model`` is called
    after each fit (e.g. to advance a progress bar).  With ``background`` (a
    BackgroundMortality, see :func:`remission.models.background.background_for`) each
    converged row gets the life-years ``extrapolation`` to ``horizon``
    (:func:`remission.models.lifeyears.life_years`; the models are fitted to all-cause data).
    """
    from ..errors import RemissionError

    from .document import model_row
    from .spec import ModelSpec

    specs = list(specs)
    check_cures(c for _, c in specs)
    h = float(horizon) if horizon else float(np.max(data.time))
    so = dict(spline_options or {})
    out = []
    for dist, cure in specs:
        fit, row = None, {"dist": dist, "cure": None if cure == "none" else cure,
                          "converged": False, "loglik": None, "aic": None, "bic": None,
                          "cure_fraction": None, "survival_at_horizon": None,
                          "rmst_at_horizon": None}
        try:
            spec = ModelSpec(dist=dist, cure=cure, link=link if cure != "none" else "logistic",
                             knots=so.get("k", 1), scale=so.get("scale", "hazard"),
                             conf_level=conf_level, reps=0)
            fit = spec.fit(data, raise_on_failure=False)
            row = model_row(fit, h, dist)
            if background is not None and fit.converged and dist != "cox":
                from .lifeyears import life_years

                ly = life_years(fit, background, h).to_dict()
                ly.pop("curve", None)
                row["extrapolation"] = ly
        except (RemissionError, FloatingPointError, np.linalg.LinAlgError) as e:
            fit, row["message"] = None, str(e)
        model = ComparedModel(dist, row["cure"], fit, row)
        out.append(model)
        if on_model is not None:
            on_model(model)
    return _rank(out)


def _rank(models: list[ComparedModel]) -> list[ComparedModel]:
    def best(key):
        vals = [m.row[key] for m in models if m.ok and m.row[key] is not None]
        return min(vals) if vals else None

    models.sort(key=lambda m: (not m.ok, m.row["aic"] if m.row["aic"] is not None else np.inf))
    for key in ("aic", "bic"):
        b = best(key)
        for m in models:
            m.row[f"delta_{key}"] = (None if b is None or m.row[key] is None
                                     else m.row[key] - b)
    return models


def compare_models(data, dists, cures=("none",), horizon=None, conf_level=0.95, *,
                   spline_options=None, link="logistic", background=None) -> dict:
    """Fit every (dist, cure) combination to ``data`` and rank by AIC.

    ``dists``: family names (``cox`` only with a mixture cure); ``cures``: any of ``none``,
    ``mixture``, ``non-mixture``.  Returns the SPEC compare document
    ``{"horizon", "models": [...]}`` (see :func:`fit_models` for the ranking).
    """
    check_pairs(dists, cures)
    h = float(horizon) if horizon else float(np.max(data.time))
    models = fit_models(data, [(d, c) for c in cures for d in dists], h, conf_level,
                        spline_options=spline_options, link=link, background=background)
    return {"horizon": h, "time_unit": data.time_unit, "n": data.n, "events": data.n_events,
            "models": [m.row for m in models]}
