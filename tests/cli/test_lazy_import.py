"""The command line imports only what a command needs (start-up time, issue 11 part 6).

Each check runs a command in a fresh interpreter and looks at ``sys.modules`` afterwards: a
test on the set of imported modules, never on a timing, so it cannot flake on a busy machine
and a regression (one module-level ``import scipy.stats`` on the path) fails it at once.
benchmarks/bench_startup.py measures what these imports cost.
"""
import json
import subprocess
import sys

import pytest

CODE = ("import sys, remission.cli, remission.cli.common, remission.cli.summary_cmd, "
        "remission.cli.example_cmd; "
        "print(sorted(m for m in ('numpy', 'pandas', 'scipy') if m in sys.modules))")

#: imported by no command unless it draws, distributes or reads that file type.  (pyarrow is
#: not here: pandas itself imports it whenever it is installed, pandas.compat.pyarrow)
NEVER_AT_START = ("scipy.stats", "scipy.integrate", "matplotlib", "plotly", "dask",
                  "distributed", "pyreadstat", "openpyxl", "rich")

RUN = """\
import json, sys
from remission.cli import main
rc = main(json.loads(sys.argv[1]))
print(json.dumps({"rc": rc, "modules": sorted(sys.modules)}))
"""


def imported_by(argv, cwd) -> set:
    """The modules a fresh interpreter holds after ``remission ARGV`` (via cli.main)."""
    p = subprocess.run([sys.executable, "-c", RUN, json.dumps([str(a) for a in argv])],
                       capture_output=True, text=True, cwd=cwd, timeout=300)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout.strip().splitlines()[-1])
    assert doc["rc"] == 0, p.stderr
    return set(doc["modules"])


def test_cli_modules_import_no_numeric_stack():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_lists_commands():
    p = subprocess.run(["remission", "--help"], capture_output=True, text=True)
    assert p.returncode == 0 and "summary" in p.stdout and "example" in p.stdout


@pytest.fixture(scope="module")
def csv(tmp_path_factory):
    d = tmp_path_factory.mktemp("lazy")
    rows = "\n".join(f"{1 + (7 * i) % 50},{int(i % 3 != 0)},{'ab'[i % 2]}" for i in range(60))
    (d / "small.csv").write_text("time,event,arm\n" + rows + "\n")
    return d


def test_every_help_imports_no_numeric_stack(csv):
    from remission.cli import COMMANDS

    for name in COMMANDS:
        mods = imported_by([name, "--help"], csv)
        assert not {"numpy", "pandas", "scipy"} & mods, name


def test_summary_imports_no_models_no_scipy_stats(csv):
    """summary.to_text used to import remission.models (hence scipy.stats): 1.35 s."""
    for fmt in ("text", "json"):
        mods = imported_by(["summary", "small.csv", "--group", "arm", "--format", fmt], csv)
        assert "remission.nonparametric.summary" in mods  # the path was really taken
        bad = {m for m in mods if m.startswith(("remission.models", "scipy.optimize"))}
        bad |= set(NEVER_AT_START) & mods
        assert not bad, (fmt, sorted(bad))


def test_ungrouped_summary_at_95_percent_imports_no_scipy(csv):
    """No log-rank test and the default level: Kaplan-Meier, RMST and follow-up are NumPy."""
    mods = imported_by(["summary", "small.csv"], csv)
    assert "remission.nonparametric.summary" in mods
    assert not {m for m in mods if m == "scipy" or m.startswith("scipy.")}


def test_parametric_fit_imports_no_scipy_stats_or_integrate(csv):
    for args in (["fit", "small.csv", "--dist", "weibull"],
                 ["fit", "small.csv", "--dist", "lognormal", "--format", "json"]):
        mods = imported_by(args, csv)
        assert "remission.models.fit" in mods
        assert not set(NEVER_AT_START) & mods, (args, sorted(set(NEVER_AT_START) & mods))


def test_example_list_imports_no_numeric_stack(csv):
    mods = imported_by(["example", "list"], csv)
    assert not {"numpy", "pandas", "scipy"} & mods
