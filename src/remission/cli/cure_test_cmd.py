"""``remission cure-test``: evidence for a cured fraction and for sufficient follow-up."""
from __future__ import annotations

import click

from ._parametric_common import dump, load, with_data_options
from .common import CONF_LEVEL, FRACTION, POSITIVE, REPS, SEED


@click.command("cure-test")
@click.argument("data_path", metavar="DATA", type=click.Path(dir_okay=False))
@with_data_options
@click.option("--reps", type=REPS, default=1000, show_default=True,
              help="Replicates of the presence test's null simulation and of the "
                   "sufficient-follow-up bootstraps (Yuen-Musta; Maller-Zhou q_n).")
@click.option("--seed", type=SEED, default=1, show_default=True, help="Random seed.")
@click.option("--tau", type=POSITIVE, default=None,
              help="Yuen-Musta test: time after which events are practically impossible "
                   "(default: twice the maximum follow-up).")
@click.option("--eps", type=FRACTION, default=0.01, show_default=True,
              help="Yuen-Musta test: tolerated fraction of uncured events after follow-up.")
@click.option("--conf-level", type=CONF_LEVEL, default=0.95, show_default=True)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def cure_test(data_path, reps, seed, tau, eps, conf_level, quiet, **data_opts):
    """Evidence for a cured fraction and for sufficient follow-up in DATA, and a one-word
    conclusion: supported, immature or no-evidence (docs/evidence.md).

    Governing tests: Maller-Zhou's presence test (is the plateau higher than it would be if
    no one were cured?) and the Yuen-Musta smoothed-Grenander bootstrap test (is follow-up
    long enough that few uncured patients would still relapse after it?).  Reported beside
    them: Maller-Zhou's q_n test of sufficient follow-up and a likelihood-ratio test of cure
    fraction 0 (Weibull mixture cure vs Weibull), and the tail of the Kaplan-Meier curve.
    With --group, one document per group under "groups" (each group tested on its own rows,
    with a common --tau).
    """
    from ..evidence import cure_test as run

    fmt = data_opts.get("fmt") or data_opts.get("format") or "text"
    data = load(data_path, data_opts)
    kw = dict(reps=reps, seed=seed, tau=tau, eps=eps, conf_level=conf_level,
              scheduler="sync", progress=not quiet)
    if data_opts.get("group_col") or data_opts.get("group"):
        from ..evidence import cure_test_groups

        res = cure_test_groups(data, **kw)
    else:
        res = run(data, **kw)
    if fmt == "json":
        click.echo(dump(res.to_dict()))
    else:
        click.echo(res.to_text())
