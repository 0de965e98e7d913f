"""The batched Kaplan-Meier agrees with the single-sample ``kaplan_meier`` (itself checked
against R's survfit) to 1e-12: the two compute the same products and sums in a different order,
so only rounding separates them (relative 1e-12 is ~4500 ulps, far above that rounding)."""
import numpy as np
import pytest

from remission.nonparametric import kaplan_meier
from remission.nonparametric.km_batch import km_batch


def _rows(seed, b=20, n=40, ties=True):
    rng = np.random.default_rng(seed)
    t = rng.exponential(5.0, (b, n))
    if ties:
        t = np.ceil(t)  # many tied times, events and censorings mixed at a tie
    e = rng.random((b, n)) < 0.6
    return t, e


@pytest.mark.parametrize("ties", [False, True])
def test_matches_single_kaplan_meier(ties):
    t, e = _rows(1, ties=ties)
    km = km_batch(t, e)
    last = km.last_of_time()
    for i in range(t.shape[0]):
        ref = kaplan_meier(t[i], e[i])
        rev = kaplan_meier(t[i], ~e[i])
        np.testing.assert_array_equal(km.time[i][last[i]], ref.time)
        np.testing.assert_allclose(km.survival[i][last[i]], ref.survival, rtol=1e-12, atol=1e-15)
        # R's std.err is the Greenwood SE of -log S: sqrt(sum d / (r (r - d)))
        gw = km.greenwood[i][last[i]]
        fin = np.isfinite(ref.std_err)
        np.testing.assert_allclose(np.sqrt(gw[fin]), ref.std_err[fin], rtol=1e-12)
        assert np.all(~np.isfinite(gw[~fin]) | (ref.survival[~fin] == 0))
        np.testing.assert_allclose(km.censor_survival[i][last[i]], rev.survival, rtol=1e-12,
                                   atol=1e-15)
        # step-function look-ups
        u = np.array([0.0, 1.0, 2.5, 3.0, 100.0])
        for v in u:
            assert km.survival_at(np.full(t.shape[0], v))[i] == pytest.approx(
                float(ref.survival_at(v)), rel=1e-12, abs=1e-15)
            assert km.censor_survival_before(v)[i] == pytest.approx(
                float(rev.survival_at(np.nextafter(v, -np.inf))), rel=1e-12, abs=1e-15)


def test_ties_between_an_event_and_a_censoring():
    # event and censoring at 2: the event counts first for S, and is at risk for censoring
    km = km_batch([[1, 2, 2, 4]], [[1, 0, 1, 0]])
    ref = kaplan_meier([1, 2, 2, 4], [1, 0, 1, 0])
    rev = kaplan_meier([1, 2, 2, 4], [0, 1, 0, 1])
    last = km.last_of_time()[0]
    np.testing.assert_allclose(km.survival[0][last], ref.survival, rtol=1e-12)
    np.testing.assert_allclose(km.censor_survival[0][last], rev.survival, rtol=1e-12)
    assert km.censor_survival[0][last].tolist() == pytest.approx([1.0, 2 / 3, 0.0])


def test_docstring_examples():
    import doctest

    from remission.nonparametric import km_batch as mod

    res = doctest.testmod(mod)
    assert res.attempted > 0 and res.failed == 0
