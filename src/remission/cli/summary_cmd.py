"""``remission summary DATA``: Kaplan-Meier per group and overall (SPEC.md)."""
from __future__ import annotations

import click

from .common import CONF_LEVEL, data_options, load_data_from_options, print_notes


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("data_path", metavar="DATA", type=click.Path(dir_okay=False))
@data_options
@click.option("--times", default=None, metavar="T1,T2,...",
              help="Landmark times for S(t) [default: 1, 2, 3, 5, 10 years before the last "
                   "time when the unit is known, else quartiles of the longest follow-up].")
@click.option("--tau", type=float, default=None,
              help="RMST horizon [default: the largest observed time, common to all groups "
                   "(R's print.survfit rmean='common')].")
@click.option("--conf-type", type=click.Choice(["log-log", "log", "plain"]), default="log-log",
              show_default=True, help="Pointwise confidence interval type.")
@click.option("--conf-level", type=CONF_LEVEL, default=0.95, show_default=True,
              help="Confidence level.")
@click.option("--reference", default=None, metavar="LEVEL",
              help="With --group: the reference group of the hazard ratios and RMST "
                   "differences (default: the first level in sort order).")
@click.option("--strata", default=None, metavar="COL",
              help="With --group: stratify the Cox hazard ratios by this column (a baseline "
                   "hazard per stratum).")
def summary(data_path, times, tau, conf_type, conf_level, reference, strata, **data_opts):
    """Kaplan-Meier summary of DATA: medians, landmarks, RMST, follow-up, log-rank."""
    from ._parametric_common import dump, parse_times

    fmt = data_opts.get("fmt", "text")
    tlist = parse_times(times) if times is not None else None
    data = load_data_from_options(data_path, **data_opts, keep_causes=True,
                                  covariates=[strata] if strata else None)
    # imported after loading, so that bad input fails fast (no SciPy import)
    from ..nonparametric.summary import summarize

    res = summarize(data, times=tlist, tau=tau, conf_type=conf_type, conf_level=conf_level,
                    cause=data_opts.get("cause"), reference=reference, strata=strata)
    if fmt == "json":
        click.echo(dump(res.to_dict()))
        return
    print_notes(data, fmt)
    click.echo(res.to_text())
