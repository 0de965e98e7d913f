"""The model document and the compare row: the one place each is built, for every fitted
model (the CLI, the report and ``FittedModel.to_dict`` all call these).

:func:`model_document` is the ``remission fit --format json`` document: the SPEC keys
(``dist, cure, n, events, k, converged, loglik, aic, bic, parameters, predictions, median,
cure_fraction, cure_fraction_by``) read through the
:class:`~remission.models.protocol.FittedModel` contract, then what the model has beyond it
(covariance, bootstrap, the uncured and P(cured) of a cure model, extrapolation or loss of
lifetime with background mortality).  :func:`model_row` is one row of ``remission compare``.
"""
from __future__ import annotations

import numpy as np
from ..table import json_number as _num

PARAMETER_KEYS = ("name", "estimate", "se", "lower", "upper")


def _py(v):
    """A NumPy scalar as the plain Python value (JSON documents)."""
    return v.item() if hasattr(v, "item") else v


def default_times(time, n: int = 5) -> list[float]:
    """``n`` round, evenly spaced times up to the longest follow-up."""
    tmax = float(np.max(time))
    step = tmax / n
    mag = 10 ** np.floor(np.log10(step)) if step > 0 else 1.0
    step = float(np.ceil(step / mag) * mag) if step > 0 else 1.0
    times = [round(step * i, 10) for i in range(1, n + 1) if step * i <= tmax * 1.0001]
    return times or [tmax]


def _curve(pred, key: str) -> list[dict]:
    return [{"time": float(t), key: _num(e), "lower": _num(lo), "upper": _num(up)}
            for t, e, lo, up in zip(pred.at, pred.estimate[0], pred.lower[0], pred.upper[0])]


def model_document(fit, times=None, *, horizon=None) -> dict:
    """The model document of any fitted model (see the module docstring).

    ``times``: prediction times (default :func:`default_times` to the longest follow-up).
    A non-cure fit carrying background mortality (``fit.background``) is extrapolated with it
    to ``horizon`` (default three times the last time); a cure fit with background mortality
    (a relative-survival cure model) reports the loss of lifetime.
    """
    tl = list(times) if times is not None and len(times) else default_times([fit.tmax])
    cf = fit.marginal_cure_fraction()
    doc = {
        "dist": fit.dist_name,
        "cure": fit.cure_kind,
        "n": fit.n,
        "events": fit.n_events,
        "k": fit.k,
        "converged": bool(fit.converged),
        "loglik": fit.loglik,
        "aic": fit.aic,
        "bic": fit.bic,
        "parameters": [{k: r.get(k) for k in PARAMETER_KEYS} for r in fit.parameters()],
        "predictions": _curve(fit.survival(tl), "survival"),
        "median": fit.median().triple(),
        "cure_fraction": None if cf is None else cf.triple(),
        "cure_fraction_by": fit.cure_fraction_by(),
        # beyond the SPEC keys
        "time_unit": fit.time_unit,
        "conf_level": fit.conf_level,
        "ci": fit.ci,
        "message": fit.message,
        "relative_survival": bool(fit.relative_survival),
        "r_equivalent": r_equivalent(fit),
    }
    for row in doc["parameters"]:  # never a probability and a log-odds in one unlabelled column
        row["scale"] = parameter_scale(fit, row["name"])
    if fit.cure_kind is not None and fit.cure_fraction_by():
        doc["cure_fraction_average"] = (
            "population-averaged: the mean of the per-patient cure fractions over the "
            f"{fit.n} fitted patients (their covariate patterns as found in the sample); "
            "cure_fraction_by gives the cure fraction of each pattern")
    for key, value in (("vcov", fit.covariance()), ("prediction_profile",
                                                    fit.reference_profile()),
                       ("bootstrap", fit.bootstrap_info())):
        if value is not None:
            doc[key] = value
    if doc.get("prediction_profile"):
        doc["prediction_profile_note"] = (
            "median, predictions and the uncured are for this covariate pattern (categorical "
            "covariates at their reference level, numeric ones at their mean): " + ", ".join(
                f"{k} = {v}" for k, v in doc["prediction_profile"].items())
            + "; by_pattern gives each pattern of the sample")
        doc["by_pattern"] = pattern_predictions(fit, tl)
    if fit.cure_kind is None:
        _plain_extras(fit, doc, tl, horizon)
    else:
        _cure_extras(fit, doc, tl)
        if getattr(fit, "background", None) is not None and fit.converged and horizon:
            doc["extrapolation"] = _life_years(fit, horizon)
    return doc


def _life_years(fit, horizon) -> dict:
    """The SPEC ``extrapolation`` (life-years with general-population mortality)."""
    from .lifeyears import life_years

    return life_years(fit, fit.background, float(horizon)).to_dict()


def _plain_extras(fit, doc, tl, horizon):
    lts = fit.long_term_survival()
    if float(lts.estimate[0, 0]) > 0:
        doc["long_term_survival"] = {**lts.triple(),
                                     "note": "survival plateau implied by the model "
                                             "(improper distribution)"}
    try:
        doc["mean"] = fit.mean().triple()
    except (ArithmeticError, ValueError, RuntimeError):  # an infinite/undefined mean -> null
        doc["mean"] = {"estimate": None, "lower": None, "upper": None}
    if getattr(fit, "background", None) is not None and fit.converged:
        h = horizon if horizon else float(max(tl[-1], fit.tmax)) * 3
        doc["extrapolation"] = _life_years(fit, h)


def _cure_extras(fit, doc, tl):
    doc["link"] = fit.link
    doc["boundary"] = fit.boundary is not None
    doc["uncured"] = {"median": fit.uncured_median().triple(),
                      "survival": _curve(fit.uncured_survival(tl), "survival")}
    doc["probability_cured"] = _curve(fit.probability_cured(np.linspace(0.0, fit.tmax, 21)),
                                      "estimate")
    ct = fit.cure_time((0.9, 0.95))
    if ct is not None:
        doc["cure_time"] = {f"{lev:g}": ct.triple(0, j) for j, lev in enumerate((0.9, 0.95))}
    doc.update(getattr(fit, "extra", None) or {})
    if getattr(fit, "background", None) is not None and fit.converged:
        from .cure.relative import loss_of_lifetime

        doc["loss_of_lifetime"] = loss_of_lifetime(fit, fit.background).to_dict()


def model_row(fit, horizon: float, dist: str | None = None) -> dict:
    """One row of ``remission compare`` for a fitted model: fit statistics, the cure
    fraction, and survival and RMST at ``horizon`` (only for a converged fit; a
    non-converged one carries its message instead).  ``dist``: the name asked for."""
    cf = fit.marginal_cure_fraction()
    comparable = fit.loglik is not None
    row = {"dist": dist or fit.dist_name, "cure": fit.cure_kind,
           "converged": bool(fit.converged), "loglik": fit.loglik, "aic": fit.aic,
           "bic": fit.bic, "k": fit.k if comparable else None,
           "cure_fraction": None if cf is None else float(cf.estimate[0, 0]),
           "survival_at_horizon": None, "rmst_at_horizon": None}
    if fit.cure_kind is not None and comparable:
        row["boundary"] = fit.boundary is not None
    if not fit.converged:  # a non-converged fit is reported as such, never as a result
        row["message"] = fit.message
        return row
    row["survival_at_horizon"] = _num(fit.survival([horizon]).estimate[0, 0])
    row["rmst_at_horizon"] = _num(fit.rmst([horizon]).estimate[0, 0])
    if fit.cure_kind is None:
        lts = float(fit.long_term_survival().estimate[0, 0])
        if lts > 0:
            row["long_term_survival"] = lts
    elif not comparable:
        row["message"] = ("semi-parametric: no likelihood comparable with parametric "
                          "models")
    return row


# ---------------------------------------------------------------------- labels (issue 14)
_LINK_SCALES = {"logistic": "log-odds", "probit": "probit", "cloglog": "complementary log-log",
                "loglog": "log-log", "identity": "probability difference"}


def parameter_scale(fit, name: str) -> str:
    """The scale of one ``parameters`` row: a baseline parameter on its natural scale (the
    cure fraction as a ``probability``), a covariate effect on its linear predictor's scale
    (``log-odds`` of the cure fraction with the logistic link, ``log`` of a positive
    parameter, ``identity`` of a real one)."""
    base, _, effect = str(name).partition(":")
    if not effect:
        return "probability" if base == "cure" else "natural"
    if base == "cure":
        return _LINK_SCALES.get(getattr(fit, "link", "logistic"), "link")
    if fit.dist_name == "cox":
        return "log hazard ratio"
    dist = getattr(fit, "dist", None)
    try:
        names, bij = list(dist.parameters), list(dist.bijections())
        kind = getattr(bij[names.index(base)], "name", "")
    except (AttributeError, ValueError, IndexError):
        return "linear predictor"
    return {"exp": "log", "identity": "identity", "logistic": "logit"}.get(kind,
                                                                          "linear predictor")


def _specs(fit) -> dict:
    """{parameter: DesignSpec} of a parametric or cure fit ({} without covariates)."""
    inner = getattr(fit, "fit", fit)
    return {p: sp for p, sp in (getattr(inner, "specs", None) or {}).items() if sp is not None}


def _terms(spec) -> str:
    return " + ".join(f"factor({t.column})" if t.kind == "categorical" else t.column
                      for t in spec.terms) or "1"


def r_equivalent(fit) -> str:
    """The R call that fits the same model, covariates included: flexsurvreg puts the formula
    on the location parameter and ``anc`` on the others; flexsurvcure puts the formula on the
    cure fraction (theta) and ``anc`` on the latency's parameters; smcure takes the latency in
    the formula and the cure fraction in ``cureform``."""
    base = str(fit.r_equivalent)
    if fit.dist_name == "cox":
        lat, cur = getattr(fit, "latency_spec", None), getattr(fit, "cure_spec", None)
        x = _terms(lat) if lat is not None and not lat.intercept_only else "1"
        z = _terms(cur) if cur is not None and not cur.intercept_only else "1"
        return (f"smcure(Surv(time, status) ~ {x}, cureform = ~ {z}, model = \"ph\", "
                f"link = \"logit\")")
    specs = _specs(fit)
    if not specs or "~ 1" not in base:
        return base
    if fit.cure_kind is not None:
        main = "cure"
    else:
        main = getattr(fit.dist, "location", "")
    formula = _terms(specs[main]) if main in specs else "1"
    anc = [f"{p} = ~ {_terms(sp)}" for p, sp in specs.items() if p != main]
    out = base.replace("~ 1", f"~ {formula}", 1)
    if anc:
        out = out[:-1] + f", anc = list({', '.join(anc)}))"
    return out


def pattern_predictions(fit, times, limit: int = 50) -> list[dict]:
    """Median, survival at ``times`` and (cure models) the cure fraction for each distinct
    covariate pattern of the sample (up to ``limit``), each labelled with its pattern."""
    import pandas as pd

    inner = getattr(fit, "fit", fit)
    frame = getattr(inner, "covariates", None)
    specs = _specs(fit) or {k: v for k, v in (("cure", getattr(fit, "cure_spec", None)),
                                               ("latency", getattr(fit, "latency_spec", None)))
                            if v is not None and not v.intercept_only}
    cols = list(dict.fromkeys(c for sp in specs.values() for c in sp.columns))
    if frame is None or not cols:
        return []
    pats = frame[cols].drop_duplicates().head(limit).reset_index(drop=True)
    if any(t.kind != "categorical" for sp in specs.values() for t in sp.terms):
        return []  # a numeric covariate: its patterns are every value; see prediction_profile
    pats = pats.sort_values(cols, kind="stable").reset_index(drop=True)
    new = pd.DataFrame({c: pats[c].to_numpy() for c in cols})
    med, surv = fit.median(new), fit.survival(list(times), new)
    cf = fit.cure_fraction(new) if fit.cure_kind is not None else None
    out = []
    for i in range(len(new)):
        row = {"pattern": {c: (v.item() if hasattr(v, "item") else v)
                           for c, v in new.iloc[i].to_dict().items()},
               "median": med.triple(i),
               "predictions": [{"time": float(t), "survival": _num(surv.estimate[i, j]),
                                "lower": _num(surv.lower[i, j]),
                                "upper": _num(surv.upper[i, j])}
                               for j, t in enumerate(surv.at)]}
        if cf is not None:
            row["cure_fraction"] = cf.triple(i)
        out.append(row)
    return out
