"""``remission plot hazard|loglog`` (issue 15 item 3): writes the figure file in each format,
and refuses bad options with one ``error:`` line and exit 2 (never a traceback, never a
file)."""
import pytest

from remission.cli import main
from remission.datasets import read_example


@pytest.fixture(scope="module")
def csv(tmp_path_factory):
    p = tmp_path_factory.mktemp("diag") / "lung.csv"
    read_example("lung").to_csv(p, index=False)
    return str(p)


BASE = ["--time", "time", "--event", "status"]
CMDS = {"hazard": ["--dist", "weibull,lognormal", "--cure", "mixture"], "loglog": []}


@pytest.mark.parametrize("cmd", ["hazard", "loglog"])
@pytest.mark.parametrize("ext,magic", [("png", b"\x89PNG"), ("pdf", b"%PDF"),
                                       ("svg", b"<?xml")])
def test_writes_the_file(csv, tmp_path, capsys, cmd, ext, magic):
    out = tmp_path / f"{cmd}.{ext}"
    assert main(["plot", cmd, csv, *BASE, *CMDS[cmd], "--group", "sex", "--time-unit",
                 "days", "--dpi", "60", "--ticks", "30,365", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    assert out.read_bytes()[:len(magic)] == magic


@pytest.mark.parametrize("cmd,args,needle", [
    ("hazard", [], "--dist"),                                             # no --dist
    ("hazard", ["--dist", ""], "--dist"),
    ("hazard", ["--dist", "nope"], "nope"),
    ("hazard", ["--dist", "weibull", "--cure", "bogus"], "--cure"),
    ("hazard", ["--dist", "weibull", "--ticks", "nan"], "--ticks"),
    ("hazard", ["--dist", "weibull", "--ticks", "-1"], "--ticks"),
    ("hazard", ["--dist", "weibull", "--width", "1e9"], "--width"),
    ("hazard", ["--dist", "weibull", "--dpi", "1000000"], "--dpi"),
    ("loglog", ["--ticks", "nan"], "--ticks"),
    ("loglog", ["--ticks", "0,10"], "--ticks"),
    ("loglog", ["--ticks", "1e300"], "--ticks"),
    ("loglog", ["--width", "nan"], "--width"),
    ("loglog", ["--height", "-3"], "--height"),
    ("loglog", ["--group", "nocol"], "nocol"),
])
def test_refuses_bad_options_with_one_error_line(csv, tmp_path, capsys, cmd, args, needle):
    out = tmp_path / "x.png"
    assert main(["plot", cmd, csv, *BASE, *args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and needle in err, err
    assert not out.exists()


@pytest.mark.parametrize("cmd", ["hazard", "loglog"])
def test_refuses_a_bad_output_extension(csv, tmp_path, capsys, cmd):
    assert main(["plot", cmd, csv, *BASE, *CMDS[cmd], "-o", str(tmp_path / "x.txt")]) == 2
    assert capsys.readouterr().err.startswith("error: -o")
