"""docs/cli.md, the command-line contract, names every command and every option the code has:
a new command or option without its line in the document fails here."""
from pathlib import Path

import click
import pytest

from remission.cli import COMMANDS, cli

DOC = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()


def commands():
    """(full name, click command) for every command and plot subcommand."""
    ctx = click.Context(cli)
    for name in sorted(COMMANDS):
        cmd = cli.get_command(ctx, name)
        if isinstance(cmd, click.Group):
            for sub in sorted(cmd.commands):
                yield f"{name} {sub}", cmd.commands[sub]
        else:
            yield name, cmd


@pytest.mark.parametrize("name,cmd", list(commands()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_command_and_option_is_documented(name, cmd):
    assert f"`remission {name}" in DOC or f"`{name.split()[-1]}" in DOC, name
    missing = [o for p in cmd.params if isinstance(p, click.Option)
               for o in p.opts if o.startswith("--") and o != "--help" and f"`{o}" not in DOC]
    assert not missing, f"{name}: options not in docs/cli.md: {missing}"
