"""remission.safe_io: outputs never overwrite an input, never appear half-written, and a
failure (disk full, Ctrl-C) keeps the previous file and leaves no temporary file."""
import doctest
import errno
import os
from unittest import mock

import pytest

import remission.safe_io as safe_io
from remission.errors import RemissionError
from remission.safe_io import (OutputError, atomic_path, check_outputs, write_bytes,
                               write_many, write_text)


def test_docstring_examples():
    res = doctest.testmod(safe_io, optionflags=doctest.ELLIPSIS)
    assert res.attempted > 0 and res.failed == 0


def test_output_equal_to_an_input_is_refused_by_real_path(tmp_path):
    data = tmp_path / "x.csv"
    data.write_text("time,event\n1,1\n")
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.csv"
    link.symlink_to(data)
    hard = tmp_path / "hard.csv"
    os.link(data, hard)
    for out in (data, tmp_path / "sub" / ".." / "x.csv", link, hard):
        with pytest.raises(OutputError, match="this is the input file") as e:
            check_outputs({"-o": out}, {"DATA": str(data)})
        assert str(e.value).startswith("-o ")
    with pytest.raises(OutputError, match=f"-o {data}"):  # the link's target is named
        check_outputs({"-o": link}, {"DATA": str(data)})


def test_two_outputs_of_one_run_must_differ(tmp_path):
    with pytest.raises(OutputError, match="--json .*the same file as -o"):
        check_outputs({"-o": tmp_path / "r.html", "--json": tmp_path / "r.html"})
    check_outputs({"-o": tmp_path / "r.html", "--json": tmp_path / "r.json"})


def test_missing_folder_and_directory_outputs_are_refused(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        check_outputs({"--json": tmp_path / "no" / "r.json"})
    with pytest.raises(OutputError, match="is a directory"):
        check_outputs({"-o": tmp_path})
    with pytest.raises(OutputError, match="-o '': give a file name"):
        check_outputs({"-o": ""})


def test_inputs_that_are_not_files_and_stdout_are_not_compared(tmp_path):
    check_outputs({"-o": "-"}, {"DATA": "-"})
    check_outputs({"-o": tmp_path / "lung"}, {"DATA": "lung"})  # a bundled example's name
    assert issubclass(OutputError, RemissionError)  # the CLI's one error line, exit 2


def test_write_replaces_and_keeps_the_file_mode(tmp_path):
    p = tmp_path / "out.txt"
    p.write_text("old")
    os.chmod(p, 0o640)
    write_text(p, "new")
    assert p.read_text() == "new" and (os.stat(p).st_mode & 0o777) == 0o640
    q = tmp_path / "fresh.bin"
    write_bytes(q, b"\x00\x01")
    mask = os.umask(0)
    os.umask(mask)
    assert q.read_bytes() == b"\x00\x01" and (os.stat(q).st_mode & 0o777) == 0o666 & ~mask
    assert sorted(os.listdir(tmp_path)) == ["fresh.bin", "out.txt"]


def test_a_symlinked_output_keeps_the_link_and_replaces_its_target(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_text(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_disk_full_keeps_the_old_file_and_names_the_real_path(tmp_path):
    p = tmp_path / "r.html"
    p.write_text("OLD")
    full = OSError(errno.ENOSPC, "No space left on device")
    with mock.patch.object(safe_io.os, "fsync", side_effect=full):
        with pytest.raises(OutputError) as e:
            write_text(p, "x" * 100_000, "-o")
    assert str(e.value) == f"-o cannot write {p}: No space left on device"
    assert p.read_text() == "OLD" and os.listdir(tmp_path) == ["r.html"]


def test_ctrl_c_keeps_the_old_files_and_removes_every_temporary_one(tmp_path):
    a, b = tmp_path / "r.html", tmp_path / "r.json"
    a.write_text("OLD HTML")
    calls = []

    def interrupt_second(fd):  # the second file's write is interrupted
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with mock.patch.object(safe_io.os, "fsync", side_effect=interrupt_second):
        with pytest.raises(KeyboardInterrupt):
            write_many([(a, "NEW HTML"), (b, "{}")], ["-o", "--json"])
    assert a.read_text() == "OLD HTML" and sorted(os.listdir(tmp_path)) == ["r.html"]


def test_atomic_path_renames_only_a_complete_file(tmp_path):
    p = tmp_path / "fig.png"
    with atomic_path(p) as tmp:
        assert tmp.endswith(".part-fig.png") and os.path.dirname(tmp) == str(tmp_path)
        with open(tmp, "w") as f:
            f.write("complete")
    assert p.read_text() == "complete"
    with pytest.raises(RuntimeError):
        with atomic_path(p) as tmp:
            with open(tmp, "w") as f:
                f.write("partial")
            raise RuntimeError("the figure failed half way")
    assert p.read_text() == "complete" and os.listdir(tmp_path) == ["fig.png"]


def test_a_name_near_the_file_system_limit_can_be_written(tmp_path):
    p = tmp_path / ("r" * 240 + ".html")  # 245 characters: the temporary name must still fit
    write_text(p, "ok")
    assert p.read_text() == "ok" and os.listdir(tmp_path) == [p.name]
