"""Timing of ``plan_followup``: the search of the needed extra follow-up (1,000 trials).

Run: python benchmarks/bench_plan.py [sims]
On the bundled CARTITUDE-1 reconstruction (97 patients, months): the grid rows (M = 6, 12, 24,
36) plus the search up to the 20-year cap under every cure model within 2 AIC of the best and
no cure, 1,000 trials (default) and 1,000 calibration replicates per M.  Compares the
in-process scheduler with a local Dask cluster (one worker per core, started once for all
passes) and checks that both give identical numbers.  Results: benchmarks/README.md.
"""
from __future__ import annotations

import sys
import time

import numpy as np


def main():
    import remission as rm
    from remission.evidence import cure_test, plan_followup
    from remission.evidence.plan_scenarios import fit_comparison

    sims = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    data = rm.load_example("cartitude1-pfs-approx")
    t0 = time.perf_counter()
    ev = cure_test(data, reps=1000, seed=7)
    models = fit_comparison(data)
    print(f"cure-test + model comparison (once): {time.perf_counter() - t0:6.1f} s", flush=True)
    out = {}
    for sched in ("sync", "local"):
        t0 = time.perf_counter()
        out[sched] = plan_followup(data, sims=sims, seed=7, null_reps=1000, scheduler=sched,
                                   evidence=ev, models=models, progress=False)
        print(f"{sched:>6}: {time.perf_counter() - t0:6.1f} s for {sims} trials, "
              f"{out[sched].meta['passes']} passes", flush=True)
    a, b = out["sync"], out["local"]
    same = (all(np.array_equal(getattr(a, k), getattr(b, k), equal_nan=True) for k in
                ("p_sufficient_raw", "p_presence_raw", "ci_width"))
            and a.needed == b.needed)
    print("identical results:", same)
    print(b.to_text())


if __name__ == "__main__":
    main()
