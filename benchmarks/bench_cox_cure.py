"""Cox-latency mixture cure (the smcure model): the batched bootstrap vs one-at-a-time refits.

    python benchmarks/bench_cox_cure.py [--reps 200] [--loop-reps 50] [--seed 1]

On ``tests/fixtures/cox_cure/e1684_like.csv`` (284 patients simulated from a known model shaped
like ECOG e1684; see its generator), ``--covariates TRT --cure-covariates TRT``:

1. the whole CLI process, ``remission fit ... --dist cox --cure mixture`` with ``--reps``
   bootstrap replicates (wall and CPU time of the child process);
2. in process: the batched bootstrap (``fit_cox_cure``, one chunk, this core) vs one-at-a-time
   refits by the single-fit EM (one ``em_batch`` call per replicate, M-steps solved to
   convergence; the pre-issue-16 per-replicate algorithm), the latter timed on ``--loop-reps``
   replicates and extrapolated linearly (said so), with the largest difference of the
   replicates' estimates.

lifelines has no Cox-latency cure model (only the parametric MixtureCureFitter).  R's smcure
(archived on CRAN) is compared, and timed once, on the real e1684 in
``tests/fixtures/cox_cure/smcure_e1684.R`` (numbers in benchmarks/README.md).
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "fixtures" / "cox_cure" / "e1684_like.csv"
ARGS = ["--time", "FAILTIME", "--event", "FAILCENS", "--dist", "cox", "--cure", "mixture",
        "--covariates", "TRT", "--cure-covariates", "TRT"]


def cli(reps, seed):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("remission")), "fit", str(DATA), *ARGS, "--reps",
                    str(reps), "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--loop-reps", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    from remission.data import SurvivalData
    from remission.models.cure.cox_em import _prepare, em_batch
    from remission.models.cure.cox_fit import fit_cox_cure, resample_counts
    from remission.parallel import make_chunks

    df = pd.read_csv(DATA)
    d = SurvivalData.from_arrays(df.FAILTIME.to_numpy(), df.FAILCENS.to_numpy(),
                                 covariates=df[["TRT"]])
    print(f"data: {DATA.relative_to(ROOT)} (n = {d.n}, events = {int(d.event.sum())}); "
          f"cores: {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")
    wall, cpu = cli(a.reps, a.seed)
    print(f"remission fit (whole process, {a.reps} replicates): {wall:.2f} s wall, "
          f"{cpu:.2f} s CPU")
    t0 = time.perf_counter()
    fit = fit_cox_cure(d, covariates=["TRT"], cure_covariates=["TRT"], reps=a.reps,
                       seed=a.seed, scheduler="sync")
    batched = time.perf_counter() - t0
    trt = df.TRT.to_numpy(float)
    s = _prepare(d.time, d.event, np.column_stack([np.ones(trt.size), trt]), trt[:, None])
    C = resample_counts(s, np.ones(trt.size), False, make_chunks(a.reps, a.seed)[0])
    m = min(a.loop_reps, a.reps)
    t0 = time.perf_counter()
    one = [em_batch(s, C[r:r + 1], fit.b[None], fit.beta[None]) for r in range(m)]
    loop = (time.perf_counter() - t0) * a.reps / m
    diff = max(np.max(np.abs(np.array([o["b"][0] for o in one]) - fit.boot_b[:m])),
               np.max(np.abs(np.array([o["beta"][0] for o in one]) - fit.boot_beta[:m])))
    print(f"fit + bootstrap in process: batched {batched:.2f} s; one-at-a-time refits "
          f"{loop:.2f} s (timed on {m}, extrapolated to {a.reps}); ratio "
          f"{batched / loop:.3f}")
    print(f"largest difference of replicate estimates (first {m}): {diff:.1e}; "
          f"failed to converge: {fit.n_failed}")
    print("estimates: " + ", ".join(f"{r['name']} {r['estimate']:.4f} (se {r['se']:.4f})"
                                    for r in fit.parameters()))


if __name__ == "__main__":
    main()
