"""``remission compare``: several models on one dataset, ranked by AIC."""
from __future__ import annotations

import click

from ._parametric_common import dump, load, split_list, with_data_options
from .common import CONF_LEVEL, KNOTS, POSITIVE

DEFAULT_DISTS = "exponential,weibull,gompertz,lognormal,loglogistic,gengamma"


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
@click.option("--horizon", type=POSITIVE, default=None,
              help="Time for survival and RMST (default: the longest follow-up).")
@click.option("--knots", type=KNOTS, default=1, show_default=True)
@click.option("--scale", "spline_scale", type=click.Choice(["hazard", "odds", "normal"]),
              default="hazard", show_default=True)
@click.option("--conf-level", type=CONF_LEVEL, default=0.95, show_default=True)
def compare(data_path, dists, cures, horizon, knots, spline_scale, conf_level, **data_opts):
    """Fit several models to DATA and rank them by AIC (with --group: in each group)."""
    from ..errors import OptionError
    from ..models.compare import check_pairs, compare_models

    fmt = data_opts.get("fmt") or data_opts.get("format") or "text"
    dl = split_list(dists)
    if not dl:
        raise OptionError(f"--dists {dists!r}: name at least one distribution")
    cl = split_list(cures) or ["none"]
    check_pairs(dl, cl)  # every (distribution, cure) choice, before reading the data
    data = load(data_path, data_opts, [])
    if data.group is not None:  # one ranked table per group, never a silent pool
        from ..models.arms import compare_by_group
        from ..models.arms_text import compare_groups_text

        doc = compare_by_group(data, dl, cl, horizon, conf_level,
                               spline_options={"k": knots, "scale": spline_scale})
        click.echo(dump(doc) if fmt == "json" else compare_groups_text(doc, compare_text))
        return
    doc = compare_models(data, dl, cl, horizon, conf_level,
                         spline_options={"k": knots, "scale": spline_scale})
    click.echo(dump(doc) if fmt == "json" else compare_text(doc))
