"""Readable text of a model document (``remission fit`` without ``--format json``)."""
from __future__ import annotations

from .table import SummaryTable


def document_text(doc: dict) -> str:
    """Readable text for a model document of :func:`remission.models.document.model_document`
    (a cure model's document adds the cure fraction, the uncured and the times to cure)."""
    return _plain_text(doc) if doc.get("cure") is None else _cure_text(doc)


def _plain_text(doc: dict) -> str:
    pct = f"{100 * doc.get('conf_level', 0.95):g}%"
    unit = f" (time in {doc['time_unit']})" if doc.get("time_unit") else ""
    lines = []
    title = f"{doc['dist']} model" + (f", {doc['cure']} cure" if doc.get("cure") else "") + unit
    ptab = SummaryTable(title, ("parameter", "estimate", "se", f"lower {pct}", f"upper {pct}",
                                "scale"),
                        tuple((p["name"], p["estimate"], p["se"], p["lower"], p["upper"],
                               p.get("scale", "")) for p in doc["parameters"]))
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
        from .lifeyears import life_years_text

        lines.append("")
        lines.append(life_years_text(ex))
    return "\n".join(lines)


def _cure_text(doc: dict) -> str:
    def f(v):
        return "NR" if v is None else f"{v:.4g}"

    def tri(d):
        return f"{f(d['estimate'])} ({f(d['lower'])}, {f(d['upper'])})"

    pct = f"{100 * doc.get('conf_level', 0.95):g}%"
    unit = f" (time in {doc['time_unit']})" if doc.get("time_unit") else ""
    title = f"{doc['dist']} model, {doc['cure']} cure, {doc.get('link', 'logistic')} link" + unit
    lines = [SummaryTable(title, ("parameter", "estimate", "se", f"lower {pct}", f"upper {pct}",
                                  "scale"),
                          tuple((p["name"], p["estimate"], p["se"], p["lower"], p["upper"],
                                 p.get("scale", "")) for p in doc["parameters"])).to_text()]
    stats = (f"log-likelihood = {doc['loglik']:.4f}, AIC = {doc['aic']:.3f}, "
             f"BIC = {doc['bic']:.3f}, " if doc.get("loglik") is not None else "")
    lines.append(f"n = {doc['n']}, events = {doc['events']:g}, k = {doc['k']}, {stats}"
                 f"converged: {'yes' if doc['converged'] else 'NO'}")
    if doc.get("cure_fraction_average"):  # with cure covariates: say which cure fraction
        lines.append(f"cure fraction, population-averaged over the sample's patterns: "
                     f"{tri(doc['cure_fraction'])}")
    else:
        lines.append(f"cure fraction: {tri(doc['cure_fraction'])}")
    if doc.get("prediction_profile"):
        pat = ", ".join(f"{k}={v}" for k, v in doc["prediction_profile"].items())
        lines.append(f"median and predicted survival below: pattern [{pat}] (reference)")
    lines.append(f"median: {tri(doc['median'])}")
    if doc["predictions"]:
        lines.append(SummaryTable("predicted survival", ("time", "survival", f"lower {pct}",
                                                         f"upper {pct}"),
                                  tuple((p["time"], p["survival"], p["lower"], p["upper"])
                                        for p in doc["predictions"])).to_text())
    if doc.get("boundary"):
        lines.append("note: " + doc.get("message", "cure fraction at the boundary"))
    un = doc.get("uncured")
    if un:
        lines.append(f"median survival of the uncured: {tri(un['median'])}")
    ct = doc.get("cure_time") or {}
    for lev, d in ct.items():
        lines.append(f"time after which an event-free patient is cured with probability "
                     f"{float(lev):.0%}: {tri(d)}")
    if doc.get("cure_fraction_by"):
        for r in doc["cure_fraction_by"]:
            pat = ", ".join(f"{k}={v}" for k, v in r["pattern"].items())
            lines.append(f"cure fraction [{pat}]: {tri(r)}")
    for r in doc.get("by_pattern") or []:
        pat = ", ".join(f"{k}={v}" for k, v in r["pattern"].items())
        lines.append(f"median [{pat}]: {tri(r['median'])}")
    bs = doc.get("bootstrap")
    if bs:
        lines.append(f"intervals: {bs['type']} bootstrap, {bs['reps']} replicates (seed "
                     f"{bs['seed']}), {bs['used']} used, {bs['failed']} failed to converge"
                     + (f", {bs['boundary']} with the cure fraction at 0"
                        if bs.get("boundary") else ""))
    lol = doc.get("loss_of_lifetime")
    if lol:
        lines.append(f"loss of lifetime vs the general population: {tri(lol)} "
                     f"{doc.get('time_unit') or ''}".rstrip())
    if doc.get("extrapolation"):
        from .lifeyears import life_years_text

        lines.append(life_years_text(doc["extrapolation"]))
    return "\n".join(lines)
