"""``remission compare``: several models on one dataset, ranked by AIC."""
from __future__ import annotations

import click

from ._parametric_common import dump, load, split_list, with_data_options

DEFAULT_DISTS = "exponential,weibull,gompertz,lognormal,loglogistic,gengamma"


def compare_models(data, dists, cures=("none",), horizon=None, conf_level=0.95, cure_fitter=None,
                   spline_options=None) -> dict:
    """Fit every (dist, cure) combination; non-converged fits are kept, flagged, ranked last."""
    import numpy as np

    from ..errors import ConvergenceError, RemissionError
    from ..models import fit_parametric

    h = float(horizon) if horizon else float(np.max(data.time))
    models = []
    for cure in cures:
        for dist in dists:
            row = {"dist": dist, "cure": None if cure == "none" else cure, "converged": False,
                   "loglik": None, "aic": None, "bic": None, "cure_fraction": None,
                   "survival_at_horizon": None, "rmst_at_horizon": None}
            try:
                if cure == "none":
                    opts = dict(spline_options or {}) if dist == "spline" else {}
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
                    res = cure_fitter(data, dist=dist, cure=cure, horizon=h)
                    row.update(res if isinstance(res, dict) else res.to_dict())
                    row["dist"], row["cure"] = dist, cure
            except ConvergenceError as e:
                row["message"] = str(e)
            except RemissionError as e:
                row["message"] = str(e)
            models.append(row)
    models.sort(key=lambda r: (not r["converged"], r["aic"] if r["aic"] is not None else np.inf))
    best = next((r["aic"] for r in models if r["converged"] and r["aic"] is not None), None)
    for r in models:
        r["delta_aic"] = None if best is None or r["aic"] is None else r["aic"] - best
    return {"horizon": h, "time_unit": data.time_unit, "n": data.n, "events": data.n_events,
            "models": models}


def compare_text(doc) -> str:
    from ..models.table import SummaryTable

    rows = tuple((m["dist"], m["cure"] or "-", m["converged"], m["loglik"], m["aic"], m["bic"],
                  m.get("delta_aic"), m["cure_fraction"], m["survival_at_horizon"],
                  m["rmst_at_horizon"]) for m in doc["models"])
    unit = f" {doc['time_unit']}" if doc.get("time_unit") else ""
    return SummaryTable(f"Models ranked by AIC (n = {doc['n']}, events = {doc['events']}; "
                        f"horizon {doc['horizon']:g}{unit})",
                        ("dist", "cure", "converged", "loglik", "AIC", "BIC", "dAIC",
                         "cure fraction", "S(horizon)", "RMST(horizon)"), rows).to_text()


@click.command("compare")
@click.argument("data_path", metavar="DATA", type=click.Path(dir_okay=False))
@with_data_options
@click.option("--dists", default=DEFAULT_DISTS, show_default=True,
              help="Comma-separated distributions (spline uses --knots/--scale).")
@click.option("--cure", "cures", default="none", show_default=True,
              help="Comma-separated: none, mixture, non-mixture.")
@click.option("--horizon", type=float, default=None,
              help="Time for survival and RMST (default: the longest follow-up).")
@click.option("--knots", type=click.IntRange(0, 3), default=1, show_default=True)
@click.option("--scale", "spline_scale", type=click.Choice(["hazard", "odds", "normal"]),
              default="hazard", show_default=True)
@click.option("--conf-level", type=float, default=0.95, show_default=True)
def compare(data_path, dists, cures, horizon, knots, spline_scale, conf_level, **data_opts):
    """Fit several models to DATA and rank them by AIC."""
    from ..distributions import get_distribution
    from ..errors import OptionError

    fmt = data_opts.get("fmt") or data_opts.get("format") or "text"
    dl = split_list(dists)
    cl = split_list(cures) or ["none"]
    bad = [c for c in cl if c not in ("none", "mixture", "non-mixture")]
    if bad:
        raise OptionError(f"--cure: unknown value '{bad[0]}' (none, mixture, non-mixture)")
    for d in dl:
        if d != "cox":
            get_distribution(d)  # OptionError for unknown names
    cure_fitter = None
    if any(c != "none" for c in cl):
        from .fit_cmd import cure_module

        mod = cure_module()

        def cure_fitter(data, dist, cure, horizon):
            return mod.compare_row(data, dist=dist, cure=cure, horizon=horizon,
                                   conf_level=conf_level)
    if "cox" in dl and cl == ["none"]:
        raise OptionError("cox is available only with --cure mixture")
    data = load(data_path, data_opts, [])
    doc = compare_models(data, dl, cl, horizon, conf_level, cure_fitter,
                         {"k": knots, "scale": spline_scale})
    click.echo(dump(doc) if fmt == "json" else compare_text(doc))
