"""``remission plot``: static figures for publication (PNG, SVG, PDF via matplotlib).

    remission plot km DATA -o km.png [--group G]
    remission plot fit DATA --dist weibull --cure mixture --horizon 120 -o fit.svg
    remission plot cure DATA --dist weibull --cure mixture -o cure.pdf
    remission plot cif DATA --event-type COL --cause relapse -o cif.png
    remission plot hazard DATA --dist weibull,lognormal [--cure mixture] -o hazard.png
    remission plot loglog DATA --group arm -o loglog.pdf

All subcommands take the shared data options; the format comes from the extension of -o.
"""
from __future__ import annotations

import click

from ._parametric_common import load, parse_floats, split_list, with_data_options
from .common import CONF_LEVEL, POSITIVE, is_example


def _common(f):
    opts = [
        click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                     help="Output file: .png, .svg or .pdf."),
        click.option("--title", default=None, help="Figure title."),
        click.option("--width", type=click.FloatRange(min=1), default=7.0, show_default=True,
                     help="Width in inches."),
        click.option("--height", type=click.FloatRange(min=1), default=None,
                     help="Height in inches."),
        click.option("--dpi", type=click.IntRange(min=50), default=300, show_default=True,
                     help="Resolution of PNG output."),
        click.option("--conf-level", type=CONF_LEVEL, default=0.95, show_default=True),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def _write(fig, output, dpi):
    from ..plots import save

    try:
        save(fig, output, dpi=dpi)
    except OSError as e:
        raise click.ClickException(f"cannot write {output}: {e.strerror or e}") from None
    click.echo(f"wrote {output}")


def _check_output(output, data_path=None, width=None, height=None, dpi=None):
    from ..errors import OptionError
    from ..limits import check_figure
    from ..safe_io import check_outputs

    if not str(output).lower().endswith((".png", ".svg", ".pdf")):
        raise OptionError(f"-o {output}: the file must end in .png, .svg or .pdf")
    check_outputs({"-o": output}, {"DATA": data_path})
    if width is not None:
        check_figure(width, height, dpi)


@click.group("plot")
def plot():
    """Static figures (PNG/SVG/PDF): Kaplan-Meier with risk table, fitted and extrapolated
    curves, probability of cure, stacked cumulative incidence of competing risks."""


@plot.command("km")
@click.argument("data_path", metavar="DATA", type=click.Path(dir_okay=False))
@with_data_options
@_common
@click.option("--no-ci", is_flag=True, help="Leave out the confidence bands.")
@click.option("--no-risk-table", is_flag=True, help="Leave out the numbers at risk.")
@click.option("--ticks", default=None, help="Time-axis ticks (and risk-table times), e.g. 0,12,24.")
def km(data_path, output, title, width, height, dpi, conf_level, no_ci, no_risk_table, ticks,
       **data_opts):
    """Kaplan-Meier curves (per group with --group) with a numbers-at-risk table."""
    from ..plots import km_plot

    _check_output(output, data_path, width, height, dpi)
    ts = parse_floats(ticks, "--ticks", minimum=0) or None
    data = load(data_path, data_opts)
    fig = km_plot(data, ci=not no_ci, conf_level=conf_level, ticks=ts,
                  risk_table=not no_risk_table, title=title, width=width, height=height)
    _write(fig, output, dpi)


@plot.command("fit")
@click.argument("data_path", metavar="DATA", type=click.Path(dir_okay=False))
@with_data_options
@_common
@click.option("--dist", "dists", default="weibull", show_default=True,
              help="Distribution(s), comma-separated.")
@click.option("--cure", type=click.Choice(["none", "mixture", "non-mixture"]), default="none",
              show_default=True)
@click.option("--horizon", type=POSITIVE, default=None,
              help="Extrapolate to this time [default: twice the longest follow-up].")
@click.option("--no-ci", is_flag=True, help="Leave out the confidence bands.")
@click.option("--age", type=float, default=None, help="Age at diagnosis (years), for "
              "general-population mortality (with --sex, --year and --time-unit).")
@click.option("--sex", type=click.Choice(["male", "female"]), default=None)
@click.option("--year", type=float, default=None, help="Calendar year of diagnosis.")
@click.option("--lifetable", default="us", show_default=True)
def fit(data_path, output, title, width, height, dpi, conf_level, dists, cure, horizon, no_ci,
        age, sex, year, lifetable, **data_opts):
    """Kaplan-Meier with fitted model curves, extrapolated to a horizon."""
    from ..distributions import get_distribution
    from ..plots import fit_plot

    from ..errors import OptionError

    _check_output(output, data_path, width, height, dpi)
    given = [v is not None for v in (age, sex, year)]
    if any(given) and not all(given):  # the background curve needs all three: don't ignore
        raise OptionError("--age, --sex and --year go together (general-population mortality)")
    dl = split_list(dists)
    if not dl:
        raise OptionError(f"--dist {dists!r}: name at least one distribution")
    for d in dl:
        get_distribution(d)
    data = load(data_path, data_opts)
    if all(given) and data.time_unit is None:
        raise OptionError("--age, --sex and --year need --time-unit")
    fig = fit_plot(data, dl, cure=cure, horizon=horizon, conf_level=conf_level, ci=not no_ci,
                   age=age, sex=sex, year=year, lifetable=lifetable, title=title, width=width,
                   height=height or 4.6)
    _write(fig, output, dpi)


@plot.command("cure")
@click.argument("data_path", metavar="DATA", type=click.Path(dir_okay=False))
@with_data_options
@_common
@click.option("--dist", default="weibull", show_default=True, help="Latency distribution.")
@click.option("--cure", type=click.Choice(["mixture", "non-mixture"]), default="mixture",
              show_default=True)
@click.option("--horizon", type=POSITIVE, default=None,
              help="Time axis up to [default: twice the longest follow-up].")
def cure(data_path, output, title, width, height, dpi, conf_level, dist, cure, horizon,
         **data_opts):
    """Probability of cure given event-free survival to t, from a cure model."""
    from ..distributions import get_distribution
    from ..plots import cure_plot

    _check_output(output, data_path, width, height, dpi)
    get_distribution(dist)
    data = load(data_path, data_opts)
    fig = cure_plot(data, dist, cure=cure, horizon=horizon, conf_level=conf_level, title=title,
                    width=width, height=height or 4.2)
    _write(fig, output, dpi)


@plot.command("cif")
@click.argument("data_path", metavar="DATA", type=click.Path(dir_okay=False))
@with_data_options
@_common
@click.option("--ticks", default=None, help="Time-axis ticks, e.g. 0,12,24.")
def cif(data_path, output, title, width, height, dpi, conf_level, ticks, **data_opts):
    """Competing risks (needs --event-type): the cumulative incidence of each cause stacked
    (--cause first, at the bottom) with the event-free probability on top, per group."""
    from ..errors import OptionError

    _check_output(output, data_path, width, height, dpi)
    need = "plot cif needs --event-type (the column holding the causes)"
    if data_opts.get("event_type_col") is None and not is_example(data_path):
        raise OptionError(need)  # (a competing-risks example carries its own event type)
    ts = parse_floats(ticks, "--ticks", minimum=0) or None
    data = load(data_path, {**data_opts, "keep_causes": True})
    if data.cause is None:
        raise OptionError(need)
    from ..plots.static_cif import cif_plot

    fig = cif_plot(data, cause=data_opts.get("cause"), conf_level=conf_level, ticks=ts,
                   title=title, width=width, height=height)
    _write(fig, output, dpi)


@plot.command("hazard")
@click.argument("data_path", metavar="DATA", type=click.Path(dir_okay=False))
@with_data_options
@_common
@click.option("--dist", "dists", default=None,
              help="Distribution(s) to set against the data, comma-separated (required).")
@click.option("--cure", type=click.Choice(["none", "mixture", "non-mixture"]), default="none",
              show_default=True)
@click.option("--ticks", default=None, help="Time-axis ticks, e.g. 0,12,24.")
def hazard(data_path, output, title, width, height, dpi, conf_level, dists, cure, ticks,
           **data_opts):
    """The kernel-smoothed empirical hazard against each fitted model's hazard (NICE DSU
    TSD 14), one panel per group."""
    from ..distributions import get_distribution
    from ..errors import OptionError

    _check_output(output, data_path, width, height, dpi)
    dl = split_list(dists) if dists is not None else []
    if not dl:
        raise OptionError("plot hazard needs --dist (the models to set against the data, "
                          "e.g. --dist weibull,lognormal)")
    for d in dl:
        get_distribution(d)
    ts = parse_floats(ticks, "--ticks", minimum=0) or None
    data = load(data_path, data_opts)
    from ..plots.static_diagnostics import hazard_plot

    fig = hazard_plot(data, dl, cure=cure, conf_level=conf_level, ticks=ts, title=title,
                      width=width, height=height)
    _write(fig, output, dpi)


@plot.command("loglog")
@click.argument("data_path", metavar="DATA", type=click.Path(dir_okay=False))
@with_data_options
@_common
@click.option("--ticks", default=None, help="Time-axis ticks (positive), e.g. 1,6,12,24.")
def loglog(data_path, output, title, width, height, dpi, conf_level, ticks, **data_opts):
    """log(-log S_KM) against log time per group (--group): straight lines suggest a Weibull,
    parallel lines proportional hazards."""
    _check_output(output, data_path, width, height, dpi)
    ts = parse_floats(ticks, "--ticks", minimum=0) or None
    if ts and min(ts) <= 0:
        from ..errors import OptionError

        raise OptionError(f"--ticks {ticks}: the time axis is logarithmic, ticks must be > 0")
    data = load(data_path, data_opts)
    from ..plots.static_diagnostics import loglog_plot

    fig = loglog_plot(data, conf_level=conf_level, ticks=ts, title=title, width=width,
                      height=height)
    _write(fig, output, dpi)
