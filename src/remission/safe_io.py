"""Safe outputs (SPEC.md, "Outputs are safe"): every file remission writes goes through here.

* :func:`check_outputs` runs BEFORE any work: an output path that is one of the inputs, or
  another output of the same run, is refused (compared as resolved real paths, and with
  :func:`os.path.samefile` where both exist, so symlinks and hard links are caught); the
  output's folder must exist and be writable, and the output must not be a directory.
* :func:`atomic_path` / :func:`write_text` / :func:`write_bytes` / :func:`write_many` write to
  a temporary file in the target folder and rename it into place (:func:`os.replace`) only when
  complete.  On any failure, Ctrl-C included, the temporary file is removed and the previous
  file (or none) is left as it was: never a partial file.  A symbolic link is followed: its
  target is replaced and the link kept.

Errors are :class:`OutputError` (a :class:`~remission.errors.RemissionError`: one ``error:``
line, exit 2) naming the option and the real path.

>>> import os, tempfile
>>> d = tempfile.mkdtemp()
>>> p = os.path.join(d, "out.txt")
>>> write_text(p, "hello")
>>> open(p).read(), sorted(os.listdir(d))
('hello', ['out.txt'])
>>> try:
...     check_outputs({"-o": p}, {"DATA": p})
... except OutputError as e:
...     print(str(e).endswith("out.txt: this is the input file (DATA); choose another output name"))
True
"""
from __future__ import annotations

import contextlib
import os
import tempfile

from .errors import RemissionError


class OutputError(RemissionError, ValueError):
    """An output that cannot (or must not) be written; names the option and the real path."""


def real(path) -> str:
    """The resolved absolute path (symbolic links followed) that errors name."""
    return os.path.realpath(os.path.abspath(os.fspath(path)))


def _same(a: str, b: str) -> bool:
    if real(a) == real(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): different files
        return False


def check_outputs(outputs: dict, inputs: dict | None = None) -> None:
    """Refuse unsafe outputs before any work.

    ``outputs`` and ``inputs`` map an option name (``"-o"``, ``"--json"``, ``"DATA"``) to a
    path or None (not given).  Inputs that are not existing files (e.g. the name of a bundled
    example) are not compared.  ``"-"`` (standard output) is never a file.
    """
    outs = [(opt, os.fspath(p)) for opt, p in outputs.items() if p is not None and p != "-"]
    ins = [(opt, os.fspath(p)) for opt, p in (inputs or {}).items()
           if p is not None and p != "-" and os.path.isfile(os.fspath(p))]
    for i, (opt, p) in enumerate(outs):
        if not p.strip():
            raise OutputError(f"{opt} {p!r}: give a file name")
        rp = real(p)
        for iopt, ip in ins:
            if _same(p, ip):
                raise OutputError(f"{opt} {rp}: this is the input file ({iopt}); choose "
                                  "another output name")
        for oopt, op in outs[:i]:
            if _same(p, op):
                raise OutputError(f"{opt} {rp}: the same file as {oopt}; give each output "
                                  "its own name")
        if os.path.isdir(rp):
            raise OutputError(f"{opt} {rp}: is a directory; give a file name")
        folder = os.path.dirname(rp)
        if not os.path.isdir(folder):
            raise OutputError(f"{opt} {rp}: the folder {folder} does not exist")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"{opt} {rp}: the folder {folder} is not writable")
        if os.path.exists(rp) and not os.access(rp, os.W_OK):
            raise OutputError(f"{opt} {rp}: the file is not writable")


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _stage(path) -> tuple[str, str]:
    """(target real path, temporary path) with the temporary file created empty beside it.

    The temporary name ends with the target's own name, so that writers which infer the
    format from the extension (matplotlib, pandas' compression) see the same extension.
    """
    target = real(path)
    folder, name = os.path.split(target)
    # the name's end keeps its extension; 100 characters keep a long name under NAME_MAX
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=f".part-{name[-100:]}", dir=folder)
    os.close(fd)
    try:  # mkstemp makes 0600: give the file the mode a plain open() would (or the old one's)
        mode = os.stat(target).st_mode & 0o7777 if os.path.exists(target) else _umask_mode()
        os.chmod(tmp, mode)
    except OSError:
        pass
    return target, tmp


def _discard(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(tmp)


def _error(path, e: OSError, option: str | None) -> OutputError:
    what = f"{option} " if option else ""
    return OutputError(f"{what}cannot write {real(path)}: {e.strerror or e}")


@contextlib.contextmanager
def atomic_path(path, option: str | None = None):
    """Yield a temporary path beside ``path``; when the block completes, rename it to
    ``path``.  On any exception the temporary file is removed and ``path`` is untouched."""
    try:
        target, tmp = _stage(path)
    except OSError as e:
        raise _error(path, e, option) from None
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as e:
        _discard(tmp)
        raise _error(path, e, option) from None
    except BaseException:
        _discard(tmp)
        raise


def write_many(files: list, option_names: list | None = None) -> None:
    """Write several files all-or-nothing as far as the file system allows: ``files`` is a
    list of ``(path, str | bytes)``; every temporary file is written completely before the
    first is renamed into place."""
    names = option_names or [None] * len(files)
    staged: list[tuple[str, str, str | None]] = []
    try:
        for (path, content), opt in zip(files, names):
            try:
                target, tmp = _stage(path)
            except OSError as e:
                raise _error(path, e, opt) from None
            staged.append((target, tmp, opt))
            data = content.encode("utf-8") if isinstance(content, str) else content
            try:
                with open(tmp, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
            except OSError as e:
                raise _error(path, e, opt) from None
        for target, tmp, opt in staged:
            try:
                os.replace(tmp, target)
            except OSError as e:
                raise _error(target, e, opt) from None
    except BaseException:
        for _, tmp, _ in staged:
            _discard(tmp)
        raise


def write_text(path, text: str, option: str | None = None) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    write_many([(path, text)], [option])


def write_bytes(path, data: bytes, option: str | None = None) -> None:
    """Write ``data`` to ``path`` atomically."""
    write_many([(path, data)], [option])
