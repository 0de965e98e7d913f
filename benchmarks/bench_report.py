"""Timing of ``remission analyze`` (the whole report) with its default settings.

Run: python benchmarks/bench_report.py
For the bundled CARTITUDE-1 reconstruction (97 patients) and alloauto (101 patients, two
groups analysed separately): the console command end to end (cold: Python start-up, imports,
analysis, HTML written), then ``remission.analyze`` in process (warm: imports done), wall and
CPU time, with the per-step breakdown the report records.  There is no peer that produces such
a report, so there is no ratio.  Results are recorded in benchmarks/README.md.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time


def main():
    import remission as rm

    out = tempfile.mkdtemp()
    rows = []
    for name in ("cartitude1-pfs-approx", "alloauto"):
        html = os.path.join(out, f"{name}.html")
        t0 = time.perf_counter()
        subprocess.run(["remission", "analyze", name, "-o", html, "--quiet"], check=True,
                       capture_output=True)
        cold = time.perf_counter() - t0
        data = rm.load_example(name)
        rm.analyze(data)  # warm-up: imports, caches
        best = None
        for _ in range(3):
            w0, c0 = time.perf_counter(), time.process_time()
            rep = rm.analyze(data)
            wall, cpu = time.perf_counter() - w0, time.process_time() - c0
            if best is None or wall < best[0]:
                best = (wall, cpu, rep.to_dict()["timings"])
        rows.append((name, data.n, cold, best[0], best[1], best[2],
                     os.path.getsize(html) / 1e6))
    print("| data | n | command, cold (s) | analyze, warm wall (s) | warm CPU (s) | steps (s) "
          "| HTML (MB) |")
    print("|---|---:|---:|---:|---:|---|---:|")
    for name, n, cold, wall, cpu, steps, mb in rows:
        st = ", ".join(f"{k} {v:.2f}" for k, v in steps.items())
        print(f"| {name} | {n} | {cold:.1f} | {wall:.2f} | {cpu:.2f} | {st} | {mb:.1f} |")
    print(f"python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
