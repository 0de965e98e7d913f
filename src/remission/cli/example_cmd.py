"""``remission example NAME [-o FILE]`` and ``remission example list``."""
from __future__ import annotations

import click


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("name")
@click.option("-o", "--output", "output", default=None, metavar="FILE",
              help="Write the dataset here (CSV; gzipped when FILE ends in .gz). "
                   "Default: CSV on stdout.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="For `example list`: a table or JSON.")
def example(name, output, fmt):
    """Write the bundled dataset NAME as CSV; `remission example list` names them all."""
    from ..datasets import get_example, list_examples

    if name.lower() == "list":
        records = [e.as_dict() for e in list_examples()]
        if fmt == "json":
            import json

            click.echo(json.dumps({"examples": records}, indent=2))
            return
        click.echo(_table(records))
        return
    ex = get_example(name)  # unknown name: OptionError listing the names
    _write(ex.name, output)


def _write(name: str, output: str | None) -> None:
    import gzip

    from ..datasets import example_path
    from ..safe_io import check_outputs, write_bytes

    if output is not None and output != "-":
        check_outputs({"-o": output})
    with example_path(name).open("rb") as f:
        raw = gzip.decompress(f.read())
    if output is None or output == "-":
        click.echo(raw.decode("utf-8"), nl=False)
        return
    if output.lower().endswith(".gz"):
        raw = gzip.compress(raw, mtime=0)
    write_bytes(output, raw, "-o")  # a temporary file renamed into place: never partial
    click.echo(f"wrote {name} to {output}", err=True)


def _table(records: list[dict]) -> str:
    import shutil
    import textwrap

    width = max(shutil.get_terminal_size((120, 20)).columns, 80)
    nw = max(len(r["name"]) for r in records)
    rest = width - nw - 2
    lines = [f"{'name':<{nw}}  description / source", f"{'-' * nw}  {'-' * min(rest, 40)}"]
    for r in records:
        desc = textwrap.wrap(r["description"], rest) or [""]
        src = textwrap.wrap("source: " + r["source"], rest)
        for i, line in enumerate(desc + src):
            lines.append(f"{r['name'] if i == 0 else '':<{nw}}  {line}")
    return "\n".join(lines)
