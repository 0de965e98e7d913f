"""``cure_test``: the SPEC keys, conventions and the verdict."""
import json

import numpy as np
import pytest

import remission as rm
from remission.data.survival_data import SurvivalData
from remission.errors import DataError

from .conftest_data import cure_data


def test_spec_keys_and_conventions():
    t, e = cure_data(2, n=150, cure=0.4, c_lo=30, c_hi=60)
    r = rm.cure_test(SurvivalData.from_arrays(t, e, time_unit="months"), reps=200, seed=3)
    d = r.to_dict()
    assert set(d["presence"]) >= {"test", "statistic", "p_value"}
    assert set(d["sufficient_followup"]) >= {"test", "statistic", "p_value"}
    assert set(d["tail"]) >= {"last_event_time", "max_followup", "plateau_length",
                              "survival_at_plateau", "n_at_risk_at_plateau"}
    assert isinstance(d["verdict"], str) and d["verdict"]
    # strong, well-followed cure: both conventions give small p-values
    assert d["presence"]["p_value"] < 0.05 and d["sufficient_followup"]["p_value"] < 0.05
    assert d["conclusion"] == "supported"
    assert d["verdict"].startswith("Conclusion: supported")
    assert d["tail"]["survival_at_plateau"] == d["cure_fraction"]["estimate"]
    json.dumps(d, allow_nan=True)
    txt = r.to_text()
    assert "Maller-Zhou" in txt and "Verdict" in txt and "months" in txt
    assert "Conclusion: supported" in txt and d["sufficient_followup"]["question"] in txt


def test_same_seed_same_numbers():
    t, e = cure_data(6)
    a = rm.cure_test(t, e, reps=100, seed=4).to_dict()
    b = rm.cure_test(t, e, reps=100, seed=4).to_dict()
    assert a == b


def test_too_few_events():
    with pytest.raises(DataError):
        rm.cure_test(np.array([1.0, 2.0, 3.0]), np.array([1, 0, 0]))
