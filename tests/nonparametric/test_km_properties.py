"""Property tests for kaplan_meier: invariants that must hold for any data, plus agreement
with a direct product-limit loop.  Small examples and max_examples keep this fast."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.nonparametric import kaplan_meier

SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def survival_data(draw, max_n=40):
    n = draw(st.integers(1, max_n))
    # few distinct integer times -> many ties; event probability from heavy censoring to none
    times = draw(st.lists(st.integers(0, draw(st.integers(1, 30))), min_size=n, max_size=n))
    p_event = draw(st.sampled_from([0.05, 0.3, 0.7, 1.0]))
    u = draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    events = [x < p_event for x in u]
    if not any(events):
        events[0] = True
    return np.array(times, float), np.array(events)


def naive_km(t, e, w=None):
    w = np.ones_like(t) if w is None else w
    s, out = 1.0, []
    for u in np.unique(t):
        n = w[t >= u].sum()
        d = w[(t == u) & e].sum()
        s *= 1 - d / n
        out.append(s)
    return np.unique(t), np.array(out)


@SETTINGS
@given(survival_data(), st.sampled_from(["log-log", "log", "plain"]),
       st.sampled_from([0.8, 0.95, 0.99]))
def test_curve_is_monotone_in_unit_interval_and_cis_contain_it(data, conf_type, level):
    t, e = data
    km = kaplan_meier(t, e, conf_type=conf_type, conf_level=level)
    s = km.survival
    assert np.all((s >= 0) & (s <= 1))
    assert np.all(np.diff(s) <= 1e-15)
    ok = ~np.isnan(km.lower) & ~np.isnan(km.upper)
    # limits lie in [0, 1] and bracket the estimate (tiny slack for floating round-off)
    assert np.all((km.lower[ok] >= 0) & (km.upper[ok] <= 1))
    assert np.all(km.lower[ok] <= s[ok] + 1e-12) and np.all(s[ok] <= km.upper[ok] + 1e-12)
    assert km.n_risk[0] == len(t) and km.n_event.sum() == e.sum()
    assert km.n_event.sum() + km.n_censor.sum() == len(t)


@SETTINGS
@given(survival_data())
def test_matches_direct_product_limit(data):
    t, e = data
    km = kaplan_meier(t, e)
    tt, ss = naive_km(t, e)
    np.testing.assert_array_equal(km.time, tt)
    np.testing.assert_allclose(km.survival, ss, rtol=1e-12, atol=1e-15)


@SETTINGS
@given(survival_data(max_n=15), st.lists(st.integers(1, 4), min_size=15, max_size=15))
def test_integer_weights_equal_replicated_rows(data, reps):
    t, e = data
    w = np.array(reps[: len(t)], float)
    kw = kaplan_meier(t, e, weights=w)
    kr = kaplan_meier(np.repeat(t, w.astype(int)), np.repeat(e, w.astype(int)))
    np.testing.assert_allclose(kw.survival, kr.survival, rtol=1e-12)
    np.testing.assert_allclose(kw.std_err, kr.std_err, rtol=1e-10, equal_nan=True)
    np.testing.assert_allclose(kw.n_risk, kr.n_risk)


@pytest.mark.parametrize("event", [True, False])
def test_single_subject(event):
    km = kaplan_meier([5.0], [event])
    assert km.time.tolist() == [5.0]
    assert km.survival.tolist() == [0.0 if event else 1.0]
    assert km.median().estimate == (5.0 if event else None)


def test_all_censored_but_one_heavy_censoring():
    t = np.arange(1.0, 101.0)
    e = np.zeros(100, bool)
    e[50] = True
    km = kaplan_meier(t, e)
    assert km.survival_at(51.0) == pytest.approx(1 - 1 / 50)
    assert km.median().estimate is None
