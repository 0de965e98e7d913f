"""Property test of issue 13: random small datasets and hostile option values, fed to several
commands in process, never give a traceback or a Python warning, exit 0, 2 (bad input) or 3
(no convergence) with exactly one ``error:`` line when they fail, leave the input unchanged,
and leave no partial or temporary file behind."""
from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_hostile import run, snapshot

HOSTILE = st.sampled_from(["nan", "inf", "-1", "0", "1e-300", "0.5", "3", "12", "1e308", "abc",
                           ""])
#: a sensible value of each option, drawn half of the time so that the commands also run
VALID = {"--times": "1,5", "--tau": "5", "--conf-level": "0.9", "--horizon": "50",
         "--seed": "7", "--eps": "0.05", "--width": "5", "--height": "4", "--dpi": "60",
         "--ticks": "0,5,10", "--n": "30", "--tail-hazard": "0.1", "--median": "8"}


def value(draw, opt):
    return draw(st.one_of(st.just(VALID[opt]), HOSTILE))
_T = st.floats(0.01, 1000, allow_nan=False).map(lambda x: round(x, 2))
TIME = st.one_of(_T, _T, _T, st.sampled_from([0.0, 1e-9, 0.5, 1e8]))  # extremes 1 in 4


@st.composite
def datasets(draw):
    n = draw(st.integers(1, 25))
    times = draw(st.lists(TIME, min_size=n, max_size=n))
    events = draw(st.lists(st.sampled_from(["0", "1", "1"]), min_size=n, max_size=n))
    if draw(st.integers(0, 9)) == 0:  # now and then one bad cell
        events[draw(st.integers(0, n - 1))] = draw(st.sampled_from(["2", "x", "", "-1"]))
    arms = draw(st.lists(st.sampled_from(["A", "B", "B", ""]), min_size=n, max_size=n))
    return "time,event,arm\n" + "".join(f"{t!r},{e},{a}\n" for t, e, a in
                                        zip(times, events, arms))


@st.composite
def commands(draw):
    """(arguments with {data} and {out} placeholders)."""
    kind = draw(st.sampled_from(["summary", "fit", "compare", "cure-test", "plot", "reconstruct"]))
    group = draw(st.sampled_from([[], ["--group", "arm"]]))
    if kind == "summary":
        opt = draw(st.sampled_from(["--times", "--tau", "--conf-level"]))
        return ["summary", "{data}", *group, opt, value(draw, opt)]
    if kind == "fit":
        dist = draw(st.sampled_from(["exponential", "weibull", "lognormal"]))
        opt = draw(st.sampled_from(["--times", "--horizon", "--conf-level", "--seed"]))
        extra = ["--ci", "bootstrap", "--reps", "10"] if opt == "--seed" else []
        return ["fit", "{data}", "--dist", dist, *extra, opt, value(draw, opt)]
    if kind == "compare":
        opt = draw(st.sampled_from(["--horizon", "--conf-level"]))
        return ["compare", "{data}", "--dists", "exponential,weibull", opt, value(draw, opt)]
    if kind == "cure-test":
        opt = draw(st.sampled_from(["--tau", "--seed", "--eps"]))
        return ["cure-test", "{data}", "--reps", "20", opt, value(draw, opt)]
    if kind == "plot":
        opt = draw(st.sampled_from(["--width", "--height", "--dpi", "--ticks"]))
        return ["plot", "km", "{data}", *group, "--dpi", "50", "-o", "{out}.png", opt,
                value(draw, opt)]
    opt = draw(st.sampled_from(["--n", "--tail-hazard", "--median", "--seed"]))
    n = [] if opt == "--n" else ["--n", "20"]
    return ["reconstruct", "--landmarks", "{data}", *n, "-o", "{out}.csv", opt, value(draw, opt)]


@pytest.mark.filterwarnings("error")
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=datasets(), args=commands())
def test_random_data_and_options_never_crash_or_leave_partial_files(data, args):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "data.csv")
        if args[0] == "reconstruct":  # a landmarks file: time,survival from the same draw
            n = len(data.splitlines()) - 1  # landmarks every 6 time units, falling by 10%
            data = "time,survival\n" + "".join(f"{6 * (i + 1)},{0.9 ** (i + 1):.3f}\n"
                                               for i in range(n))
        with open(path, "w", encoding="utf-8") as f:
            f.write(data)
        before = snapshot(d)
        argv = [a.format(data=path, out=os.path.join(d, "out")) for a in args]
        rc, out, err, warns = run(argv)
        assert rc in (0, 2, 3), (argv, rc, err)
        assert "Traceback" not in err and not warns, (argv, err, warns)
        if rc:
            lines = [ln for ln in err.splitlines() if ln.startswith("error: ")]
            assert len(lines) == 1, (argv, err)
        after = snapshot(d)
        assert after["data.csv"] == before["data.csv"]  # the input is never touched
        new = set(after) - set(before)
        assert not [n for n in new if n.startswith(".")], (argv, new)  # no temporary file
        assert new <= ({"out.png", "out.csv"} if rc == 0 else set()), (argv, rc, new)
