"""``remission fit --competing``: parametric cause-specific hazards of every cause and the
cumulative incidences they imply, or with ``--cif-mixture`` the Larson-Dinse mixture model
(:func:`remission.models.competing.competing_document`).

Only option checks live here; the options that have no meaning for it are refused (exit 2)
rather than ignored."""
from __future__ import annotations

import click


def run_competing(data_path, data_opts, *, dist, knots, scale, times, horizon, conf_level,
                  lifetable, age, sex, year, smr, nrm_cause, nrm_from, refused,
                  mixture: bool = False) -> None:
    from ..errors import OptionError
    from ..models.competing import competing_document, competing_text
    from ..models.spec import ModelSpec
    from ._parametric_common import dump, load

    import os

    need = "--competing needs --event-type (the column holding the causes)"
    if data_opts.get("event_type_col") is None and os.path.exists(data_path):
        raise OptionError(need)  # only a bundled competing-risks example brings its own
    given = [name for name, on in refused if on]
    if given:
        if mixture:
            raise OptionError(f"{given[0]} is not available with --cif-mixture (the mixture "
                              "model without covariates or general-population mortality, "
                              "delta-method intervals)")
        raise OptionError(f"{given[0]} is not available with --competing (cause-specific "
                          "parametric hazards without covariates, delta-method intervals)")
    # the one check of --lifetable/--age/--sex/--year/--smr, and the columns they name
    cols = ModelSpec(lifetable=lifetable, age=age, sex=sex, year=year, smr=smr).columns
    data = load(data_path, dict(data_opts, keep_causes=True), cols)
    if data.cause is None:  # a bundled example without an event type
        raise OptionError(need)
    # --cause, else the cause of interest a bundled example declares
    cause = data_opts.get("cause") or data.meta.get("cause_of_interest")
    doc = competing_document(data, dist, cause=cause, knots=knots,
                             scale=scale, conf_level=conf_level, lifetable=lifetable, age=age,
                             sex=sex, year=year, smr=smr, nrm_cause=nrm_cause,
                             nrm_from=nrm_from, times=times or None, horizon=horizon,
                             mixture=mixture)
    if (data_opts.get("fmt") or "text") == "json":
        click.echo(dump(doc))
    else:
        click.echo(competing_text(doc))
