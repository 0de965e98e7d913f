"""The bundled datasets (``remission.datasets``) as the tests read them.

Tests read data only from inside the repository.  The R datasets (lung, veteran, ovarian,
myeloma from R's ``survival``; alloauto, bmt from ``KMsurv``) and the US life table are
bundled with the package as gzipped CSV files whose decompressed bytes are the original CSV
files (tests/datasets/test_registry.py pins their SHA-256), so

* ``frame(name)`` is the original table (original columns, e.g. lung's ``status`` 1/2), and
* ``csv(name)`` is a path to the bundled ``.csv.gz`` file, which every reader of the package
  and the command line accepts in place of the plain CSV.

The R reference fixtures computed on these datasets are in ``tests/fixtures/r_survival/``.
"""
from __future__ import annotations

from pathlib import Path

from remission.datasets import example_path, read_example

#: the fixtures folder of the test suite
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def frame(name: str):
    """The bundled dataset ``name`` as a pandas DataFrame with its original columns."""
    return read_example(name)


def csv(name: str) -> str:
    """Path (a string) of the bundled gzipped CSV of dataset ``name``."""
    p = Path(str(example_path(name)))
    assert p.is_file(), f"bundled dataset file missing: {p}"
    return str(p)
