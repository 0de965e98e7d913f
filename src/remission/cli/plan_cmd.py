"""``remission plan``: how much longer to follow the trial, by simulation."""
from __future__ import annotations

import click

from ._parametric_common import dump, load, parse_floats, with_data_options


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
@click.option("--sims", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Simulated trials.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
@click.option("--scheduler", default=None,
              help="Dask scheduler address (tcp://host:port), or sync/threads/local. "
                   "Default: in process below 2000 trials, else a local Dask cluster.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Workers of a local Dask cluster (default: one per core).")
@click.option("--null-reps", type=click.IntRange(min=100), default=2000, show_default=True,
              help="Replicates of the Maller-Zhou tests' null simulations (per M).")
@click.option("--dropout", type=float, default=0.0, show_default=True,
              help="Fraction of the patients still followed who are lost to follow-up per "
                   "year of extra follow-up (needs the time unit).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def plan(data_path, extra_followup, sims, seed, scheduler, workers, null_reps, dropout, quiet,
         **data_opts):
    """Simulate the trial in DATA followed for longer: chance that the sufficient-follow-up
    and presence tests reject, and the expected width of the cure-fraction CI."""
    from ..evidence import plan_followup
    from ..errors import OptionError

    fmt = data_opts.get("fmt") or data_opts.get("format") or "text"
    if data_opts.get("group_col") or data_opts.get("group"):
        raise OptionError("plan analyses one sample; drop --group")
    ms = parse_followup(extra_followup)
    data = load(data_path, data_opts)
    res = plan_followup(data, extra_followup=ms, sims=sims, seed=seed,
                        scheduler=scheduler or "default", n_workers=workers,
                        progress=not quiet, null_reps=null_reps, dropout=dropout)
    if fmt == "json":
        click.echo(dump(res.to_dict()))
    else:
        click.echo(res.to_text())
