"""Every bad input from SPEC.md and issue 2, through the ``remission`` entry point:
exit status 2, exactly one stderr line ``error: ...`` naming the column and (where it
applies) the first offending row of the source file, and never a traceback.

The cases call the console script's own function (``remission.cli:main``) in this process:
one Python start-up per case made this file one of the slowest of the suite.  The installed
script itself (a real subprocess) is checked for one case of every command by
``test_installed_script_prints_the_same_line``."""
import contextlib
import gzip
import io
import subprocess

import pytest

from remission.cli import main

from ..bundled import csv

LUNG = csv("lung")  # the bundled lung data (original columns, gzipped CSV)


def run_err(*args, must=()):
    out, err = io.StringIO(), io.StringIO()
    # an uncaught exception (a traceback in the script) propagates and fails the test
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main([*map(str, args)])
    err = err.getvalue()
    assert rc == 2, (rc, out.getvalue(), err)
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for m in must:
        assert m in lines[0], (m, lines[0])
    return lines[0]


@pytest.mark.parametrize("args", [
    ("summary", LUNG, "--time", "days"),
    ("fit", LUNG, "--dist", "weibull", "--covariates", "age,bmi"),
    ("plot", "fit", LUNG, "--age", "60", "-o", "f.png"),
    ("reconstruct", "--curve", "nope.csv", "-o", "ipd.csv"),
    ("example", "nope"),
    ("compare", LUNG, "--horizon", "-5"),
    ("cure-test", LUNG, "--eps", "2"),
    ("analyze", LUNG, "-o", "r.html", "--smr", "nan"),
])
def test_installed_script_prints_the_same_line(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing is written, but never beside the repository
    p = subprocess.run(["remission", *map(str, args)], capture_output=True, text=True)
    assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
    assert "Traceback" not in p.stderr
    assert p.stderr.strip().splitlines() == [run_err(*args)], p.stderr


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


@pytest.fixture
def adam(tmp_path):
    return write(tmp_path, "adtte.csv",
                 "USUBJID,PARAMCD,AVAL,CNSR,ARM\n"
                 "1,OS,10,0,A\n1,PFS,5,0,A\n2,OS,12,1,B\n2,PFS,-3,0,B\n3,OS,7,0,\n3,PFS,4,1,\n")


def test_missing_time_column_is_named_with_the_available_ones(tmp_path):
    msg = run_err("summary", LUNG, "--time", "days", must=("'days'", "status"))
    assert "available columns" in msg


def test_missing_event_column(tmp_path):
    run_err("summary", LUNG, "--event", "dead", must=("'dead'", "available columns"))


def test_no_event_column_found(tmp_path):
    p = write(tmp_path, "d.csv", "time,x\n1,0\n2,1\n")
    run_err("summary", p, must=("event", "--event"))


def test_negative_time_names_column_and_row(tmp_path):
    p = write(tmp_path, "d.csv", "time,event\n1,1\n2,0\n-3,1\n4,1\n")
    run_err("summary", p, must=("'time'", "row 3", "negative"))


def test_missing_time_names_column_and_row(tmp_path):
    p = write(tmp_path, "d.csv", "t,event\n1,1\n2,0\n3,1\nNA,1\n")
    run_err("summary", p, "--time", "t", must=("'t'", "row 4", "missing"))


def test_non_numeric_time(tmp_path):
    p = write(tmp_path, "d.csv", "time,event\n1,1\n2 days,0\n")
    run_err("summary", p, must=("'time'", "row 2", "not a number"))


def test_unknown_event_code(tmp_path):
    p = write(tmp_path, "d.csv", "time,status\n1,1\n2,0\n3,3\n4,1\n")
    run_err("summary", p, must=("'status'", "row 3", "3"))


def test_event_codes_mixing_conventions(tmp_path):
    p = write(tmp_path, "d.csv", "time,status\n1,0\n2,1\n3,2\n")
    run_err("summary", p, must=("'status'", "row 3", "mix"))


def test_missing_event_value(tmp_path):
    p = write(tmp_path, "d.csv", "time,event\n1,1\n2,\n")
    run_err("summary", p, must=("'event'", "row 2", "missing"))


def test_no_events_is_an_error(tmp_path):
    p = write(tmp_path, "d.csv", "time,event\n1,0\n2,0\n")
    run_err("summary", p, must=("'event'", "no events"))


def test_adam_all_censored_is_an_error(tmp_path):
    p = write(tmp_path, "d.csv", "AVAL,CNSR\n1,1\n2,1\n")
    run_err("summary", p, must=("'CNSR'", "no events"))


def test_bad_cnsr_flag(tmp_path):
    p = write(tmp_path, "d.csv", "AVAL,CNSR\n1,1\n2,2\n")
    run_err("summary", p, must=("'CNSR'", "row 2"))


def test_header_only(tmp_path):
    p = write(tmp_path, "d.csv", "time,event\n")
    run_err("summary", p, must=("no data rows", "d.csv"))


def test_empty_file(tmp_path):
    p = write(tmp_path, "d.csv", "")
    run_err("summary", p, must=("d.csv", "empty"))


def test_nonexistent_file(tmp_path):
    run_err("summary", tmp_path / "nope.csv", must=("nope.csv", "no such file"))


def test_unknown_extension(tmp_path):
    p = write(tmp_path, "d.json", "{}")
    run_err("summary", p, must=("d.json", "unknown file type"))


def test_binary_garbage_in_csv(tmp_path):
    p = tmp_path / "d.csv"
    p.write_bytes(bytes(range(256)) * 4)
    run_err("summary", p, must=("d.csv", "binary"))


def test_csv_renamed_parquet(tmp_path):
    p = write(tmp_path, "d.parquet", "time,event\n1,1\n")
    run_err("summary", p, must=("d.parquet", "not a Parquet"))


def test_csv_renamed_xlsx_and_sas(tmp_path):
    for name, what in [("d.xlsx", "Excel"), ("d.xpt", "SAS transport"),
                       ("d.sas7bdat", "SAS (sas7bdat)")]:
        p = write(tmp_path, name, "time,event\n1,1\n")
        run_err("summary", p, must=(name, what))


def test_corrupt_gzip(tmp_path):
    p = tmp_path / "d.csv.gz"
    p.write_bytes(gzip.compress(b"time,event\n1,1\n")[:-12])
    run_err("summary", p, must=("d.csv.gz",))


def test_truncated_parquet(tmp_path):
    import pandas as pd

    p = tmp_path / "d.parquet"
    pd.DataFrame({"time": [1.0, 2.0], "event": [1, 0]}).to_parquet(p)
    p.write_bytes(p.read_bytes()[:40])
    run_err("summary", p, must=("d.parquet",))


def test_param_needs_paramcd(tmp_path):
    run_err("summary", LUNG, "--param", "OS", must=("PARAMCD", "available columns"))


def test_param_code_not_found_lists_codes(adam):
    run_err("summary", adam, "--param", "EFS", must=("PARAMCD", "EFS", "OS, PFS"))


def test_several_params_without_param(adam):
    run_err("summary", adam, must=("PARAMCD", "--param", "OS, PFS"))


def test_row_numbers_count_source_rows_after_param_filter(adam):
    # PFS rows are data rows 2, 4, 6 of the file; the negative AVAL is on row 4
    run_err("summary", adam, "--param", "PFS", must=("'AVAL'", "row 4", "negative"))


def test_unknown_option_values():
    run_err("summary", LUNG, "--conf-type", "foo", must=("--conf-type", "foo"))
    run_err("summary", LUNG, "--time-unit", "fortnights", must=("fortnights",))
    run_err("summary", LUNG, "--output-unit", "eons", must=("eons",))
    run_err("summary", LUNG, "--format", "xml", must=("--format",))
    run_err("summary", LUNG, "--conf-level", "1.5", must=("--conf-level", "1.5"))
    run_err("summary", LUNG, "--tau", "-1", must=("tau",))
    run_err("summary", LUNG, "--times", "1,abc", must=("abc",))
    run_err("summary", LUNG, "--times", "-5", must=("--times", "-5"))


def test_output_unit_needs_time_unit():
    run_err("summary", LUNG, "--output-unit", "months", must=("--time-unit",))


def test_event_and_cnsr_together():
    run_err("summary", LUNG, "--event", "status", "--cnsr", "status",
            must=("--event", "--cnsr"))


def test_fit_missing_covariate_column():
    run_err("fit", LUNG, "--dist", "weibull", "--covariates", "age,bmi",
            must=("'bmi'", "not found", "available columns"))


def test_example_unknown_name_lists_names():
    run_err("example", "nope", must=("nope", "lung", "myeloma", "cartitude1-pfs-approx"))


def test_options_that_would_be_ignored_are_refused(tmp_path):
    # --horizon only sets the extrapolation with --lifetable; landmark options need --landmarks
    run_err("fit", LUNG, "--horizon", "3000", must=("--horizon", "--lifetable"))
    run_err("fit", LUNG, "--cure", "mixture", "--horizon", "3000", must=("--horizon",))
    run_err("fit", LUNG, "--cure", "mixture", "--bootstrap", "parametric",
            must=("--bootstrap", "--ci bootstrap"))
    run_err("plot", "fit", LUNG, "--age", "60", "-o", tmp_path / "f.png",
            must=("--age", "--sex", "--year"))
    run_err("plot", "fit", LUNG, "--age", "60", "--sex", "male", "--year", "2000",
            "-o", tmp_path / "f.png", must=("--time-unit",))
    curve = write(tmp_path, "c.csv", "time,survival\n0,1\n5,0.8\n10,0.6\n")
    run_err("reconstruct", "--curve", curve, "--n", "50", "--accrual", "12",
            "-o", tmp_path / "ipd.csv", must=("--accrual", "--landmarks"))


def test_seed_with_delta_intervals_is_accepted_with_a_note():
    import subprocess

    r = subprocess.run(["remission", "fit", str(LUNG), "--seed", "3", "--format", "json"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "note: --seed has no effect with --ci delta" in r.stderr
    assert '"dist": "weibull"' in r.stdout
    r = subprocess.run(["remission", "fit", str(LUNG), "--reps", "50"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "note: --reps has no effect with --ci delta" in r.stderr
