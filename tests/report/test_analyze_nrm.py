"""``analyze --nrm-cause/--nrm-from``: the report's parametric competing risks bound death
without relapse by general-population mortality from time T, through the computation of
``fit --competing`` (its numbers are those of ``fit --competing --lifetable --nrm-cause
--nrm-from`` with the same options), and bad values are one error line (exit 2)."""
from __future__ import annotations

import json

from unittest import mock

import numpy as np
import pytest

from remission.datasets import read_example
from remission.errors import RemissionError
from remission.report import compute
from remission.report.context import Context

from ..cli.test_hostile import run, snapshot

POP = ["--time-unit", "days", "--age", "75", "--sex", "male", "--year", "2000", "--smr", "2"]
FAST = ["--quiet", "--dists", "weibull", "--cure", "none", "--reps", "20", "--sims", "5",
        "--extra-followup", "365", "--landmarks", "365,730", "--horizon", "3650"]


class _Stop(RemissionError):
    """Ends `analyze` where its options are complete (before the minutes of the report)."""


@pytest.fixture(scope="module")
def csv(tmp_path_factory):
    df = read_example("bmt")
    df["cause"] = np.where(df.d3 == 0, "0", np.where(df.d2 == 1, "relapse", "nrm"))
    p = tmp_path_factory.mktemp("nrm") / "bmt_cr.csv"
    df[["t2", "cause"]].to_csv(p, index=False)
    return p


def _fit(csv, *extra):
    rc, out, err, _ = run(["fit", csv, "--time", "t2", "--event-type", "cause", "--competing",
                           "--cause", "relapse", "--dist", "weibull", "--lifetable", "us",
                           *POP, "--times", "365,730", "--horizon", "3650", "--format", "json",
                           *extra])
    assert rc == 0, err
    return json.loads(out)["competing_risks_parametric"]


def _report_context(csv, tmp_path, *extra):
    """The report's Context as `remission analyze ... --nrm-cause/--nrm-from` builds it."""
    seen = []

    def stop(data, options):
        seen.append((data, options))
        raise _Stop("stopped")
    with mock.patch("remission.report.build.Context", stop):
        rc, _, err, _ = run(["analyze", csv, "--time", "t2", "--event-type", "cause",
                             "--cause", "relapse", *POP, *FAST, "-o", tmp_path / "r.html",
                             *extra])
    assert rc == 2 and err.strip() == "error: stopped", err
    (data, options), = seen
    return Context(data, options)


def _numbers(b):
    return np.array([[r[k] for r in c["landmarks"] for k in ("estimate", "lower", "upper")]
                     for c in b["cifs"] + [b["event_free"]]], dtype=float)


def test_report_equals_fit_competing_with_the_same_options(csv, tmp_path):
    opts = ["--nrm-cause", "nrm", "--nrm-from", "730"]
    ctx = _report_context(csv, tmp_path, *opts)
    assert (ctx.options.nrm_cause, ctx.options.nrm_from, ctx.options.smr) == ("nrm", 730.0, 2.0)
    # the block the competing section writes (key competing.competing_parametric)
    rep, fit = compute.competing_parametric(ctx, ctx.cohorts[0]), _fit(csv, *opts)
    assert rep["nrm_population"] == fit["nrm_population"]
    assert rep["nrm_population"]["from"] == 730.0 and rep["nrm_population"]["cause"] == "nrm"
    assert [r["time"] for r in rep["cifs"][0]["landmarks"]] == [365.0, 730.0, 3650.0]
    # the same fit and rule; only the integration grid differs (the report draws its curves
    # at 120 points, fit at 60, and every drawn point is a panel end of the quadrature):
    # measured 3e-12 (age 75, from 730) and below 1e-7 elsewhere, so 1e-6 absolute still
    # fails any change of rule, start or SMR (each moves these numbers by > 1e-3)
    np.testing.assert_allclose(_numbers(rep), _numbers(fit), rtol=0, atol=1e-6)
    # the start matters here (age 75, SMR 2: the bound binds in the tail): from 3000 days,
    # death without relapse by 10 years is lower (0.44 against 0.52)
    late = _fit(csv, "--nrm-cause", "nrm", "--nrm-from", "3000")
    k = rep["causes"].index("nrm")
    assert (rep["cifs"][k]["landmarks"][-1]["estimate"]
            > late["cifs"][k]["landmarks"][-1]["estimate"] + 0.05)
    # without the options, the report's default: --cause relapse with two causes bounds nrm
    # from time 0
    ctx0 = _report_context(csv, tmp_path)
    assert ctx0.options.nrm_from is None
    p0 = compute.competing_parametric(ctx0, ctx0.cohorts[0])
    assert p0["nrm_population"]["from"] == 0.0 and p0["nrm_population"]["cause"] == "nrm"


@pytest.mark.parametrize("args,words", [
    (["--nrm-from", "nan"], ["--nrm-from"]),
    (["--nrm-from", "-1"], ["--nrm-from"]),
    (["--nrm-cause", "cancer"], ["--nrm-cause cancer"]),
    (["--nrm-cause", "relapse"], ["--nrm-cause relapse", "--cause"]),
])
def test_bad_values_are_one_error_line(csv, tmp_path, args, words):
    before = snapshot(csv.parent)
    rc, _, err, _ = run(["analyze", csv, "--time", "t2", "--event-type", "cause", "--cause",
                         "relapse", *POP, "-o", csv.parent / "r.html", *args])
    lines = err.strip().splitlines()
    assert rc == 2 and len(lines) == 1 and lines[0].startswith("error: "), err
    assert all(w in lines[0] for w in words), lines[0]
    assert snapshot(csv.parent) == before


def test_needs_causes_and_population_mortality(csv, tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text("time,event\n5,1\n3,0\n4,1\n7,1\n8,0\n", encoding="utf-8")
    rc, _, err, _ = run(["analyze", plain, "-o", tmp_path / "r.html", "--nrm-from", "5", *POP])
    assert rc == 2 and err.strip() == "error: --nrm-from needs --event-type (competing risks)"
    rc, _, err, _ = run(["analyze", csv, "--time", "t2", "--event-type", "cause", "--cause",
                         "relapse", "--time-unit", "days", "-o", tmp_path / "r.html",
                         "--nrm-cause", "nrm"])
    assert rc == 2 and "--nrm-cause needs general-population mortality" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.csv"]
