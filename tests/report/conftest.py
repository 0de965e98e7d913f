"""Reports that several files of tests/report read, built once per pytest-xdist worker
(session scope) instead of once per file: the alloauto two-arm report (test_build,
test_arms_report) and the CARTITUDE-1 report (test_build, test_arms_report, test_browser), both
in the FAST configuration.  No test changes a Report (writing or rendering one makes new
objects: report/html.py compact_figures)."""
from __future__ import annotations

import pytest

import remission as rm

from .helpers import FAST, bundled


@pytest.fixture(scope="session")
def fast_cartitude(tmp_path_factory):
    p = bundled("cartitude1-pfs-approx.csv.gz",
                tmp_path_factory.mktemp("d") / "cartitude1-pfs-approx.csv")
    return rm.analyze(p, **FAST)


@pytest.fixture(scope="session")
def fast_alloauto_by_type(tmp_path_factory):
    """(data, report): alloauto analysed by transplant type, in months."""
    p = bundled("alloauto.csv.gz", tmp_path_factory.mktemp("d") / "alloauto.csv")
    data = rm.read_survival(p, group="type", time_unit="months")
    return data, rm.analyze(data, **FAST)
