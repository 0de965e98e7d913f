"""The ``remission`` command line: a thin, fast-starting layer over the public API.

Commands live in their own modules and are imported only when invoked, so that
``remission --help`` does not import NumPy, SciPy or pandas.  To add a command, add one
line to ``COMMANDS``: name -> (module, function name, one-line help).
"""
from __future__ import annotations

import importlib
import sys

import click

COMMANDS: dict[str, tuple[str, str, str]] = {
    "summary": ("remission.cli.summary_cmd", "summary", "Kaplan-Meier summary per group: medians, landmarks, RMST, log-rank."),
    "example": ("remission.cli.example_cmd", "example", "Write a bundled example dataset (`remission example list` names them)."),
    "cure-test": ("remission.cli.cure_test_cmd", "cure_test", "Evidence for a cured fraction and for sufficient follow-up."),
    "plan": ("remission.cli.plan_cmd", "plan", "How much more follow-up is needed: simulate the trial followed longer."),
    "analyze": ("remission.cli.analyze_cmd", "analyze", "The main job: one self-contained interactive HTML report for a dataset."),
    "plot": ("remission.cli.plot_cmd", "plot", "Static figures (PNG/SVG/PDF): Kaplan-Meier with risk table, fits, cure probability."),
    "digitize": ("remission.cli.digitize_cmd", "digitize", "Read the Kaplan-Meier curves of a published figure (PNG, JPEG, PDF) into curve,time,survival."),
    "reconstruct": ("remission.cli.reconstruct_cmd", "reconstruct", "Rebuild patient data from a digitised KM curve (Guyot) or published landmarks."),
    "fit": ("remission.cli.fit_cmd", "fit", "Fit a parametric (or cure) survival model, with predictions and extrapolation."),
    "compare": ("remission.cli.compare_cmd", "compare", "Fit several parametric/cure models and rank them by AIC."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[name]
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name != module:
                raise
            raise click.ClickException(f"the '{name}' command is not available in this build") from None
        return getattr(mod, attr)

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][2]) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="remission")
def cli():
    """remission: how durable is this remission, and is it a cure?

    Kaplan-Meier, parametric and cure models, cure-evidence tests, follow-up planning and
    reconstruction from published curves, for trial time-to-event data.
    """


def main(argv=None) -> int:
    """Console-script entry point: every anticipated failure is one ``error: ...`` line, exit 2."""
    import warnings

    from ..errors import RemissionError

    if not sys.warnoptions:  # last resort: a user sees notes and errors, never a Python
        warnings.simplefilter("ignore")  # warning (tests call `cli` itself and do see them)
    try:
        cli.main(args=argv, prog_name="remission", standalone_mode=False)
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.exceptions.Abort as e:
        if isinstance(e.__cause__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            click.echo("error: interrupted", err=True)
            return 130
        click.echo("error: aborted", err=True)
        return 1
    except KeyboardInterrupt:  # Ctrl-C outside click's own handler: one line, no traceback
        click.echo("error: interrupted", err=True)
        return 130
    except click.ClickException as e:
        msg = e.format_message().replace("\n", " ")
        click.echo(f"error: {msg}", err=True)
        return 2
    except RemissionError as e:
        from ..errors import ConvergenceError

        click.echo(f"error: {' '.join(str(e).split())}", err=True)
        # a model that did not converge is a failure of the analysis, not of the input (SPEC)
        return 3 if isinstance(e, ConvergenceError) else 2
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
