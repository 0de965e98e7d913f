"""``remission fit``: a parametric (or, with --cure, a cure) survival model.

The command only parses: the options become one :class:`~remission.models.spec.ModelSpec`
(validated before the data are read), whose fit's document is printed as JSON or text."""
from __future__ import annotations

import click

from ._parametric_common import dump, load, parse_times, split_list, with_data_options
from .common import CONF_LEVEL, KNOTS, NON_NEGATIVE, POSITIVE, REPS, SEED


def parse_anc(value) -> dict:
    """'shape=age+sex;Q=trt' -> {'shape': ['age', 'sex'], 'Q': ['trt']}."""
    from ..errors import OptionError

    out = {}
    for part in str(value or "").split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise OptionError(f"--anc: expected PARAM=COL[+COL...], got '{part}'")
        p, cols = part.split("=", 1)
        out[p.strip()] = [c.strip() for c in cols.replace(",", "+").split("+") if c.strip()]
    return out


@click.command("fit")
@click.argument("data_path", metavar="DATA", type=click.Path(dir_okay=False))
@with_data_options
@click.option("--dist", "dist", default="weibull", show_default=True,
              help="exponential, weibull, gompertz, lognormal, loglogistic, gamma, gengamma, "
                   "spline (or cox with --cure mixture).")
@click.option("--knots", type=KNOTS, default=1, show_default=True,
              help="Spline models: number of internal knots.")
@click.option("--scale", "spline_scale", type=click.Choice(["hazard", "odds", "normal"]),
              default="hazard", show_default=True, help="Spline models: the scale.")
@click.option("--covariates", default=None,
              help="Covariates on the location parameter, comma-separated (factor(COL) for "
                   "categorical numeric columns).")
@click.option("--anc", default=None,
              help="Covariates on ancillary parameters: 'shape=age+sex;Q=trt'.")
@click.option("--cure", type=click.Choice(["mixture", "non-mixture"]), default=None,
              help="Fit a cure model.")
@click.option("--link", default="logistic", show_default=True,
              help="Cure-fraction link: logistic, loglog, cloglog, probit, identity.")
@click.option("--cure-covariates", default=None, help="Covariates on the cure fraction.")
@click.option("--times", default=None, help="Times for predicted survival (comma-separated).")
@click.option("--ci", type=click.Choice(["delta", "bootstrap"]), default="delta",
              show_default=True, help="Confidence intervals.")
@click.option("--reps", type=click.IntRange(0, REPS.max), default=200, show_default=True, help="Bootstrap replicates.")
@click.option("--seed", type=SEED, default=None, help="Random seed of the bootstrap (default 1).")
@click.option("--bootstrap", "boot_type", type=click.Choice(["nonparametric", "parametric"]),
              default="nonparametric", show_default=True,
              help="With --ci bootstrap: resample patients or simulate from the fit.")
@click.option("--scheduler", default=None,
              help="Bootstrap refits: 'local' (Dask cluster on this machine), 'threads', or a "
                   "Dask scheduler address; default in process.")
@click.option("--conf-level", type=CONF_LEVEL, default=0.95, show_default=True)
@click.option("--lifetable", default=None,
              help="Background mortality: 'us' (bundled US life table) or a CSV file "
                   "(age, sex, year, hazard_per_day).")
@click.option("--age", "age_col", default=None, help="Age at diagnosis (years): a column, or one value for everyone.")
@click.option("--sex", "sex_col", default=None, help="Sex (male/female or 1/2): a column, one value, or the fraction of men.")
@click.option("--year", "year_col", default=None, help="Calendar year (or date) of diagnosis: a column or one value.")
@click.option("--bhazard", "bhazard_col", default=None,
              help="Column of background hazards at exit (relative survival).")
@click.option("--horizon", type=POSITIVE, default=None,
              help="With --lifetable: extrapolate to this time and report life-years "
                   "(mean survival to the horizon) with general-population mortality.")
@click.option("--smr", type=float, default=1.0, show_default=True,
              help="With --lifetable: multiplier of the general-population hazard where it "
                   "is applied (to the cured of a cure model, the floor of a hazard).")
@click.option("--discount", type=float, default=0.035, show_default=True,
              help="With --lifetable: annual discount rate of life-years (NICE: 0.035).")
@click.option("--reference", default=None, metavar="LEVEL",
              help="With --group: the reference group of the contrasts (default: the first "
                   "level in sort order).")
@click.option("--competing", is_flag=True, default=False,
              help="With --event-type: a parametric cause-specific hazard for every cause "
                   "(--dist D or 'D,CAUSE=D2') and the cumulative incidences they imply.")
@click.option("--cif-mixture", is_flag=True, default=False,
              help="With --competing: the mixture model of Larson & Dinse (cure on the "
                   "cumulative-incidence scale: the probability of ever having each cause) "
                   "instead of cause-specific hazards.")
@click.option("--nrm-cause", default=None, metavar="C",
              help="With --competing --lifetable: the cause that is death without relapse "
                   "(default: the cause other than --cause when there are two).")
@click.option("--nrm-from", type=NON_NEGATIVE, default=None, metavar="T",
              help="With --competing --lifetable: from time T on, death without relapse has "
                   "at least SMR x general-population mortality (default 0).")
def fit(data_path, dist, knots, spline_scale, covariates, anc, cure, link, cure_covariates,
        times, ci, reps, seed, boot_type, scheduler, conf_level, lifetable, age_col, sex_col,
        year_col, bhazard_col, horizon, smr, discount, reference, competing, cif_mixture,
        nrm_cause, nrm_from, **data_opts):
    """Fit a parametric survival model to DATA (with --group: to each group alone, and the
    groups' cure fractions compared with the reference group's)."""
    from ..errors import OptionError
    from ..models.spec import ModelSpec

    ctx = click.get_current_context()
    if competing:
        from ._competing_fit import run_competing

        refused = [(f"--{n.replace('_', '-')}", ctx.get_parameter_source(p)
                    is not click.core.ParameterSource.DEFAULT) for n, p in (
            ("covariates", "covariates"), ("anc", "anc"), ("cure", "cure"), ("link", "link"),
            ("cure_covariates", "cure_covariates"), ("ci", "ci"), ("reps", "reps"),
            ("seed", "seed"), ("bootstrap", "boot_type"), ("scheduler", "scheduler"),
            ("bhazard", "bhazard_col"), ("discount", "discount"), ("reference", "reference"))
            + ((("lifetable", "lifetable"), ("age", "age_col"), ("sex", "sex_col"),
                ("year", "year_col"), ("smr", "smr"), ("nrm_cause", "nrm_cause"),
                ("nrm_from", "nrm_from")) if cif_mixture else ())]
        return run_competing(data_path, data_opts, dist=dist, knots=knots, scale=spline_scale,
                             times=parse_times(times), horizon=horizon, conf_level=conf_level,
                             lifetable=lifetable, age=age_col, sex=sex_col, year=year_col,
                             smr=smr, nrm_cause=nrm_cause, nrm_from=nrm_from, refused=refused,
                             mixture=cif_mixture)
    if cif_mixture:
        raise OptionError("--cif-mixture needs --competing")
    if nrm_cause is not None or nrm_from is not None:
        raise OptionError(f"{'--nrm-cause' if nrm_cause is not None else '--nrm-from'} needs "
                          "--competing")
    fmt = data_opts.get("fmt") or data_opts.get("format") or "text"
    cov = split_list(covariates)
    group_col = data_opts.get("group_col") or data_opts.get("group")
    if reference is not None and not group_col:
        raise OptionError("--reference needs --group")
    spec = ModelSpec(dist=dist, cure=cure, link=link, covariates=cov,
                     cure_covariates=split_list(cure_covariates), anc=parse_anc(anc),
                     knots=knots, scale=spline_scale, lifetable=lifetable, age=age_col,
                     sex=sex_col, year=year_col, bhazard=bhazard_col, horizon=horizon,
                     smr=smr, discount=discount, ci=ci,
                     bootstrap=boot_type, reps=reps, seed=seed, conf_level=conf_level)
    if not spec.resampling and ctx.get_parameter_source("reps") \
            is not click.core.ParameterSource.DEFAULT:
        click.echo("note: --reps has no effect with --ci delta (use --ci bootstrap)", err=True)
    if not spec.resampling and seed is not None:
        # harmless (scripts pass a seed out of habit), but say that it does nothing
        click.echo("note: --seed has no effect with --ci delta (no random numbers are drawn)",
                   err=True)
    tlist = parse_times(times)
    data = load(data_path, data_opts, spec.columns)
    if group_col:  # one fit per group, never a silent pool
        from ..models.arms import fit_by_group

        doc = fit_by_group(data, spec, reference=reference, scheduler=scheduler).to_dict(
            tlist or None, horizon=spec.horizon)
        if fmt != "json":
            from ..models.arms_text import groups_text

            click.echo(groups_text(doc))
            return
    else:
        doc = spec.fit(data, scheduler=scheduler).to_dict(tlist or None, horizon=spec.horizon)
    if fmt == "json":
        click.echo(dump(doc))
    else:
        from ..models.text import document_text

        click.echo(document_text(doc))
