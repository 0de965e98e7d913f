"""The CLI package must not import NumPy, SciPy or pandas at import time (fast --help)."""
import subprocess
import sys

CODE = ("import sys, remission.cli, remission.cli.common, remission.cli.summary_cmd, "
        "remission.cli.example_cmd; "
        "print(sorted(m for m in ('numpy', 'pandas', 'scipy') if m in sys.modules))")


def test_cli_modules_import_no_numeric_stack():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_lists_commands():
    p = subprocess.run(["remission", "--help"], capture_output=True, text=True)
    assert p.returncode == 0 and "summary" in p.stdout and "example" in p.stdout
