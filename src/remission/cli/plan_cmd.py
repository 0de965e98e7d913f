"""``remission plan``: how much longer to follow the trial, by simulation."""
from __future__ import annotations

import click

from ._parametric_common import dump, load, parse_floats, with_data_options
from .common import FRACTION, POSITIVE, REPS, SEED, SIMS


def parse_followup(value):
    from ..errors import OptionError

    out = parse_floats(value, "--extra-followup", minimum=0)
    if not out:
        raise OptionError("--extra-followup needs at least one value")
    return out


@click.command("plan")
@click.argument("data_path", metavar="DATA", type=click.Path(dir_okay=False))
@with_data_options
@click.option("--extra-followup", default="6,12,24,36", show_default=True,
              help="Extra follow-up times M1,M2,... (the data's time unit).")
@click.option("--sims", type=SIMS, default=1000, show_default=True,
              help="Simulated trials.")
@click.option("--seed", type=SEED, default=1, show_default=True, help="Random seed.")
@click.option("--scheduler", default=None,
              help="Dask scheduler address (tcp://host:port), or sync/threads/local. "
                   "Default: in process below 2000 trials, else a local Dask cluster.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Workers of a local Dask cluster (default: one per core).")
@click.option("--null-reps", type=click.IntRange(100, SIMS.max), default=1000, show_default=True,
              help="Replicates of the calibration of the governing tests at each extra "
                   "follow-up M.")
@click.option("--reps", type=REPS, default=1000, show_default=True,
              help="Replicates of today's cure tests (the same numbers as cure-test --reps "
                   "with the same --seed).")
@click.option("--target", type=FRACTION, default=0.8, show_default=True,
              help="Probability of showing sufficient follow-up, and of showing a cured "
                   "fraction, that the search for the needed extra follow-up aims at.")
@click.option("--cap", type=POSITIVE, default=None,
              help="Longest extra follow-up searched (the data's time unit; default 20 years, "
                   "or 5 times the longest follow-up without a time unit).")
@click.option("--dropout", type=float, default=0.0, show_default=True,
              help="Fraction of the patients still followed who are lost to follow-up per "
                   "year of extra follow-up (needs the time unit).")
@click.option("--search/--no-search", default=True, show_default=True,
              help="Search the extra follow-up needed (--no-search: only the table of "
                   "--extra-followup).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def plan(data_path, extra_followup, sims, seed, scheduler, workers, null_reps, reps, target,
         cap, dropout, search, quiet, **data_opts):
    """Simulate the trial in DATA followed for longer.

    For each --extra-followup M: the chance that the governing sufficient-follow-up and
    presence tests reject and the expected width of the cure-fraction CI.  Then the extra
    follow-up needed: the smallest M (searched up to --cap) at which each chance reaches
    --target, under every cure model within 2 AIC of the best and under no cure.  Today's
    p-values are cure-test's for the same --reps and --seed.  With --group, one plan per
    group under "groups".
    """
    from ..evidence import plan_followup

    fmt = data_opts.get("fmt") or data_opts.get("format") or "text"
    ms = parse_followup(extra_followup)
    data = load(data_path, data_opts)
    kw = dict(extra_followup=ms, sims=sims, seed=seed, scheduler=scheduler or "default",
              n_workers=workers, progress=not quiet, null_reps=null_reps, reps=reps,
              dropout=dropout, target=target, cap=cap, search=search)
    if data_opts.get("group_col") or data_opts.get("group"):
        from ..evidence import plan_followup_by_group

        res = plan_followup_by_group(data, **kw)
    else:
        res = plan_followup(data, **kw)
    if fmt == "json":
        click.echo(dump(res.to_dict()))
    else:
        click.echo(res.to_text())
