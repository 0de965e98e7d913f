"""Data options shared by every command that reads DATA (SPEC.md, "Data options").

Kept free of NumPy/pandas imports at module level so that ``remission --help`` stays fast.
"""
from __future__ import annotations

import click

from ..limits import MAX_REPLICATES, MAX_SIMULATIONS, MAX_TIME  # no NumPy: start-up stays fast

UNITS = ("days", "weeks", "months", "years")


class _Finite(click.FloatRange):
    """A FloatRange that also refuses NaN (which passes every comparison of FloatRange)."""

    def convert(self, value, param, ctx):
        rv = super().convert(value, param, ctx)
        if rv != rv:
            self.fail(f"{value!r} is not a number", param, ctx)
        return rv


#: a fraction strictly between 0 and 1 (--conf-level, --eps)
FRACTION = _Finite(0, 1, min_open=True, max_open=True)
CONF_LEVEL = FRACTION
#: --horizon and other lengths of time that must be positive (limits.MAX_TIME)
POSITIVE = _Finite(0, MAX_TIME, min_open=True)
NON_NEGATIVE = _Finite(0, MAX_TIME)
#: --seed: any non-negative integer; --reps, --sims: counts up to the limits (remission.limits)
SEED = click.IntRange(min=0)
REPS = click.IntRange(1, MAX_REPLICATES)
SIMS = click.IntRange(1, MAX_SIMULATIONS)
#: --knots of spline models (RoystonParmar.MAX_KNOTS)
KNOTS = click.IntRange(0, 10)


class _Unit(click.ParamType):
    """A time unit (days, weeks, months, years; singular and d/w/m/y accepted)."""

    name = "unit"

    def convert(self, value, param, ctx):
        if value is None:
            return None
        from ..data.units import normalize_unit
        from ..errors import OptionError

        try:
            return normalize_unit(value)
        except OptionError as e:
            self.fail(str(e), param, ctx)


UNIT = _Unit()


def data_options(f):
    """Add --time, --event, --cnsr, --event-type, --causes, --cause, --group, --param,
    --time-unit, --output-unit, --format.

    The command receives them as ``time_col, event_col, cnsr_col, event_type_col, causes,
    cause, group_col, param, time_unit, output_unit, fmt``.
    """
    opts = [
        click.option("--time", "time_col", default=None, metavar="COL",
                     help="Follow-up time column [default: AVAL if present, else time]."),
        click.option("--event", "event_col", default=None, metavar="COL",
                     help="Event indicator: 1/true = event, 0/false = censored; R's 1/2 "
                          "(2 = event) accepted [default: event, status, death, delta, ...]."),
        click.option("--cnsr", "cnsr_col", default=None, metavar="COL",
                     help="ADaM censoring flag (1 = censored) [default: CNSR with AVAL]."),
        click.option("--event-type", "event_type_col", default=None, metavar="COL",
                     help="Competing risks, instead of --event: 0 = censored, other codes "
                          "or labels = causes (the event is then any cause)."),
        click.option("--causes", "causes", default=None, metavar="NAME=LABEL,...",
                     help="Map --event-type labels to cause names, e.g. "
                          "'relapse=PROGRESSIVE DISEASE,nrm=DEATH' (0=LABEL: censored)."),
        click.option("--cause", "cause", default=None, metavar="C",
                     help="With --event-type: the cause of interest (summary lists it "
                          "first; other commands analyse it, the other causes censored)."),
        click.option("--group", "group_col", default=None, metavar="COL",
                     help="Grouping column (arm, subgroup)."),
        click.option("--param", "param", default=None, metavar="CODE",
                     help="ADaM: keep rows with PARAMCD == CODE (e.g. PFS, OS)."),
        click.option("--time-unit", "time_unit", type=UNIT, default=None,
                     help="Unit of the input times: days, weeks, months, years."),
        click.option("--output-unit", "output_unit", type=UNIT, default=None,
                     help="Convert times to this unit for reporting (needs --time-unit)."),
        click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                     show_default=True, help="Output format."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def load_data_from_options(path, *, time_col=None, event_col=None, cnsr_col=None,
                           group_col=None, param=None, time_unit=None, output_unit=None,
                           covariates=None, event_type_col=None, causes=None, cause=None,
                           keep_causes=False, **_):
    """Read DATA with the data options; attach ``covariates`` (column names) if given.

    Competing risks (``--event-type``): the data keep every cause (``data.cause``), the
    event being any cause; with ``--cause C`` and ``keep_causes=False`` (every command but
    ``summary``) the event becomes cause C, the other causes censored (cause-specific).

    When no file named DATA exists and DATA names a bundled example (``remission example
    list``, e.g. ``cartitude1-pfs-approx``), that example is read with its own column defaults,
    overridden by the options that were given.
    """
    cov = [c for c in (covariates or []) if c]
    if cause is not None and event_type_col is None and not is_example(path):
        from ..errors import OptionError

        raise OptionError("--cause needs --event-type (the column holding the causes)")
    data = _read(path, time_col, event_col, cnsr_col, group_col, param, time_unit,
                 output_unit, cov, event_type_col, causes)
    if cause is not None and data.cause is None:  # an example read without its causes
        from ..errors import OptionError

        raise OptionError("--cause needs --event-type (the column holding the causes)")
    if cause is not None:
        from ..errors import DataError

        if str(cause) not in data.cause_levels():
            raise DataError(f"--cause {cause}: no events of that cause (causes: "
                            f"{', '.join(data.cause_levels())})",
                            column=data.meta.get("event_column"))
        if not keep_causes:
            data = data.for_cause(cause)
            data.meta.setdefault("notes", []).append(
                f"cause-specific analysis of cause '{cause}': the other causes are censored")
    elif data.cause is not None and not keep_causes:
        data.meta.setdefault("notes", []).append(
            "--event-type without --cause: the event is any cause (the composite endpoint); "
            "--cause C analyses cause C with the other causes censored")
    return data


def is_example(path) -> bool:
    """Whether DATA names a bundled example rather than an existing file."""
    import os

    if os.path.exists(path):
        return False
    from ..datasets import list_examples

    return path in {e.name for e in list_examples()}


def _read(path, time_col, event_col, cnsr_col, group_col, param, time_unit, output_unit, cov,
          event_type_col, causes):
    import os

    from ..data import read_survival

    if not os.path.exists(path):
        from ..datasets import list_examples, load_example

        if path in {e.name for e in list_examples()}:
            given = {"time": time_col, "event": event_col, "cnsr": cnsr_col,
                     "group": group_col, "param": param, "time_unit": time_unit,
                     "output_unit": output_unit, "covariates": cov or None,
                     "event_type": event_type_col, "causes": causes}
            kw = {k: v for k, v in given.items() if v is not None}
            if event_type_col is not None and event_col is None:
                kw["event"] = None  # the example's own event column gives way
            return load_example(path, **kw)
    return read_survival(path, time=time_col, event=event_col, cnsr=cnsr_col,
                         group=group_col, param=param, time_unit=time_unit,
                         output_unit=output_unit, covariates=cov or None,
                         event_type=event_type_col, causes=causes)


def print_notes(data, fmt: str) -> None:
    """Data notes (e.g. rows left out of group comparisons) on stderr in text mode."""
    if fmt == "text":
        for note in data.meta.get("notes", []):
            click.echo(f"note: {note}", err=True)
