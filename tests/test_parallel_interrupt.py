"""Ctrl-C during a local Dask run prints one line (issue 13: 70 lines of worker tracebacks).

The terminal sends SIGINT to the whole process group, workers included: they are started with
SIGINT ignored (parallel.sigint_ignored), so only the parent reacts, and their log lines about a
closing scheduler are silenced."""
import os
import signal
import subprocess
import sys

SCRIPT = """
import sys, time
from remission import parallel

def slow(chunk):
    print("running", flush=True)
    time.sleep(120)
    return [0] * chunk.size

try:
    parallel.map_chunks(slow, 2, seed=1, chunk_size=1, scheduler="local", n_workers=2,
                        progress=False)
except KeyboardInterrupt:
    print("error: interrupted", file=sys.stderr)
    sys.exit(130)
"""


def test_ctrl_c_on_a_local_dask_cluster_is_one_line():
    p = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert p.stdout.readline().strip() == "running"  # a worker is busy
        os.killpg(p.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        _, err = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
    assert p.returncode == 130, err
    assert [ln for ln in err.splitlines() if ln.strip()] == ["error: interrupted"], err
