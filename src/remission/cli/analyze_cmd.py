"""``remission analyze``: the whole analysis of one dataset as one self-contained HTML report."""
from __future__ import annotations

import click

from ._parametric_common import load, parse_floats, split_list, with_data_options
from .common import CONF_LEVEL, NON_NEGATIVE, POSITIVE, REPS, SEED, SIMS


@click.command("analyze")
@click.argument("data_path", metavar="DATA", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The HTML report to write.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the results as JSON to this file.")
@with_data_options
@click.option("--horizon", type=POSITIVE, default=None,
              help="Extrapolation horizon, in the data's time unit [default: 10 years when the "
                   "unit is known, else 3 x the longest follow-up].")
@click.option("--dists", default=None,
              help="Families fitted without cure [default: exponential,weibull,gompertz,"
                   "lognormal,loglogistic,gengamma].")
@click.option("--cure-dists", default=None,
              help="Families fitted with cure [default: exponential,weibull,gompertz,"
                   "loglogistic].")
@click.option("--cure", "cures", default="mixture,non-mixture", show_default=True,
              help="Cure kinds to fit (mixture, non-mixture; 'none' for no cure models).")
@click.option("--landmarks", default=None, help="Landmark times, e.g. 12,24,36.")
@click.option("--reps", type=REPS, default=500, show_default=True,
              help="Replicates of the cure-evidence tests.")
@click.option("--sims", type=SIMS, default=200, show_default=True,
              help="Simulated trials per extra follow-up in the planning (raise for final "
                   "numbers, e.g. 2000).")
@click.option("--extra-followup", default=None,
              help="Extra follow-up times to plan for [default: 0.5, 1, 2, 3 years].")
@click.option("--dropout", type=float, default=0.0, show_default=True,
              help="Planning: fraction of the patients still followed who are lost to "
                   "follow-up per year of extra follow-up.")
@click.option("--seed", type=SEED, default=1, show_default=True, help="Random seed.")
@click.option("--conf-level", type=CONF_LEVEL, default=0.95, show_default=True)
@click.option("--age", default=None,
              help="Age at diagnosis (years): a number or a column. With --sex and --year, "
                   "curves are extrapolated with general-population mortality.")
@click.option("--sex", default=None,
              help="male/female, the fraction of men (e.g. 0.59), or a column.")
@click.option("--year", default=None, help="Calendar year of diagnosis: a number or a column.")
@click.option("--lifetable", default="us", show_default=True,
              help="Life table: 'us' (bundled) or a CSV (age, sex, year, hazard_per_day).")
@click.option("--smr", type=float, default=1.0, show_default=True,
              help="With --age/--sex/--year: multiplier of the general-population hazard where "
                   "it is applied (to the cured of a cure model, the floor of a hazard).")
@click.option("--discount", type=float, default=0.035, show_default=True,
              help="With --age/--sex/--year: annual discount rate of life-years (NICE: 0.035).")
@click.option("--nrm-cause", default=None, metavar="C",
              help="With --event-type --age/--sex/--year: the cause that is death without "
                   "relapse, bounded below by general-population mortality in the parametric "
                   "competing risks (default: the cause other than --cause when there are two).")
@click.option("--nrm-from", type=NON_NEGATIVE, default=None, metavar="T",
              help="With --event-type --age/--sex/--year: from time T on, death without "
                   "relapse has at least SMR x general-population mortality (default 0).")
@click.option("--provenance", type=click.Path(exists=True, dir_okay=False), default=None,
              help="JSON describing reconstructed data (from `remission reconstruct --format "
                   "json`), shown with its quality checks.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def analyze(data_path, output, json_path, horizon, dists, cure_dists, cures, landmarks, reps,
            sims, extra_followup, dropout, seed, conf_level, age, sex, year, lifetable, smr,
            discount, nrm_cause, nrm_from, provenance, quiet, **data_opts):
    """Analyse DATA (a file, or the name of a bundled example) end to end (Kaplan-Meier,
    models with and without cure, extrapolation, cure fractions, evidence for cure, follow-up
    planning) and write one self-contained interactive HTML report (works offline; send it
    to colleagues)."""
    import sys

    from ..report import analyze as run
    from ..report.build import _columns
    from ..safe_io import check_outputs, write_many

    # before any work: no output may overwrite an input or the other output (SPEC)
    check_outputs({"-o": output, "--json": json_path},
                  {"DATA": data_path, "--provenance": provenance, "--lifetable": lifetable})
    from ..models.spec import check_hta, normalize_cure

    check_hta(smr, discount)  # one error line for NaN, negative or huge (as `fit`)
    cl = [k for k in (normalize_cure(c) for c in split_list(cures)) if k is not None]
    dl, cdl = split_list(dists), split_list(cure_dists)
    from ..distributions import get_distribution

    for d in dl + cdl:
        get_distribution(d)  # OptionError naming an unknown family
    # --event-type: the report is of any event, with a competing-risks section (--cause: the
    # cause of interest there, its cure fraction beside the endpoint's)
    data = load(data_path, {**data_opts, "keep_causes": True},
                _columns(age, sex, year))  # at most MAX_MODEL_GROUPS
    rep = run(data, horizon=horizon, dists=dl or None, cure_dists=cdl or None, cures=cl,
              reps=reps, sims=sims, null_reps=max(500, reps), seed=seed, conf_level=conf_level,
              landmarks=parse_floats(landmarks, "--landmarks") or None,
              extra_followup=parse_floats(extra_followup, "--extra-followup", minimum=0) or None,
              dropout=dropout,
              age=age, sex=sex, year=year, lifetable=lifetable, progress=not quiet and sys.stderr.isatty(),
              source=data_path, provenance=provenance, smr=smr, discount=discount,
              cause=data_opts.get("cause"), nrm_cause=nrm_cause, nrm_from=nrm_from)
    # both files are complete before either is renamed into place; a failure leaves the old
    files = [(output, rep.to_html())] + ([(json_path, rep.to_json())] if json_path else [])
    write_many(files, ["-o", "--json"][:len(files)])
    if data_opts.get("fmt") == "json":
        click.echo(rep.to_json())
    else:
        skipped = rep.context.unavailable
        click.echo(f"wrote {output} ({', '.join(rep.section_ids)}) in {rep.seconds:.1f} s"
                   + (f"; results in {json_path}" if json_path else ""))
        for k, v in skipped.items():
            click.echo(f"note: not included: {k} ({v})", err=True)
        for n in rep.context.notes:
            click.echo(f"note: {n}", err=True)
    sys.stdout.flush()
