"""Stacked cumulative incidence (issue 18): the geometry adds to one, the static figure draws
one panel per group with a layer per cause and the event-free state, and refuses data
without causes."""
import numpy as np
import pytest

from remission.data import from_dataframe
from remission.datasets import read_example
from remission.errors import DataError
from remission.nonparametric.competing import EVENT_FREE, cumulative_incidence
from remission.plots.interactive_cif import cif_stacked_figure, stack
from remission.plots.static_cif import cif_plot


@pytest.fixture(scope="module")
def data():
    df = read_example("bmt")
    df["etype"] = np.where(df.d3 == 0, 0, np.where(df.d2 == 1, 1, 2))
    return from_dataframe(df, time="t2", event_type="etype", group="group", time_unit="days")


def test_stack_of_aalen_johansen_adds_to_one(data):
    ci = cumulative_incidence(data, causes=["2", "1"])
    layers = [(c, ci.estimate[ci.states.index(c)]) for c in ("2", "1")]
    layers.append((EVENT_FREE, ci.estimate[0]))
    t, st = stack(ci.time, layers)
    assert t[0] == 0 and [s[0] for s in st] == ["2", "1", EVENT_FREE]
    # starts: causes at 0, event-free at 1, so every edge starts at 0 or 1
    assert [s[3][0] for s in st] == [0.0, 0.0, 1.0]
    # exact in exact arithmetic; 1e-12 allows for double rounding of sums of ~100 steps
    assert np.max(np.abs(st[-1][3] - 1.0)) < 1e-12
    for (_, own, lo, top) in st:
        np.testing.assert_allclose(top - lo, own, rtol=0, atol=1e-15)
        # incidences never fall: each edge is non-decreasing except the top (constant 1)
        assert np.all(np.diff(own) >= 0) or _ == EVENT_FREE
    fig = cif_stacked_figure(ci.time, layers, "days", 2700)
    assert [tr["type"] for tr in fig["data"]] == ["scatter"] * 3
    assert fig["data"][0]["fill"] == "tozeroy" and fig["data"][1]["fill"] == "tonexty"


def test_static_figure_one_panel_per_group(data):
    fig = cif_plot(data, cause="1")
    axes = [ax for ax in fig.axes if ax.get_ylabel()]
    assert len(axes) == 3
    labels = [t.get_text() for t in axes[0].get_legend().get_texts()]
    assert labels == ["1", "2", EVENT_FREE]  # the cause of interest at the bottom


def test_static_figure_refuses_data_without_causes_or_unknown_cause(data):
    plain = from_dataframe(read_example("bmt"), time="t2", event="d3")
    with pytest.raises(DataError, match="event-type"):
        cif_plot(plain)
    with pytest.raises(DataError, match="--cause 9"):
        cif_plot(data, cause="9")
