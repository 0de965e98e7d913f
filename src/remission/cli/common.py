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
    """Add --time, --event, --cnsr, --group, --param, --time-unit, --output-unit, --format.

    The command receives them as ``time_col, event_col, cnsr_col, group_col, param,
    time_unit, output_unit, fmt``.
    """
    opts = [
        click.option("--time", "time_col", default=None, metavar="COL",
                     help="Follow-up time column [default: AVAL if present, else time]."),
        click.option("--event", "event_col", default=None, metavar="COL",
                     help="Event indicator: 1/true = event, 0/false = censored; R's 1/2 "
                          "(2 = event) accepted [default: event, status, death, delta, ...]."),
        click.option("--cnsr", "cnsr_col", default=None, metavar="COL",
                     help="ADaM censoring flag (1 = censored) [default: CNSR with AVAL]."),
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
                           covariates=None, **_):
    """Read DATA with the data options; attach ``covariates`` (column names) if given.

    When no file named DATA exists and DATA names a bundled example (``remission example
    list``, e.g. ``cartitude1-pfs-approx``), that example is read with its own column defaults,
    overridden by the options that were given.
    """
    import os

    from ..data import read_survival

    cov = [c for c in (covariates or []) if c]
    if not os.path.exists(path):
        from ..datasets import list_examples, load_example

        if path in {e.name for e in list_examples()}:
            given = {"time": time_col, "event": event_col, "cnsr": cnsr_col,
                     "group": group_col, "param": param, "time_unit": time_unit,
                     "output_unit": output_unit, "covariates": cov or None}
            return load_example(path, **{k: v for k, v in given.items() if v is not None})
    return read_survival(path, time=time_col, event=event_col, cnsr=cnsr_col,
                         group=group_col, param=param, time_unit=time_unit,
                         output_unit=output_unit, covariates=cov or None)


def print_notes(data, fmt: str) -> None:
    """Data notes (e.g. rows left out of group comparisons) on stderr in text mode."""
    if fmt == "text":
        for note in data.meta.get("notes", []):
            click.echo(f"note: {note}", err=True)
