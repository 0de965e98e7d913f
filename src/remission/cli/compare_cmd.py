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
                         "cure fraction", "S(horizon)", "RMST(horizon)"), rows).to_text() \
        + _life_years_text(doc)


def _life_years_text(doc) -> str:
    with_ly = [m for m in doc["models"] if m.get("extrapolation")]
    if not with_ly:
        return ""
    from ..models.table import SummaryTable

    def tri(d):
        return (f"{d['estimate']:.4g} ({d['lower']:.4g}, {d['upper']:.4g})"
                if d["lower"] is not None and d["upper"] is not None
                else f"{d['estimate']:.4g} (no interval)")
    ex0 = with_ly[0]["extrapolation"]
    rows = tuple((m["dist"], m["cure"] or "-", m["extrapolation"]["method"],
                  tri(m["extrapolation"]["mean_survival"]),
                  tri(m["extrapolation"]["mean_survival_discounted"])) for m in with_ly)
    c = ex0["cohort"]
    text = SummaryTable(f"Life-years to {ex0['horizon']:g} with general-population mortality "
                        f"(age {c['age']}, sex {c['sex']}, year {c['year']}; SMR {ex0['smr']:g}"
                        f", discount {100 * ex0['discount_rate']:g}%; general population "
                        f"{ex0['population_mean_survival']:.4g}; {ex0['interval']})",
                        ("dist", "cure", "method", "life-years", "discounted"), rows).to_text()
    notes = "".join(f"\nnote: {n}" for n in ex0.get("notes") or [])
    return "\n\n" + text + notes


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
@click.option("--lifetable", default=None,
              help="With --horizon: life-years of every model with general-population "
                   "mortality: 'us' (bundled US life table) or a CSV file.")
@click.option("--age", "age_col", default=None,
              help="Age at baseline (years): one value for the cohort, or a column.")
@click.option("--sex", "sex_col", default=None,
              help="Sex (male/female or 1/2): one value, a column, or the fraction of men.")
@click.option("--year", "year_col", default=None,
              help="Calendar year of baseline: one value or a column.")
@click.option("--smr", type=float, default=1.0, show_default=True,
              help="With --lifetable: multiplier of the general-population hazard.")
@click.option("--discount", type=float, default=0.035, show_default=True,
              help="With --lifetable: annual discount rate of life-years.")
def compare(data_path, dists, cures, horizon, knots, spline_scale, conf_level, lifetable,
            age_col, sex_col, year_col, smr, discount, **data_opts):
    """Fit several models to DATA and rank them by AIC (with --group: in each group)."""
    from ..errors import OptionError
    from ..models.compare import check_pairs, compare_models

    fmt = data_opts.get("fmt") or data_opts.get("format") or "text"
    dl = split_list(dists)
    if not dl:
        raise OptionError(f"--dists {dists!r}: name at least one distribution")
    cl = split_list(cures) or ["none"]
    check_pairs(dl, cl)  # every (distribution, cure) choice, before reading the data
    spec = None
    if lifetable is not None or any(v is not None for v in (age_col, sex_col, year_col)):
        from ..models.spec import ModelSpec

        if lifetable is None:
            raise OptionError("--age, --sex and --year need --lifetable")
        if horizon is None:
            raise OptionError("--lifetable needs --horizon (the life-years horizon)")
        # the one validation of background options (a ModelSpec holds them)
        spec = ModelSpec(lifetable=lifetable, age=age_col, sex=sex_col, year=year_col,
                         horizon=horizon, smr=smr, discount=discount)
    data = load(data_path, data_opts, spec.columns if spec is not None else [])
    if data.group is not None:  # one ranked table per group, never a silent pool
        from ..models.arms import compare_by_group
        from ..models.arms_text import compare_groups_text

        # with --lifetable: each group's life-years, its own patients' population mortality
        bg = None if spec is None else {"lifetable": lifetable, "age": age_col,
                                        "sex": sex_col, "year": year_col, "smr": smr,
                                        "discount": discount}
        doc = compare_by_group(data, dl, cl, horizon, conf_level,
                               spline_options={"k": knots, "scale": spline_scale},
                               background=bg)
        click.echo(dump(doc) if fmt == "json" else compare_groups_text(doc, compare_text))
        return
    background = None
    if spec is not None:
        from ..models.background import background_for

        background = background_for(data, lifetable, age_col, sex_col, year_col).with_options(
            smr, discount)
    doc = compare_models(data, dl, cl, horizon, conf_level,
                         spline_options={"k": knots, "scale": spline_scale},
                         background=background)
    click.echo(dump(doc) if fmt == "json" else compare_text(doc))
