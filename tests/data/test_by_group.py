"""SurvivalData.by_group splits the rows in one pass (issue 13: ``summary --group id`` with
20,000 groups took hours, each group scanning every row)."""
import time

import numpy as np

from remission.data import SurvivalData


def _data(n_groups, per=2, seed=3):
    rng = np.random.default_rng(seed)
    n = n_groups * per
    group = np.array([str(i // per) for i in range(n)], dtype=object)
    group[rng.permutation(n)[: n // 50]] = None  # some rows without a group
    return SurvivalData.from_arrays(rng.exponential(10, n) + 0.01, rng.random(n) < 0.7,
                                    group=group)


def test_by_group_matches_the_row_by_row_definition():
    d = _data(300, per=3)
    for lev, sub in d.by_group():
        mask = np.array([v == lev for v in d.group], dtype=bool)
        np.testing.assert_array_equal(sub.time, d.time[mask])  # same rows, same order
        np.testing.assert_array_equal(sub.event, d.event[mask])
        np.testing.assert_array_equal(sub.rows, d.rows[mask])
    assert [lev for lev, _ in d.by_group()] == d.group_levels()
    assert sum(sub.n for _, sub in d.by_group()) == d.n - d.n_missing_group


def test_by_group_of_20000_groups_is_linear():
    d = _data(20_000)
    t0 = time.perf_counter()
    n = sum(sub.n for _, sub in d.by_group())
    seconds = time.perf_counter() - t0
    assert n == d.n - d.n_missing_group
    # about 1 s on one core (the old row scan per group: about 80 s); 20 s allows a loaded
    # machine and still fails on work quadratic in the number of groups
    assert seconds < 20, seconds
