"""Type-I error and power of the cure tests by simulation with known truth (n = 100).

Run: python benchmarks/operating_characteristics.py [R]   (R simulated datasets per scenario)
Writes a Markdown table to stdout; results are recorded in benchmarks/README.md.
"""
from __future__ import annotations

import sys
import time

import numpy as np

SCENARIOS = {
    # name: (cure, latency shape, latency scale, censoring lo, hi, latency kind)
    "no cure, Weibull(1.2, 10), C~U(20,50)": (0.0, 1.2, 10.0, 20, 50, "weibull"),
    "cure 0.3, Weibull(1.2, 10), C~U(20,50)": (0.3, 1.2, 10.0, 20, 50, "weibull"),
    "cure 0.3, Exp(mean 30), C~U(10,30) [insufficient]": (0.3, 1.0, 30.0, 10, 30, "weibull"),
    "cure 0.3, U(0,50) latency, C~U(20,40) [insufficient]": (0.3, None, 50.0, 20, 40, "uniform"),
    "cure 0.3, Weibull(2, 8), C~U(25,50) [sufficient]": (0.3, 2.0, 8.0, 25, 50, "weibull"),
    "cure 0.3, Weibull(1.5, 18), C~U(30,50) [boundary: F_u(50) = 0.99]": (0.3, 1.5, 18.0, 30, 50,
                                                                         "weibull"),
}


def simulate(rng, n, cure, shape, scale, lo, hi, kind):
    if kind == "uniform":
        lat = rng.uniform(0, scale, n)
    else:
        lat = scale * rng.weibull(shape, n)
    t = np.where(rng.random(n) < cure, np.inf, lat)
    c = rng.uniform(lo, hi, n)
    return np.minimum(t, c), t <= c


def rates(spec, r_sets, reps, n=100, seed=0, alpha=0.05):
    from remission.evidence.followup_tests import yuen_musta_test
    from remission.evidence.lrt import model_evidence
    from remission.evidence.maller_zhou import sufficient_followup_mz, sufficient_followup_test
    from remission.evidence.presence import presence_test
    from remission.errors import ConvergenceError

    rng = np.random.default_rng(seed)
    out = {"presence": [], "lrt": [], "mz_sufficient": [], "mz_alpha_n": [], "yuen_musta": []}
    for i in range(r_sets):
        t, e = simulate(rng, n, *spec)
        out["mz_alpha_n"].append(sufficient_followup_mz(t, e).alpha_n <= alpha)
        out["mz_sufficient"].append(sufficient_followup_test(t, e, reps=reps, seed=i,
                                                             scheduler="sync").p_value <= alpha)
        out["yuen_musta"].append(yuen_musta_test(t, e).p_value <= alpha)
        out["presence"].append(presence_test(t, e, reps=reps, seed=i, scheduler="sync")
                               .p_value <= alpha)
        try:
            out["lrt"].append(model_evidence(t, e).p_value <= alpha)
        except ConvergenceError:
            out["lrt"].append(False)
    return {k: float(np.mean(v)) for k, v in out.items()}


if __name__ == "__main__":
    r_sets = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    print(f"| scenario (n = 100, {r_sets} data sets, presence B = 199) | presence MZ | LRT | "
          "sufficient MZ q_n (bootstrap) | MZ alpha_n <= 0.05 | sufficient Yuen-Musta | s |")
    print("|---|---|---|---|---|---|---|")
    for name, spec in SCENARIOS.items():
        t0 = time.time()
        r = rates(spec, r_sets, 199)
        print(f"| {name} | {r['presence']:.3f} | {r['lrt']:.3f} | {r['mz_sufficient']:.3f} | "
              f"{r['mz_alpha_n']:.3f} | {r['yuen_musta']:.3f} | {time.time() - t0:.0f} |",
              flush=True)
