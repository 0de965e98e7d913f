"""Several models on one dataset, ranked by AIC (the library side of ``remission compare``)."""
from __future__ import annotations

import numpy as np

CURES = ("none", "mixture", "non-mixture")


def compare_models(data, dists, cures=("none",), horizon=None, conf_level=0.95, *,
                   spline_options=None, link="logistic", cure_fitter=None) -> dict:
    """Fit every (dist, cure) combination to ``data`` and rank by AIC.

    ``dists``: family names (``cox`` only with a mixture cure); ``cures``: any of ``none``,
    ``mixture``, ``non-mixture``.  Non-converged fits are kept, flagged and ranked last; a
    combination that cannot be fitted at all (e.g. ``cox`` without cure) carries a
    ``message``.  Returns the SPEC compare document ``{"horizon", "models": [...]}``.
    """
    from ..errors import OptionError, RemissionError
    from .fit import fit_parametric

    bad = [c for c in cures if c not in CURES]
    if bad:
        raise OptionError(f"--cure: unknown value '{bad[0]}' (none, mixture, non-mixture)")
    h = float(horizon) if horizon else float(np.max(data.time))
    so = dict(spline_options or {})
    models = []
    for cure in cures:
        for dist in dists:
            row = {"dist": dist, "cure": None if cure == "none" else cure, "converged": False,
                   "loglik": None, "aic": None, "bic": None, "cure_fraction": None,
                   "survival_at_horizon": None, "rmst_at_horizon": None}
            try:
                if cure == "none":
                    if dist == "cox":
                        raise OptionError("cox is available only with a mixture cure")
                    opts = so if dist == "spline" else {}
                    f = fit_parametric(data, dist, conf_level=conf_level,
                                       raise_on_failure=False, **opts)
                    row.update(converged=bool(f.converged), loglik=f.loglik, aic=f.aic,
                               bic=f.bic, k=f.k,
                               survival_at_horizon=float(f.survival([h]).estimate[0, 0]),
                               rmst_at_horizon=float(f.rmst([h]).estimate[0, 0]))
                    lts = float(f.long_term_survival().estimate[0, 0])
                    if lts > 0:
                        row["long_term_survival"] = lts
                else:
                    if cure_fitter is not None:
                        res = cure_fitter(data, dist=dist, cure=cure, horizon=h)
                    else:
                        from .cure import compare_row

                        res = compare_row(data, dist=dist, cure=cure, horizon=h,
                                          conf_level=conf_level, link=link,
                                          knots=so.get("k", 1), scale=so.get("scale", "hazard"))
                    row.update(res)
                    row["dist"], row["cure"] = dist, cure
            except RemissionError as e:
                row["message"] = str(e)
            models.append(row)
    models.sort(key=lambda r: (not r["converged"], r["aic"] if r["aic"] is not None else np.inf))
    best = next((r["aic"] for r in models if r["converged"] and r["aic"] is not None), None)
    for r in models:
        r["delta_aic"] = None if best is None or r["aic"] is None else r["aic"] - best
    return {"horizon": h, "time_unit": data.time_unit, "n": data.n, "events": data.n_events,
            "models": models}
