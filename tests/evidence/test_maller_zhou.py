"""Maller-Zhou N_n, q_n, alpha_n by hand, and the batched statistics against the one-sample
functions (identical arithmetic, so 1e-12)."""
import numpy as np
import pytest

from remission.evidence.maller_zhou import batch_statistics, sufficient_followup_mz
from remission.evidence.tail import tail_facts


def test_qn_alphan_by_hand():
    # t_(n) = 20, t*_(n) = 12: interval (2*12 - 20, 12] = (4, 12]; events there: 5, 8, 8, 12
    t = [1, 4, 5, 8, 8, 10, 12, 15, 20, 3]
    e = [1, 1, 1, 1, 1, 0, 1, 0, 0, 1]
    r = sufficient_followup_mz(t, e)
    assert (r.interval_lower, r.interval_upper) == (4.0, 12.0)
    assert r.n_n == 4  # the event at exactly 4 is outside the half-open interval
    assert r.q_n == pytest.approx(0.4)
    assert r.alpha_n == pytest.approx(0.6 ** 10, rel=1e-14)
    assert r.p_value == r.alpha_n and r.statistic == r.q_n


def test_no_plateau_means_no_events_counted():
    # last observation an event: interval (t*, t*] is empty, alpha_n = 1
    r = sufficient_followup_mz([1, 2, 3, 4], [1, 0, 1, 1])
    assert r.n_n == 0 and r.alpha_n == 1.0


def test_batch_matches_single_sample():
    rng = np.random.default_rng(11)
    b, n = 40, 60
    t_ev = np.where(rng.random((b, n)) < 0.3, np.inf, rng.weibull(1.3, (b, n)) * 5)
    c = rng.uniform(2, 12, (b, n))
    c[:, :10] = np.round(c[:, :10])  # tied censoring times are allowed
    t, e = np.minimum(t_ev, c), t_ev <= c
    st = batch_statistics(t, e)
    for i in range(b):
        tf = tail_facts(t[i], e[i])
        mz = sufficient_followup_mz(t[i], e[i])
        assert st["cure"][i] == pytest.approx(tf.survival_at_plateau, rel=1e-12, abs=1e-15)
        assert st["t_star"][i] == tf.last_event_time and st["t_n"][i] == tf.max_followup
        assert st["n_n"][i] == mz.n_n
        assert st["alpha_n"][i] == pytest.approx(mz.alpha_n, rel=1e-12)
        if tf.survival_at_plateau > 0:
            assert st["lower"][i] == pytest.approx(tf.lower, rel=1e-10)
            assert st["upper"][i] == pytest.approx(tf.upper, rel=1e-10)
