"""Tables that used to be read silently wrong (issue 13): duplicate column names, durations
(timedelta) as times, absurdly large times."""
import numpy as np
import pandas as pd
import pytest

from remission.data import from_dataframe, read_survival, read_table
from remission.errors import DataError
from remission.limits import MAX_TIME


@pytest.mark.parametrize("text", ["time,time,event\n5,1,1\n3,2,0\n",
                                  '"time";"event";"time"\n5;1;1\n3;0;2\n',
                                  "time, time,event\n5,1,1\n3,2,0\n"])  # equal once stripped
def test_duplicate_column_names_are_refused_naming_the_column(tmp_path, text):
    p = tmp_path / "dup.csv"
    p.write_text(text)
    with pytest.raises(DataError, match="the column name 'time' appears twice") as e:
        read_table(p)
    assert e.value.column == "time"


def test_duplicate_excel_headers_are_refused(tmp_path):
    p = tmp_path / "dup.xlsx"
    pd.DataFrame([[5, 1, 1], [3, 2, 0]], columns=["time", "event", "event"]).to_excel(
        p, index=False)
    with pytest.raises(DataError, match="'event' appears twice"):
        read_table(p)


def test_unnamed_columns_are_not_duplicates(tmp_path):
    p = tmp_path / "blank.csv"
    p.write_text("time,event,,\n5,1,,\n3,0,,\n")
    assert read_survival(p).n == 2


def test_a_timedelta_time_column_is_converted_with_its_unit_said(tmp_path):
    df = pd.DataFrame({"time": pd.to_timedelta([14, 7, 28], unit="D"), "event": [1, 0, 1]})
    p = tmp_path / "td.parquet"
    df.to_parquet(p)
    d = read_survival(p)
    np.testing.assert_allclose(d.time, [14, 7, 28])  # days, not nanoseconds
    assert d.time_unit == "days"
    assert "time column 'time' holds durations: converted to days" in d.meta["notes"]
    w = read_survival(p, time_unit="weeks")
    np.testing.assert_allclose(w.time, [2, 1, 4])
    assert w.time_unit == "weeks"


def test_a_missing_duration_is_a_missing_time():
    df = pd.DataFrame({"time": pd.to_timedelta([14, None, 28], unit="D"), "event": [1, 0, 1]})
    with pytest.raises(DataError, match="missing time value") as e:
        from_dataframe(df)
    assert e.value.row == 2


def test_times_above_the_limit_are_refused_with_their_row():
    df = pd.DataFrame({"time": [5.0, 1e308, 3.0], "event": [1, 1, 0]})
    with pytest.raises(DataError, match="above") as e:
        from_dataframe(df)
    assert e.value.row == 2 and e.value.column == "time"
    assert from_dataframe(df.assign(time=[5.0, MAX_TIME, 3.0])).n == 3


def test_follow_up_beyond_100_years_is_flagged_in_the_notes():
    # myeloma's futime is in days (max 7,700 days = 21 years): read as months it is 642 years
    df = pd.DataFrame({"time": [7700.0, 300.0, 1200.0], "event": [0, 1, 1]})
    note = from_dataframe(df, time_unit="months").meta["notes"]
    assert len(note) == 1 and "642 years" in note[0] and "time unit" in note[0]
    assert from_dataframe(df, time_unit="days").meta["notes"] == []
    assert from_dataframe(df).meta["notes"] == []  # no unit: nothing to judge
