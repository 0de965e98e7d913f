"""read_table: every supported format round-trips the same table; bad files are one-line
DataErrors naming the file."""
import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remission.data import read_survival, read_table
from remission.errors import DataError

FIXTURES = Path(__file__).with_name("fixtures")
FRAME = pd.DataFrame({"USUBJID": ["S1", "S2", "S3", "S4"], "PARAMCD": ["OS"] * 4,
                      "AVAL": [10.5, 3.0, 7.25, 12.0], "CNSR": [0.0, 1.0, 0.0, 1.0],
                      "ARM": ["A", "B", "A", "B"]})


def check(df):
    assert list(df.columns) == list(FRAME.columns)
    assert df["USUBJID"].tolist() == FRAME["USUBJID"].tolist()
    np.testing.assert_array_equal(df["AVAL"].to_numpy(float), FRAME["AVAL"].to_numpy())
    np.testing.assert_array_equal(df["CNSR"].to_numpy(float), FRAME["CNSR"].to_numpy())


@pytest.mark.parametrize("sep,name", [(",", "d.csv"), ("\t", "d.tsv"), (";", "d.csv"),
                                      ("|", "d.txt"), ("\t", "d.txt")])
def test_delimited_text_is_sniffed(tmp_path, sep, name):
    p = tmp_path / name
    FRAME.to_csv(p, sep=sep, index=False)
    check(read_table(p))


def test_csv_gz(tmp_path):
    p = tmp_path / "d.csv.gz"
    p.write_bytes(gzip.compress(FRAME.to_csv(index=False).encode()))
    check(read_table(p))


def test_bom_latin1_and_missing_markers(tmp_path):
    p = tmp_path / "d.csv"
    p.write_bytes("\ufefftime,event,site\n1,1,Zürich\n2,.,Köln\n".encode("utf-8"))
    df = read_table(p)
    assert list(df.columns) == ["time", "event", "site"]
    assert df["event"].isna().tolist() == [False, True]
    p.write_bytes("time,event,site\n1,1,Zürich\n".encode("latin-1"))
    assert read_table(p)["site"].tolist() == ["Zürich"]


def test_parquet(tmp_path):
    p = tmp_path / "d.parquet"
    FRAME.to_parquet(p)
    check(read_table(p))


@pytest.mark.parametrize("version", [5, 8])
def test_xpt_written_by_pyreadstat(tmp_path, version):
    import pyreadstat

    p = tmp_path / "adtte.xpt"
    pyreadstat.write_xport(FRAME, str(p), file_format_version=version)
    check(read_table(p))


def test_sas7bdat_fixture_matches_both_sas_readers():
    # adtte_tiny.sas7bdat is produced by fixtures/make_sas7bdat.py (ReadStat's C writer);
    # pandas' independent SAS reader must read the same values as ours (pyreadstat).
    p = FIXTURES / "adtte_tiny.sas7bdat"
    ours = read_table(p)
    theirs = pd.read_sas(p, encoding="utf-8")
    pd.testing.assert_frame_equal(ours.reset_index(drop=True), theirs, check_dtype=False)
    assert ours["PARAMCD"].tolist() == ["OS", "PFS"] * 3
    d = read_survival(p, param="OS")
    assert d.time.tolist() == [10.5, 12.0, 7.25] and d.event.tolist() == [True, False, True]
    assert d.rows.tolist() == [1, 3, 5]


def test_sas7bdat_generator_is_reproducible(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("mk", FIXTURES / "make_sas7bdat.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    out = mk.main(tmp_path / "x.sas7bdat")
    # The bytes depend on the ReadStat writer inside the installed pyreadstat (pyreadstat 1.3.8
    # writes 64 KiB pages where the fixture's writer wrote 4 KiB ones), so the script is checked
    # on what it writes: the same table as the committed fixture, read by pyreadstat (ours)
    # and by pandas' independent SAS reader; a change to the script's rows or columns fails.
    fixture = FIXTURES / "adtte_tiny.sas7bdat"
    pd.testing.assert_frame_equal(read_table(Path(out)), read_table(fixture))
    pd.testing.assert_frame_equal(pd.read_sas(out, encoding="utf-8"),
                                  pd.read_sas(fixture, encoding="utf-8"))


def test_xlsx_and_sheet(tmp_path):
    p = tmp_path / "d.xlsx"
    with pd.ExcelWriter(p) as w:
        pd.DataFrame({"x": [1]}).to_excel(w, sheet_name="notes", index=False)
        FRAME.to_excel(w, sheet_name="adtte", index=False)
    check(read_table(p, sheet="adtte"))
    check(read_table(p, sheet=1))
    assert list(read_table(p).columns) == ["x"]  # the first sheet by default
    with pytest.raises(DataError, match="d.xlsx"):
        read_table(p, sheet="missing")


def test_xls_without_reader_is_a_clear_error(tmp_path):
    p = tmp_path / "d.xls"
    p.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600)
    with pytest.raises(DataError, match="d.xls.*xlrd") as e:
        read_table(p)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("name,content", [
    ("d.parquet", b"time,event\n1,1\n"), ("d.xlsx", b"time,event\n1,1\n"),
    ("d.xpt", b"time,event\n1,1\n"), ("d.sas7bdat", b"time,event\n1,1\n"),
    ("d.csv", bytes(range(256))), ("d.csv", bytes(range(1, 256)) * 10), ("d.csv", b""), ("d.csv.gz", b"not gzip"),
    ("d.rds", b"x"), ("d.parquet.gz", b"x"), ("noext", b"time\n1\n")])
def test_bad_files_name_the_file_in_one_line(tmp_path, name, content):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(DataError) as e:
        read_table(p)
    assert name in str(e.value) and "\n" not in str(e.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_table(tmp_path / "x.csv")
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(DataError, match="directory"):
        read_table(tmp_path / "dir.csv")
