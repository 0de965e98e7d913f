"""Timing of ``plan_followup``: 10,000 simulated 100-patient trials, 4 extra follow-ups.

Run: python benchmarks/bench_plan.py [sims]
Compares the in-process scheduler with a local Dask cluster (one worker per core) and checks
that both give identical numbers.  Results are recorded in benchmarks/README.md.
"""
from __future__ import annotations

import sys
import time

import numpy as np


def trial(n=100, seed=3):
    from remission.data.survival_data import SurvivalData

    rng = np.random.default_rng(seed)
    t = np.where(rng.random(n) < 0.3, np.inf, 15 * rng.weibull(1.2, n))
    c = rng.uniform(24, 60, n)  # staggered entry: 24-60 months of potential follow-up
    return SurvivalData.from_arrays(np.minimum(t, c), t <= c, time_unit="months")


def main():
    from remission.evidence import plan_followup

    sims = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    data = trial()
    out = {}
    for sched in ("sync", "local"):
        t0 = time.perf_counter()
        out[sched] = plan_followup(data, extra_followup=(6, 12, 24, 36), sims=sims, seed=7,
                                   scheduler=sched, progress=False)
        print(f"{sched:>6}: {time.perf_counter() - t0:6.1f} s for {sims} trials", flush=True)
    a, b = out["sync"], out["local"]
    same = all(np.array_equal(getattr(a, k), getattr(b, k)) for k in
               ("p_sufficient_raw", "p_presence_raw", "p_sufficient_ym_raw", "ci_width"))
    print("identical results:", same)
    print(b.to_text())


if __name__ == "__main__":
    main()
