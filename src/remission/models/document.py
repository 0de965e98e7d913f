"""JSON-ready documents describing fits (used by the CLI and the HTML report)."""
from __future__ import annotations

import numpy as np

from .result import ParametricFit


def _num(v):
    v = float(v)
    return v if np.isfinite(v) else None


def default_times(time, n: int = 5) -> list[float]:
    """``n`` round, evenly spaced times up to the longest follow-up."""
    tmax = float(np.max(time))
    step = tmax / n
    mag = 10 ** np.floor(np.log10(step)) if step > 0 else 1.0
    step = float(np.ceil(step / mag) * mag) if step > 0 else 1.0
    times = [round(step * i, 10) for i in range(1, n + 1) if step * i <= tmax * 1.0001]
    return times or [tmax]


def fit_document(fit: ParametricFit, times=None, newdata=None) -> dict:
    """The ``remission fit --format json`` document for a parametric (non-cure) fit."""
    med = fit.median(newdata)
    pred = fit.survival(times, newdata) if times is not None and len(times) else None
    doc = {
        "dist": fit.dist.name,
        "cure": None,
        "n": fit.n,
        "events": fit.n_events,
        "k": fit.k,
        "converged": bool(fit.converged),
        "loglik": fit.loglik,
        "aic": fit.aic,
        "bic": fit.bic,
        "parameters": [{k: v for k, v in r.items() if k in ("name", "estimate", "se", "lower",
                                                              "upper")}
                       for r in fit.parameters()],
        "predictions": [] if pred is None else [
            {"time": r["time"], "survival": r["estimate"], "lower": r["lower"],
             "upper": r["upper"]} for r in pred.records()],
        "median": {"estimate": _num(med.estimate[0, 0]), "lower": _num(med.lower[0, 0]),
                   "upper": _num(med.upper[0, 0])},
        "cure_fraction": None,
        "cure_fraction_by": [],
        # extras
        "time_unit": fit.time_unit,
        "conf_level": fit.conf_level,
        "vcov": {"names": list(fit.coef_names), "matrix": fit.vcov.tolist(),
                 "scale": "unconstrained (log for positive parameters)"},
        "r_equivalent": fit.dist.r_equivalent,
        "message": fit.message,
        "relative_survival": fit.relative_survival,
        "ci": "delta" if fit.bootstrap is None else "bootstrap",
    }
    if fit.bootstrap is not None:
        doc["bootstrap"] = fit.bootstrap.to_dict()
    if fit.has_covariates:
        ref = None
        for spec in fit.specs.values():
            rf = spec.reference_frame(fit.covariates).iloc[0].to_dict()
            ref = {**(ref or {}), **rf}
        doc["prediction_profile"] = ref
    lts = fit.long_term_survival(newdata)
    if float(lts.estimate[0, 0]) > 0:
        doc["long_term_survival"] = {"estimate": _num(lts.estimate[0, 0]),
                                     "lower": _num(lts.lower[0, 0]),
                                     "upper": _num(lts.upper[0, 0]),
                                     "note": "survival plateau implied by the model "
                                             "(improper distribution)"}
    try:
        mean = fit.mean(newdata)
        doc["mean"] = {"estimate": _num(mean.estimate[0, 0]), "lower": _num(mean.lower[0, 0]),
                       "upper": _num(mean.upper[0, 0])}
    except (ArithmeticError, ValueError, RuntimeError):  # an infinite/undefined mean -> null
        doc["mean"] = {"estimate": None, "lower": None, "upper": None}
    return doc


def fit_text(doc: dict) -> str:
    from .table import SummaryTable

    pct = f"{100 * doc.get('conf_level', 0.95):g}%"
    unit = f" (time in {doc['time_unit']})" if doc.get("time_unit") else ""
    lines = []
    title = f"{doc['dist']} model" + (f", {doc['cure']} cure" if doc.get("cure") else "") + unit
    ptab = SummaryTable(title, ("parameter", "estimate", "se", f"lower {pct}", f"upper {pct}"),
                        tuple((p["name"], p["estimate"], p["se"], p["lower"], p["upper"])
                              for p in doc["parameters"]))
    lines.append(ptab.to_text())
    lines.append(f"n = {doc['n']}, events = {doc['events']:g}, k = {doc['k']}, "
                 f"log-likelihood = {doc['loglik']:.4f}, AIC = {doc['aic']:.3f}, "
                 f"BIC = {doc['bic']:.3f}, converged: {'yes' if doc['converged'] else 'NO'}")
    m = doc["median"]

    def f(v):
        return "NR" if v is None else f"{v:.4g}"
    lines.append(f"median: {f(m['estimate'])} ({f(m['lower'])}, {f(m['upper'])})")
    if doc.get("long_term_survival"):
        lt = doc["long_term_survival"]
        lines.append(f"long-term survival (plateau): {f(lt['estimate'])} ({f(lt['lower'])}, "
                     f"{f(lt['upper'])})")
    if doc.get("cure_fraction"):
        c = doc["cure_fraction"]
        lines.append(f"cure fraction: {f(c['estimate'])} ({f(c['lower'])}, {f(c['upper'])})")
    bs = doc.get("bootstrap")
    if bs:
        lines.append(f"intervals: {bs['type']} bootstrap percentile, {bs['used']} of "
                     f"{bs['reps']} replicates (seed {bs['seed']}; {bs['failed']} failed)")
    if doc["predictions"]:
        lines.append("")
        lines.append(SummaryTable("predicted survival", ("time", "survival", f"lower {pct}",
                                                         f"upper {pct}"),
                                  tuple((p["time"], p["survival"], p["lower"], p["upper"])
                                        for p in doc["predictions"])).to_text())
    ex = doc.get("extrapolation")
    if ex:
        lines.append("")
        lines.append(f"extrapolation with background mortality ({ex['method']}) to "
                     f"{ex['horizon']:g}: mean survival {ex['mean_survival']:.4g} "
                     f"(model alone {ex['model_mean_survival']:.4g}, general population "
                     f"{ex['expected_mean_survival']:.4g})")
    return "\n".join(lines)
