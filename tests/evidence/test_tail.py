"""Tail facts and the Maller-Zhou cure estimate against R survival's Kaplan-Meier tables
(tests/fixtures/r_survival/*.json, R survival 3.5.3 on the bundled datasets).

Tolerance 1e-8 relative: the tail facts are read off the same closed-form Kaplan-Meier
table R computes in double precision (see tests/nonparametric/test_reference.py)."""
import numpy as np
import pytest

from remission.evidence.tail import tail_facts
from remission.errors import DataError

from ..reference_cases import CASES, RTOL, load_reference

@pytest.mark.parametrize("name,tc,ec", CASES)
def test_tail_facts_match_r_km_table(name, tc, ec):
    ref, _, t, ev = load_reference(name, tc, ec)
    tab = ref["km_loglog"]["table"]
    time = np.array(tab["time"], float)
    n_event = np.array(tab["n_event"], float)
    j = np.flatnonzero(n_event > 0)[-1]  # R's row of the last event time
    tf = tail_facts(t, ev)
    assert tf.last_event_time == pytest.approx(time[j], rel=RTOL)
    assert tf.max_followup == pytest.approx(time[-1], rel=RTOL)
    assert tf.plateau_length == pytest.approx(time[-1] - time[j], rel=RTOL, abs=1e-12)
    assert tf.survival_at_plateau == pytest.approx(tab["survival"][j], rel=RTOL)
    assert tf.n_at_risk_at_last_event == tab["n_risk"][j]
    assert tf.n_at_risk_at_plateau == tab["n_risk"][j] - tab["n_event"][j]
    # the interval is R's log-log interval at the last event time (NA when S = 0)
    for ours, key in ((tf.lower, "lower"), (tf.upper, "upper")):
        theirs = tab[key][j]
        if theirs is None:
            assert np.isnan(ours)
        else:
            assert ours == pytest.approx(theirs, rel=RTOL)
    assert tf.n == ref["n"] and tf.events == ref["events"]


def test_cure_estimate_is_km_at_largest_time():
    # Maller-Zhou: 1 - p_n = KM(t_(n)) = KM(t*_(n)); hand: (4/5)(2/3) at t = 1, 3
    t = [1, 2, 3, 5, 7]
    e = [1, 0, 1, 0, 0]
    tf = tail_facts(t, e)
    assert tf.survival_at_plateau == pytest.approx(0.8 * (2 / 3), rel=1e-14)
    assert (tf.last_event_time, tf.max_followup, tf.plateau_length) == (3.0, 7.0, 4.0)
    assert (tf.n_at_risk_at_last_event, tf.n_at_risk_at_plateau) == (3, 2)
    assert tf.lower < tf.survival_at_plateau < tf.upper


def test_last_observation_an_event_gives_zero_plateau():
    tf = tail_facts([1, 2, 3], [1, 0, 1])
    assert tf.plateau_length == 0 and tf.survival_at_plateau == 0
    assert tf.n_at_risk_at_plateau == 0


def test_no_events_is_a_data_error():
    with pytest.raises(DataError, match="no events"):
        tail_facts([1, 2, 3], [0, 0, 0])
