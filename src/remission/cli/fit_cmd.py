"""``remission fit``: a parametric (or, with --cure, a cure) survival model."""
from __future__ import annotations

import click

from ._parametric_common import dump, load, parse_times, split_list, with_data_options
from .common import CONF_LEVEL, KNOTS, POSITIVE

DISTS = ["exponential", "weibull", "gompertz", "lognormal", "loglogistic", "gamma", "gengamma",
         "spline", "cox"]


def _strip_factor(c: str) -> str:
    c = c.strip()
    for pre in ("factor(", "C("):
        if c.startswith(pre) and c.endswith(")"):
            return c[len(pre):-1]
    return c


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
@click.option("--reps", type=click.IntRange(min=0), default=200, show_default=True, help="Bootstrap replicates.")
@click.option("--seed", type=int, default=None, help="Random seed of the bootstrap (default 1).")
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
@click.option("--age", "age_col", default=None, help="Age at diagnosis (years) column.")
@click.option("--sex", "sex_col", default=None, help="Sex column (male/female or 1/2).")
@click.option("--year", "year_col", default=None, help="Calendar year (or date) of diagnosis.")
@click.option("--bhazard", "bhazard_col", default=None,
              help="Column of background hazards at exit (relative survival).")
@click.option("--horizon", type=POSITIVE, default=None,
              help="With --lifetable: extrapolate cohort survival to this time.")
def fit(data_path, dist, knots, spline_scale, covariates, anc, cure, link, cure_covariates,
        times, ci, reps, seed, boot_type, scheduler, conf_level, lifetable, age_col, sex_col, year_col, bhazard_col,
        horizon, **data_opts):
    """Fit a parametric survival model to DATA."""
    from ..errors import OptionError

    fmt = data_opts.get("fmt") or data_opts.get("format") or "text"
    cov = split_list(covariates)
    anc_map = parse_anc(anc)
    cure_cov = split_list(cure_covariates)
    group_col = data_opts.get("group_col") or data_opts.get("group")
    needed = [_strip_factor(c) for c in cov + cure_cov + sum(anc_map.values(), [])]
    needed += [c for c in (age_col, sex_col, year_col, bhazard_col, group_col) if c]
    if cure is None and dist == "cox":
        raise OptionError("--dist cox needs --cure mixture")
    if cure is not None and anc_map:
        raise OptionError("--anc is not available with --cure (use --covariates for the "
                          "latency and --cure-covariates for the cure fraction)")
    if cure is None and (cure_cov or link != "logistic"):
        raise OptionError("--cure-covariates and --link need --cure")
    if ci == "bootstrap" and reps < 1:
        raise OptionError("--ci bootstrap needs --reps of at least 1")
    resampling = ci == "bootstrap" or dist == "cox"  # the Cox cure model bootstraps its SEs
    if not resampling and (scheduler is not None or boot_type != "nonparametric"):
        raise OptionError("--scheduler and --bootstrap need --ci bootstrap")
    if not resampling and click.get_current_context().get_parameter_source("reps") \
            is not click.core.ParameterSource.DEFAULT:
        click.echo("note: --reps has no effect with --ci delta (use --ci bootstrap)", err=True)
    if not resampling and seed is not None:
        # harmless (scripts pass a seed out of habit), but say that it does nothing
        click.echo("note: --seed has no effect with --ci delta (no random numbers are drawn)",
                   err=True)
    if horizon is not None and (cure is not None or not lifetable):
        # --horizon only sets the extrapolation of a non-cure fit with --lifetable
        raise OptionError("--horizon needs --lifetable (and is not available with --cure)")
    tlist = parse_times(times)
    if cure is not None:
        from ..models.cure import fit_cure
        from ..models.cure.fit import cure_text

        data = load(data_path, data_opts, list(dict.fromkeys(needed)))
        doc = fit_cure(data, dist=dist, cure=cure, link=link, covariates=cov,
                       cure_covariates=cure_cov, times=tlist or None, ci=ci, reps=reps,
                       seed=seed, conf_level=conf_level, lifetable=lifetable, age=age_col,
                       sex=sex_col, year=year_col, bhazard=bhazard_col, knots=knots,
                       scale=spline_scale, scheduler=scheduler, bootstrap=boot_type,
                       progress=False)
        click.echo(dump(doc) if fmt == "json" else cure_text(doc))
        return
    data = load(data_path, data_opts, list(dict.fromkeys(needed)))
    doc = run_fit(data, dist=dist, knots=knots, spline_scale=spline_scale, covariates=cov,
                  anc=anc_map, group_col=group_col, times=tlist, conf_level=conf_level,
                  lifetable=lifetable, age_col=age_col, sex_col=sex_col, year_col=year_col,
                  bhazard_col=bhazard_col, horizon=horizon, ci=ci, reps=reps, seed=seed,
                  bootstrap=boot_type, scheduler=scheduler)
    _emit(doc, fmt)


def run_fit(data, *, dist="weibull", knots=1, spline_scale="hazard", covariates=(), anc=None,
            group_col=None, times=None, conf_level=0.95, lifetable=None, age_col=None,
            sex_col=None, year_col=None, bhazard_col=None, horizon=None, ci="delta",
            reps=200, seed=None, bootstrap="nonparametric", scheduler=None) -> dict:
    """Fit and build the JSON document (the library side of ``remission fit``).

    ``ci="bootstrap"``: percentile intervals from ``reps`` batched refits (``bootstrap``
    "nonparametric" resamples patients, "parametric" simulates from the fit), seeded."""
    from ..errors import OptionError
    from ..models import fit_parametric
    from ..models.document import default_times, fit_document

    cov = list(covariates or ())
    if group_col and group_col not in [_strip_factor(c) for c in cov]:
        cov.append(f"factor({group_col})")
    opts = {"k": knots, "scale": spline_scale} if dist == "spline" else {}
    from ..models.background import background_for

    bg = background_for(data, lifetable, age_col, sex_col, year_col)
    bhaz = None
    if bhazard_col:
        if lifetable:
            raise OptionError("give either --bhazard or --lifetable, not both")
        from ..models.background import bhazard_column

        bhaz = bhazard_column(data, bhazard_col)
    fit = fit_parametric(data, dist, covariates=cov, anc=anc or {}, bhazard=bhaz,
                         conf_level=conf_level, **opts)
    if ci == "bootstrap" and fit.converged:
        from ..models.cure.bootstrap import bootstrap_fit
        from ..models.cure.fit import DEFAULT_SEED

        boot = bootstrap_fit(fit, data, reps=reps, seed=DEFAULT_SEED if seed is None else seed,
                             kind=bootstrap, scheduler=scheduler, bhazard=bhaz)
        fit = fit.with_bootstrap(boot)
    tl = times if times else default_times(data.time)
    doc = fit_document(fit, tl)
    if bg is not None:
        from ..models.extrapolate import extrapolate

        h = horizon if horizon else float(max(tl[-1], data.time.max())) * 3
        doc["extrapolation"] = extrapolate(fit, bg, h).to_dict()
    return doc


def _emit(doc, fmt):
    if fmt == "json":
        click.echo(dump(doc))
    else:
        from ..models.document import fit_text

        click.echo(fit_text(doc))
