"""summarize(): SPEC keys, group order, nulls, default landmarks and R's default RMST horizon."""
import json

import numpy as np
import pytest

from remission.data import SurvivalData, read_survival
from remission.errors import DataError, OptionError
from remission.nonparametric.summary import default_landmarks, summarize

from ..bundled import FIXTURES, csv

FIXTURE = FIXTURES / "summary_rmean_common.json"
TOP = {"n", "events", "groups", "median_followup", "logrank"}
GROUP = {"group", "n", "events", "median", "landmarks", "rmst", "curve"}
CURVE = {"time", "n_risk", "n_event", "n_censor", "survival", "lower", "upper"}


def test_spec_keys_exist_and_all_comes_first():
    d = read_survival(csv("ovarian"), group="rx")
    doc = summarize(d, times=[180, 2000]).to_dict()
    assert TOP <= set(doc)
    assert [g["group"] for g in doc["groups"]] == ["all", "1", "2"]
    for g in doc["groups"]:
        assert GROUP <= set(g) and set(g["curve"]) == CURVE
        assert set(g["median"]) == {"estimate", "lower", "upper"}
        assert set(g["rmst"]) == {"tau", "estimate", "se"}
        for lm in g["landmarks"]:
            assert set(lm) == {"time", "survival", "lower", "upper", "n_risk"}
    assert doc["groups"][2]["median"]["estimate"] is None      # rx 2: median not reached
    assert doc["groups"][0]["median"]["upper"] is None
    assert doc["median_followup"]["method"] == "reverse_km"
    assert set(doc["logrank"]) >= {"chisq", "df", "p"}
    json.dumps(doc, allow_nan=False)  # strictly valid JSON: no NaN or Infinity


def test_one_group_has_null_logrank():
    doc = summarize(read_survival(csv("myeloma"))).to_dict()
    assert doc["logrank"] is None and len(doc["groups"]) == 1


@pytest.mark.parametrize("name", ["lung", "ovarian", "alloauto", "veteran"])
def test_default_tau_is_r_rmean_common(name):
    # R prints 15 significant digits, so 1e-10 relative is far above the rounding of the
    # fixture and far below any real disagreement.
    ref = json.loads(FIXTURE.read_text())[name]
    d = read_survival(csv(name), group=ref["group"])
    s = summarize(d)
    assert s.tau == ref["tau"]
    assert [g.group for g in s.groups] == [r["group"] for r in ref["rows"]]
    for g, r in zip(s.groups, ref["rows"]):
        assert g.rmst.tau == ref["tau"]
        assert g.rmst.estimate == pytest.approx(r["rmean"], rel=1e-10)
        assert g.rmst.se == pytest.approx(r["se"], rel=1e-10)


def test_default_landmarks():
    assert default_landmarks(1022, "days") == [365.25, 730.5]
    assert default_landmarks(70, "months") == [12.0, 24.0, 36.0, 60.0]
    assert default_landmarks(1.5, "years") == [0.38, 0.75, 1.1]  # < 2 whole years: quartiles
    assert default_landmarks(1022, None) == [260.0, 510.0, 770.0]


def test_missing_group_values_are_noted_and_left_out():
    t = np.arange(1.0, 9.0)
    d = SurvivalData.from_arrays(t, [1, 0, 1, 1, 0, 1, 1, 1], group=["a", "b", None, "a", "b",
                                                                     "a", "b", None],
                                 meta={"notes": ["2 rows with a missing 'arm' left out"],
                                       "group_column": "arm"})
    s = summarize(d, times=[4])
    assert s.groups[0].n == 8 and s.groups[1].n + s.groups[2].n == 6
    assert s.to_dict()["notes"] == ["2 rows with a missing 'arm' left out"]
    assert s.logrank is not None


def test_text_rendering_has_the_numbers():
    s = summarize(read_survival(csv("lung"), group="sex", time_unit="days"))
    txt = s.to_text()
    assert "sex=1" in txt and "310" in txt and "Log-rank" in txt and "588 days" in txt


def test_bad_options():
    d = read_survival(csv("lung"))
    with pytest.raises(OptionError):
        summarize(d, tau=-1)
    with pytest.raises(OptionError):
        summarize(d, times=[-1])
    with pytest.raises(OptionError):
        summarize(d, conf_type="bogus")
    with pytest.raises(DataError, match="every time is 0"):
        summarize(SurvivalData.from_arrays([0, 0], [1, 0]))
    with pytest.raises(DataError, match="no events"):
        summarize(SurvivalData.from_arrays([1, 2], [0, 0]))
