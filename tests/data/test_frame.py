"""from_dataframe: SPEC column defaults, ADaM, R 1/2 coding, rows, notes and errors."""
import numpy as np
import pandas as pd
import pytest

from remission.data import from_dataframe, read_survival
from remission.errors import DataError, OptionError

from ..bundled import csv


def adam():
    return pd.DataFrame({"USUBJID": [1, 1, 2, 2, 3, 3],
                         "PARAMCD": ["OS", "PFS"] * 3,
                         "AVAL": [10.0, 5.0, 12.0, 12.0, 7.0, 3.0],
                         "CNSR": [0, 0, 1, 1, 0, 1],
                         "ARM": ["A", "A", "B", "B", None, None]})


def test_adam_defaults_aval_cnsr_and_param_rows():
    d = from_dataframe(adam(), param="PFS", group="ARM")
    assert d.meta["time_column"] == "AVAL" and d.meta["event_column"] == "CNSR"
    assert d.meta["censor_flag"] is True
    assert d.time.tolist() == [5.0, 12.0, 3.0]
    assert d.event.tolist() == [True, False, False]          # CNSR 1 = censored
    assert d.rows.tolist() == [2, 4, 6]                      # source rows, before filtering
    assert d.group.tolist() == ["A", "B", None]
    assert d.group_levels() == ["A", "B"] and d.n_missing_group == 1
    assert d.meta["notes"] == ["1 row with a missing 'ARM' (first at row 6) left out of the "
                               "group comparisons"]


def test_several_params_need_param_and_unknown_code_lists_codes():
    with pytest.raises(DataError, match=r"several parameters \(OS, PFS\)") as e:
        from_dataframe(adam())
    assert e.value.column == "PARAMCD"
    with pytest.raises(DataError, match=r"available codes: OS, PFS"):
        from_dataframe(adam(), param="EFS")
    with pytest.raises(DataError, match="PARAMCD"):
        from_dataframe(adam().drop(columns="PARAMCD"), param="OS")


def test_explicit_event_overrides_cnsr_default_and_both_is_an_error():
    df = adam().assign(EVNT=lambda x: 1 - x.CNSR)
    d = from_dataframe(df, param="OS", event="EVNT")
    assert d.event.tolist() == [True, False, True]
    with pytest.raises(OptionError):
        from_dataframe(df, param="OS", event="EVNT", cnsr="CNSR")


def test_r_status_1_2_and_every_bundled_r_dataset_loads_with_defaults():
    expect = {"lung": (228, 165, "time", "status"), "veteran": (137, 128, "time", "status"),
              "myeloma": (3882, 2769, "futime", "death"),
              "ovarian": (26, 12, "futime", "fustat"), "alloauto": (101, 50, "time", "delta")}
    for name, (n, ev, tc, ec) in expect.items():
        d = read_survival(csv(name))
        assert (d.n, d.n_events, d.meta["time_column"], d.meta["event_column"]) == (n, ev, tc, ec)
    assert read_survival(csv("lung")).meta["event_coding"] == "R 1/2 (2 = event)"
    # bmt (KMsurv) has no default columns: documented flags
    d = read_survival(csv("bmt"), time="t2", event="d3", group="group")
    assert (d.n, d.n_events, d.group_levels()) == (137, 83, ["1", "2", "3"])


def test_booleans_strings_and_case_insensitive_columns():
    df = pd.DataFrame({"Time": [1, 2, 3], "Event": ["yes", "no", "TRUE"]})
    d = from_dataframe(df)
    assert d.event.tolist() == [True, False, True]
    d = from_dataframe(pd.DataFrame({"t": [1, 2], "e": [True, False]}), time="T", event="E")
    assert d.event.tolist() == [True, False]


def test_missing_column_names_it_and_lists_available():
    df = pd.DataFrame({"time": [1, 2], "event": [1, 0]})
    for kw, col in [({"time": "tt"}, "tt"), ({"event": "ev"}, "ev"), ({"group": "arm"}, "arm"),
                    ({"covariates": ["age"]}, "age"), ({"entry": "start"}, "start"),
                    ({"weights": "w"}, "w")]:
        with pytest.raises(DataError, match="available columns: time, event") as e:
            from_dataframe(df, **kw)
        assert e.value.column == col


def test_time_errors_name_column_and_source_row():
    df = adam()
    df.loc[3, "AVAL"] = -1.0  # source row 4, a PFS row
    with pytest.raises(DataError) as e:
        from_dataframe(df, param="PFS")
    assert (e.value.column, e.value.row) == ("AVAL", 4)
    df = pd.DataFrame({"time": ["1", "x"], "event": [1, 1]})
    with pytest.raises(DataError, match="not a number") as e:
        from_dataframe(df)
    assert e.value.row == 2


def test_entry_must_be_strictly_before_time():
    df = pd.DataFrame({"time": [5.0, 3.0, 4.0], "event": [1, 1, 0], "start": [0.0, 3.0, 1.0]})
    with pytest.raises(DataError, match="strictly less") as e:
        from_dataframe(df, entry="start")
    assert (e.value.column, e.value.row) == ("start", 2)
    d = from_dataframe(df.assign(start=[0.0, 2.0, 1.0]), entry="start")
    assert d.entry.tolist() == [0.0, 2.0, 1.0]


def test_no_events_and_no_rows():
    with pytest.raises(DataError, match="no events") as e:
        from_dataframe(pd.DataFrame({"time": [1, 2], "status": [0, 0]}))
    assert e.value.column == "status"
    d = from_dataframe(pd.DataFrame({"time": [1, 2], "status": [0, 0]}), allow_no_events=True)
    assert d.n_events == 0
    with pytest.raises(DataError, match="no data rows"):
        from_dataframe(pd.DataFrame({"time": [], "event": []}))


def test_units_covariates_weights():
    df = pd.DataFrame({"time": [365.25, 730.5], "event": [1, 0], "age": [50, 60],
                       "w": [1.0, 2.0]})
    d = from_dataframe(df, time_unit="days", output_unit="years", covariates=["age"],
                       weights="w")
    np.testing.assert_allclose(d.time, [1.0, 2.0])
    assert d.time_unit == "years" and d.covariates["age"].tolist() == [50, 60]
    assert d.weights.tolist() == [1.0, 2.0]
    with pytest.raises(DataError, match="--time-unit"):
        from_dataframe(df, output_unit="years")
    with pytest.raises(OptionError, match="fortnights"):
        from_dataframe(df, time_unit="fortnights")
    with pytest.raises(DataError, match="missing weight"):
        from_dataframe(df.assign(w=[1.0, np.nan]), weights="w")
