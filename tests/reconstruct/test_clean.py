"""Cleaning of digitised curves and numbers-at-risk tables."""
import numpy as np
import pytest

from remission.errors import DataError, OptionError, RemissionError
from remission.reconstruct import clean_curve, clean_risk_table


def test_messy_curve_is_tidied_and_every_change_reported():
    t = [10, 5, -0.1, 5, 0.5, 20, 15]
    s = [60, 81, 100.2, 80, 99, 40, 62]  # percentages, unsorted, a jitter upwards at 15
    c = clean_curve(t, s)
    assert c.time[0] == 0 and c.survival[0] == 1
    assert np.all(np.diff(c.time) > 0)
    assert np.all(np.diff(c.survival) <= 0)
    assert c.survival.max() <= 1 and c.survival.min() >= 0
    text = " ".join(c.changes)
    for word in ("percentages", "before time 0", "sorted", "non-increasing", "merged", "(0, 1)"):
        assert word in text
    # the upward jitter at 15 (0.62 after 0.60 at 10) is pooled: both become 0.61
    assert c.at(10) == pytest.approx(0.61) and c.at(15) == pytest.approx(0.61)


def test_clean_curve_is_silent_when_nothing_changes():
    c = clean_curve([0, 1, 2], [1, 0.5, 0.2])
    assert c.changes == ()


@pytest.mark.parametrize("t, s, msg", [
    ([0, 1, -50], [1, 0.5, 1], "well before zero"),
    ([0, 1, 2], [1, 0.5, 1.4], "above 1"),
    ([0, 1, 2], [100, 50, 170], "above 100%"),
    # a fraction curve with one typo is not a percentage curve (it would be divided by 100)
    ([0, 10, 20, 30], [1, 1.8, 0.4, 0.3], "most values are fractions"),
    ([0, 1, 2], [1, -0.3, 0.1], "negative survival"),
    ([0, np.nan, 2], [1, 0.5, 0.1], "missing"),
    ([1], [0.5], "at least two"),
])
def test_bad_curves(t, s, msg):
    with pytest.raises(DataError, match=msg) as e:
        clean_curve(t, s)
    assert isinstance(e.value, RemissionError)


def test_risk_table_gets_time_zero_from_n_and_drops_late_rows():
    r = clean_risk_table([12, 24, 60], [80, 50, 3], n=100, curve_end=40)
    assert r.time.tolist() == [0, 12, 24] and r.n_risk.tolist() == [100, 80, 50]
    assert any("time 0" in c for c in r.changes) and any("after the end" in c for c in r.changes)


@pytest.mark.parametrize("t, r, n, err, msg", [
    ([0, 12], [100, 120], None, DataError, "must not increase"),
    ([0, 12], [100, 80.5], None, DataError, "whole number"),
    ([12, 24], [80, 50], None, DataError, "time 0 is needed"),
    ([0, 12], [100, 80], 90, OptionError, "disagrees"),
    ([0, 0], [100, 100], None, DataError, "appears twice"),
])
def test_bad_risk_tables(t, r, n, err, msg):
    with pytest.raises(err, match=msg):
        clean_risk_table(t, r, n=n)


@pytest.mark.parametrize("s", [[100, 70, 40, 20, 8, 2, 0, 0, 0, 0, 0, 0, 0],
                               [100, 40, 10, 1.4, 1.2, 1.0, 1.0, 0.8, 0.5, 0.5]])
def test_percentage_curve_falling_to_low_percentages_is_read_as_percent(s):
    c = clean_curve(np.arange(len(s)), s)
    assert c.survival[0] == 1.0 and c.survival.max() <= 1
    assert any("percentages" in ch for ch in c.changes)
