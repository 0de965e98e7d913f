"""Several models on one dataset, ranked by AIC (the library side of ``remission compare``).

:func:`fit_models` fits every requested (distribution, cure) pair once and keeps the fitted
objects beside their compare rows (the report draws curves from them);
:func:`compare_models` is the SPEC ``compare`` document built from the same rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

CURES = ("none", "mixture", "non-mixture")


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


def check_cures(cures: Iterable[str]) -> None:
    from ..errors import OptionError

    bad = [c for c in cures if c not in CURES]
    if bad:
        raise OptionError(f"--cure: unknown value '{bad[0]}' (none, mixture, non-mixture)")


def _finite(v):
    v = float(v)
    return v if np.isfinite(v) else None


def _parametric(data, dist, h, conf_level, options):
    from ..errors import OptionError
    from .fit import fit_parametric

    if dist == "cox":
        raise OptionError("cox is available only with a mixture cure")
    f = fit_parametric(data, dist, conf_level=conf_level, raise_on_failure=False, **options)
    row = {"dist": dist, "cure": None, "converged": bool(f.converged), "loglik": f.loglik,
           "aic": f.aic, "bic": f.bic, "k": f.k, "cure_fraction": None,
           "survival_at_horizon": None, "rmst_at_horizon": None}
    if not f.converged:  # a non-converged fit is reported as such, never as a result
        row["message"] = f.message
        return f, row
    row["survival_at_horizon"] = _finite(f.survival([h]).estimate[0, 0])
    row["rmst_at_horizon"] = _finite(f.rmst([h]).estimate[0, 0])
    lts = float(f.long_term_survival().estimate[0, 0])
    if lts > 0:
        row["long_term_survival"] = lts
    return f, row


def fit_models(data, specs, horizon=None, conf_level=0.95, *, spline_options=None,
               link="logistic", on_model: Callable[[ComparedModel], None] | None = None
               ) -> list[ComparedModel]:
    """Fit each ``(dist, cure)`` of ``specs`` (cure one of :data:`CURES`) and rank by AIC.

    Converged fits come first by AIC; non-converged ones are kept, flagged and ranked last;
    a pair that cannot be fitted at all keeps ``fit=None`` and a ``message``.  Every row gets
    ``delta_aic`` and ``delta_bic`` against the best converged model.  ``on_model`` is called
    after each fit (e.g. to advance a progress bar).
    """
    from ..errors import RemissionError

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
            if cure == "none":
                fit, row = _parametric(data, dist, h, conf_level,
                                       so if dist == "spline" else {})
            else:
                from .cure import compare_fit

                fit, res = compare_fit(data, dist=dist, cure=cure, horizon=h,
                                       conf_level=conf_level, link=link,
                                       knots=so.get("k", 1), scale=so.get("scale", "hazard"))
                row.update(res)
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
                   spline_options=None, link="logistic") -> dict:
    """Fit every (dist, cure) combination to ``data`` and rank by AIC.

    ``dists``: family names (``cox`` only with a mixture cure); ``cures``: any of ``none``,
    ``mixture``, ``non-mixture``.  Returns the SPEC compare document
    ``{"horizon", "models": [...]}`` (see :func:`fit_models` for the ranking).
    """
    check_cures(cures)
    h = float(horizon) if horizon else float(np.max(data.time))
    models = fit_models(data, [(d, c) for c in cures for d in dists], h, conf_level,
                        spline_options=spline_options, link=link)
    return {"horizon": h, "time_unit": data.time_unit, "n": data.n, "events": data.n_events,
            "models": [m.row for m in models]}
