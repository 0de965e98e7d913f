"""``remission ARGS`` through the console script's own function, in this process.

The installed script is ``remission.cli:main`` (pyproject ``[project.scripts]``); calling it
here checks the same exit status, stdout and stderr without a Python start-up per call (about
a second each, the larger part of several CLI test files).  An exception the script would
print as a traceback propagates and fails the test.  Each command is still run as a real
subprocess somewhere in the suite (tests/cli/test_bad_input.py
``test_installed_script_prints_the_same_line`` and the files' own subprocess tests)."""
from __future__ import annotations

import contextlib
import io
import os
import subprocess

from remission.cli import main


def remission(*args, cwd=None) -> subprocess.CompletedProcess:
    """Run ``remission *args`` (in ``cwd`` if given); the result as ``subprocess.run`` gives it
    with ``capture_output=True, text=True``."""
    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(argv)
    finally:
        os.chdir(old)
    return subprocess.CompletedProcess(["remission", *argv], rc, out.getvalue(), err.getvalue())
