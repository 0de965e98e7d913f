"""Seeded chunked replicates: same seed, same numbers, whatever the chunking or scheduler."""
import functools

import numpy as np
import pytest

from remission.errors import OptionError
from remission.parallel import make_chunks, map_chunks


def _draw(chunk, k=3):
    return [np.random.default_rng(s).normal(size=k) for s in chunk.seeds]


def _bad(chunk):
    return [0.0]


def test_chunking_does_not_change_results():
    a = map_chunks(_draw, 23, seed=7, chunk_size=5, scheduler="sync", progress=False)
    b = map_chunks(_draw, 23, seed=7, chunk_size=23, scheduler="sync", progress=False)
    c = map_chunks(_draw, 23, seed=7, chunk_size=1, scheduler=None, progress=False)
    assert len(a) == 23
    np.testing.assert_array_equal(np.array(a), np.array(b))
    np.testing.assert_array_equal(np.array(a), np.array(c))


def test_different_seeds_differ_and_tasks_are_independent():
    a = np.array(map_chunks(_draw, 4, seed=1, scheduler="sync", progress=False))
    b = np.array(map_chunks(_draw, 4, seed=2, scheduler="sync", progress=False))
    assert not np.allclose(a, b)
    assert len({tuple(r) for r in a}) == 4


def test_prefix_property():
    # task i's numbers depend only on (seed, i): a longer run extends a shorter one
    a = np.array(map_chunks(_draw, 5, seed=3, scheduler="sync", progress=False))
    b = np.array(map_chunks(_draw, 9, seed=3, scheduler="sync", progress=False))
    np.testing.assert_array_equal(a, b[:5])


def test_threads_scheduler_matches_sync():
    f = functools.partial(_draw, k=2)
    a = map_chunks(f, 12, seed=11, chunk_size=4, scheduler="sync", progress=False)
    b = map_chunks(f, 12, seed=11, chunk_size=4, scheduler="threads", n_workers=2,
                   progress=False)
    np.testing.assert_array_equal(np.array(a), np.array(b))


def test_seed_required_and_counts_checked():
    with pytest.raises(OptionError):
        make_chunks(3, None)
    with pytest.raises(RuntimeError, match="returned 1 results for 3 tasks"):
        map_chunks(_bad, 3, seed=1, scheduler="sync", progress=False)
    assert map_chunks(_draw, 0, seed=1, progress=False) == []


def test_bad_scheduler_address_is_a_clear_error(monkeypatch):
    import remission.parallel as par

    monkeypatch.setattr(par, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(OptionError, match="cannot connect"):
        map_chunks(_draw, 4, seed=1, chunk_size=2, scheduler="tcp://127.0.0.1:1",
                   progress=False)
