"""Seeded, chunked execution of many independent replicates, in process or on Dask.

Bootstrap refits and simulated trials are the real workload of cure analysis.  They are run
as *tasks* numbered ``0 .. n_tasks - 1``; task ``i`` draws its random numbers from its own
:class:`numpy.random.SeedSequence`, the ``i``-th child of ``SeedSequence(seed)``.  Tasks are
grouped into contiguous *chunks* whose boundaries depend only on ``n_tasks`` and
``chunk_size``, never on the number of workers, and a chunk is computed by one call of a
user function (which may vectorise over its tasks).  So the same seed gives the same numbers
whether the chunks run in this process, on a local Dask cluster or on a remote one.

Schedulers
----------
``None`` or ``"sync"``
    run the chunks one after the other in this process (no Dask import);
``"auto"`` (default)
    in process when there is a single chunk, else a local Dask cluster;
``"local"``
    a :class:`dask.distributed.LocalCluster` with one single-threaded worker process per core;
``"threads"``
    Dask's threaded scheduler in this process;
any other string
    the address of an existing Dask scheduler, e.g. ``"tcp://10.0.0.5:8786"``.

>>> import numpy as np
>>> def draw(chunk):
...     return [np.random.default_rng(s).normal() for s in chunk.seeds]
>>> a = map_chunks(draw, 10, seed=1, chunk_size=3, scheduler="sync", progress=False)
>>> b = map_chunks(draw, 10, seed=1, chunk_size=7, scheduler="sync", progress=False)
>>> bool(np.allclose(a, b)) and len(a) == 10
True
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from .errors import OptionError

#: how long to wait for an existing Dask scheduler before giving up
CONNECT_TIMEOUT = "10s"


@dataclass(frozen=True)
class Chunk:
    """A contiguous block of tasks ``start .. stop - 1`` and one seed per task."""

    start: int
    stop: int
    seeds: tuple  # of numpy.random.SeedSequence, one per task

    @property
    def size(self) -> int:
        return self.stop - self.start

    def rngs(self) -> list[np.random.Generator]:
        """One independent generator per task."""
        return [np.random.default_rng(s) for s in self.seeds]


def task_seeds(seed, n_tasks: int) -> list[np.random.SeedSequence]:
    """The per-task seed sequences: child ``i`` of ``SeedSequence(seed)``."""
    if seed is None:
        raise OptionError("a seed is required for reproducible replicates")
    if isinstance(seed, np.random.SeedSequence):
        root = seed
    else:
        try:
            root = np.random.SeedSequence(int(seed))
        except (TypeError, ValueError):  # numpy refuses negative seeds
            raise OptionError(f"seed {seed!r}: give a whole number >= 0") from None
    return root.spawn(int(n_tasks))


def make_chunks(n_tasks: int, seed, chunk_size: int | None = None) -> list[Chunk]:
    from .limits import MAX_REPLICATES, MAX_SIMULATIONS, check_count

    # a backstop for Python callers (the CLI names the option): checked before the seeds of
    # every task are allocated
    n_tasks = check_count(n_tasks, "replicates", max(MAX_REPLICATES, MAX_SIMULATIONS))
    size = int(chunk_size or max(1, min(n_tasks, 250)))
    seeds = task_seeds(seed, n_tasks)
    return [Chunk(a, min(a + size, n_tasks), tuple(seeds[a:min(a + size, n_tasks)]))
            for a in range(0, n_tasks, size)]


def map_chunks(func: Callable[[Chunk], Sequence[Any]], n_tasks: int, *, seed,
               chunk_size: int | None = None, scheduler: str | None = "auto",
               n_workers: int | None = None, progress: bool = True,
               description: str = "replicates") -> list:
    """Run ``func`` on every chunk and return the per-task results in task order.

    ``func(chunk)`` must return a sequence of ``chunk.size`` results (task order) and must be
    picklable (a module-level function or a :func:`functools.partial` of one) for the
    process-based schedulers.
    """
    chunks = make_chunks(n_tasks, seed, chunk_size)
    if not chunks:
        return []
    mode = scheduler or "sync"
    if mode == "auto":
        mode = "sync" if len(chunks) == 1 else "local"
    if mode == "sync":
        return _run_sync(func, chunks, progress, description)
    return _run_dask(func, chunks, mode, n_workers, progress, description)


def _check(out, chunk):
    out = list(out)
    if len(out) != chunk.size:
        raise RuntimeError(f"chunk function returned {len(out)} results for {chunk.size} tasks")
    return out


def _progress(progress, description, total):
    # a bar only for a person watching a terminal: rich's (transient) bar still writes blank
    # lines when stderr is a file or a pipe, which would litter logs and captured output
    if not progress or not _stderr_is_terminal():
        return None
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeRemainingColumn)

    from rich.console import Console

    # on stderr, so that a progress bar never mixes with a JSON document on stdout
    p = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                 TimeRemainingColumn(), transient=True, console=Console(stderr=True))
    return p, p.add_task(description, total=total)


def _stderr_is_terminal() -> bool:
    import sys

    try:
        return bool(sys.stderr is not None and sys.stderr.isatty())
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False


def _run_sync(func, chunks, progress, description):
    results: list = []
    bar = _progress(progress, description, sum(c.size for c in chunks))
    if bar is None:
        for c in chunks:
            results.extend(_check(func(c), c))
        return results
    p, tid = bar
    with p:
        for c in chunks:
            results.extend(_check(func(c), c))
            p.advance(tid, c.size)
    return results


def _client(mode, n_workers):
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as e:  # pragma: no cover - dask is a core dependency
        raise OptionError("the Dask scheduler needs dask[distributed] installed") from e
    if mode == "local":
        workers = int(n_workers or os.cpu_count() or 1)
        # the worker processes inherit an ignored SIGINT, so a Ctrl-C in the terminal stops
        # this process only (one line), not every worker with its own traceback; a Ctrl-C
        # while they start takes effect once they are up
        with sigint_ignored():
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0")
            client = Client(cluster)
            client.wait_for_workers(workers)
        return client, cluster
    if mode == "threads":
        cluster = LocalCluster(n_workers=1, threads_per_worker=int(n_workers or os.cpu_count() or 1),
                               processes=False, dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(mode, timeout=CONNECT_TIMEOUT), None
    except Exception as e:  # noqa: BLE001 - any connection failure is a user error
        raise OptionError(f"--scheduler: cannot connect to the Dask scheduler at {mode!r} ({e})") from None


@contextlib.contextmanager
def sigint_ignored():
    """Start Dask worker processes inside this: SIGINT is ignored meanwhile and they inherit
    that, so a Ctrl-C in the terminal interrupts only this process, which prints one line and
    stops them (rather than every worker printing its own traceback)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    # the workers' own log lines (heartbeats to a scheduler that is closing) are noise too:
    # task errors reach this process through the futures
    env = os.environ.get("DASK_LOGGING__DISTRIBUTED")
    os.environ["DASK_LOGGING__DISTRIBUTED"] = "critical"
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
        if env is None:
            os.environ.pop("DASK_LOGGING__DISTRIBUTED", None)
        else:
            os.environ["DASK_LOGGING__DISTRIBUTED"] = env


def _quiet_dask_logs() -> None:
    """After a Ctrl-C, the scheduler's complaints about cancelled tasks are noise."""
    import logging

    for name in ("distributed", "tornado", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _run_dask(func, chunks, mode, n_workers, progress, description):
    from dask.distributed import as_completed

    client, cluster = _client(mode, n_workers)
    try:
        futures = client.map(lambda c, f=func: _check(f(c), c), chunks, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        out: list = [None] * len(chunks)
        bar = _progress(progress, description, sum(c.size for c in chunks))
        if bar is None:
            for f in as_completed(futures):
                out[index[f.key]] = f.result()
        else:
            p, tid = bar
            with p:
                for f in as_completed(futures):
                    i = index[f.key]
                    out[i] = f.result()
                    p.advance(tid, chunks[i].size)
        return [r for block in out for r in block]
    except KeyboardInterrupt:
        _quiet_dask_logs()
        raise
    finally:
        with sigint_ignored():  # a second Ctrl-C must not leave the workers running
            client.close()
            if cluster is not None:
                cluster.close()
