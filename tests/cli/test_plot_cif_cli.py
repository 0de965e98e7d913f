"""``remission plot cif``: writes the figure file, and refuses bad options with one
``error:`` line and exit 2 (never a traceback, never a file)."""
import numpy as np
import pytest

from remission.cli import main
from remission.datasets import read_example


@pytest.fixture(scope="module")
def csv(tmp_path_factory):
    df = read_example("bmt")
    df["etype"] = np.where(df.d3 == 0, "0", np.where(df.d2 == 1, "relapse", "nrm"))
    p = tmp_path_factory.mktemp("cif") / "bmt.csv"
    df.to_csv(p, index=False)
    return str(p)


BASE = ["--time", "t2", "--event-type", "etype"]


@pytest.mark.parametrize("ext,magic", [("png", b"\x89PNG"), ("pdf", b"%PDF"),
                                       ("svg", b"<?xml")])
def test_writes_the_file(csv, tmp_path, capsys, ext, magic):
    out = tmp_path / f"cif.{ext}"
    assert main(["plot", "cif", csv, *BASE, "--cause", "relapse", "--group", "group",
                 "--time-unit", "days", "--dpi", "60", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    assert out.read_bytes()[:len(magic)] == magic


@pytest.mark.parametrize("args,needle", [
    (["--time", "t2"], "--event-type"),                                   # no causes
    ([*BASE, "--cause", "nope"], "--cause nope"),
    ([*BASE, "--event", "d3"], "--event"),
    ([*BASE, "--ticks", "-1"], "--ticks"),
    ([*BASE, "--ticks", "nan"], "--ticks"),
    ([*BASE, "--ticks", "1e300"], "--ticks"),
    ([*BASE, "--width", "1e9"], "--width"),
    ([*BASE, "--causes", "relapse=relapse"], "nrm"),
    (["--time", "t2", "--event", "d3", "--cause", "relapse"], "--event-type"),
])
def test_refuses_bad_options_with_one_error_line(csv, tmp_path, capsys, args, needle):
    out = tmp_path / "x.png"
    assert main(["plot", "cif", csv, *args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and needle in err, err
    assert not out.exists()


def test_refuses_a_bad_output_extension(csv, tmp_path, capsys):
    assert main(["plot", "cif", csv, *BASE, "-o", str(tmp_path / "x.txt")]) == 2
    assert capsys.readouterr().err.startswith("error: -o")
