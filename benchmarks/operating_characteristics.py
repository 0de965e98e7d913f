"""Type-I error and power of the cure tests and of the conclusion rule, by simulation with
known truth.

Run: python benchmarks/operating_characteristics.py [R] [B] [FILTER]
     (R simulated data sets per scenario for n <= 300, R/2 for larger n, default 200; B
     bootstrap/null replicates per test, default 99; FILTER: run only scenarios whose name
     contains one of its '|'-separated parts).  Writes a Markdown table to stdout; results are recorded in
     benchmarks/README.md ("Operating characteristics of the cure tests").

Columns: rejection rates at level 0.05 of the presence test (Maller-Zhou, governs), the
likelihood-ratio test (Weibull mixture cure vs Weibull), the Yuen-Musta smoothed-Grenander
bootstrap test (governs sufficient follow-up), the asymptotic Grenander version of Yuen-Musta
(the former implementation, for contrast), Maller-Zhou's q_n with its boundary bootstrap and
alpha_n = (1 - q_n)^n <= 0.05; then the conclusion rule (:mod:`remission.evidence.rule`):
P(supported) and P(not no-evidence).
"""
from __future__ import annotations

import sys
import time

import numpy as np

# name: (n values, generator kwargs, what the truth is)
SCENARIOS = {
    "no cure, Weibull(1.2, 10), C~U(20,50)":
        ((100, 300, 1000), dict(cure=0.0, shape=1.2, scale=10.0, lo=20, hi=50),
         "presence H0"),
    "(c) no cure, Exp(mean 20), C~U(0,30) [heavy censoring]":
        ((100, 300, 1000), dict(cure=0.0, shape=1.0, scale=20.0, lo=0, hi=30),
         "presence H0"),
    "cure 0.3, Exp(mean 30), C~U(10,30) [insufficient: F_u(30) = 0.63]":
        ((100, 300, 1000), dict(cure=0.3, shape=1.0, scale=30.0, lo=10, hi=30),
         "follow-up H0 (inside)"),
    "cure 0.3, U(0,50) latency, C~U(20,40) [insufficient]":
        ((100, 300, 1000), dict(cure=0.3, shape=None, scale=50.0, lo=20, hi=40,
                                kind="uniform"),
         "follow-up H0 (inside)"),
    "cure 0.3, Weibull(1.5, 18), C~U(30,50) [boundary: F_u(50) = 0.99]":
        ((100, 300, 1000), dict(cure=0.3, shape=1.5, scale=18.0, lo=30, hi=50),
         "follow-up H0 (boundary)"),
    "(a) cure 0.3, Weibull(1.5, 18), C~U(5,50) [boundary, sparse tail]":
        ((100,), dict(cure=0.3, shape=1.5, scale=18.0, lo=5, hi=50),
         "follow-up H0 (boundary)"),
    "(a) cure 0.3, Exp(mean 30), C~U(5,30) [insufficient, sparse tail]":
        ((100,), dict(cure=0.3, shape=1.0, scale=30.0, lo=5, hi=30),
         "follow-up H0 (inside)"),
    "cure 0.3, latency 0.99 U(0,50) + 0.01 U(50,100), C~U(30,50) [least favourable boundary]":
        ((100, 300, 1000), dict(cure=0.3, scale=50.0, lo=30, hi=50, kind="lfc"),
         "follow-up H0 (boundary)"),
    "cure 0.3, Weibull(2, 8), C~U(25,50) [sufficient]":
        ((100, 300, 1000), dict(cure=0.3, shape=2.0, scale=8.0, lo=25, hi=50),
         "alternative"),
    "(b) long plateau: 85% cured, relapses within ~3 y, one at 11 y, follow-up to 17 y":
        ((4000,), dict(kind="plateau"), "alternative"),
}


def simulate(rng, n, cure=0.3, shape=1.0, scale=10.0, lo=0.0, hi=1.0, kind="weibull"):
    """One data set (time, event)."""
    if kind == "plateau":
        return long_plateau(rng, n)
    if kind == "lfc":
        # the test's least favourable configuration: q_0.99 = scale exactly and the density
        # after it flat at 0.01 / scale up to tau = 2 scale, so f(tau_G) = eps (1 - p) /
        # (tau - tau_G) with tau_G ~ scale (censoring up to scale)
        lat = np.where(rng.random(n) < 0.99, rng.uniform(0, scale, n),
                       rng.uniform(scale, 2 * scale, n))
    elif kind == "uniform":
        lat = rng.uniform(0, scale, n)
    else:
        lat = scale * rng.weibull(shape, n)
    t = np.where(rng.random(n) < cure, np.inf, lat)
    c = rng.uniform(lo, hi, n)
    return np.minimum(t, c), t <= c


def long_plateau(rng, n=4000):
    """Scenario (b), in years: 85% cured; the uncured relapse with a Weibull(1.5, 1) latency
    (99.99% by 3 years); accrual over 15 years with 5%/year loss to follow-up, data cut at 17
    years (censoring min(U(2, 17), Exp(mean 20))); one cured patient followed beyond 11.5
    years relapses at 11 years.  About 700-800 patients remain followed after that relapse."""
    cured = rng.random(n) < 0.85
    t = np.where(cured, np.inf, rng.weibull(1.5, n))
    c = np.minimum(rng.uniform(2, 17, n), rng.exponential(20.0, n))
    late = np.flatnonzero(cured & (c > 11.5))
    t[late[0]] = 11.0
    return np.minimum(t, c), t <= c


def rates(n, spec, r_sets, reps, seed=0, alpha=0.05):
    from remission.errors import ConvergenceError
    from remission.evidence.followup_tests import yuen_musta_test as ym_asymptotic
    from remission.evidence.lrt import model_evidence
    from remission.evidence.maller_zhou import sufficient_followup_mz, sufficient_followup_test
    from remission.evidence.presence import presence_test
    from remission.evidence.rule import conclude
    from remission.evidence.tail import tail_facts
    from remission.evidence.yuen_musta import yuen_musta_test

    rng = np.random.default_rng([seed, n])
    keys = ("presence", "lrt", "ym", "ym_asym", "mz", "mz_alpha_n", "supported", "not_none")
    out = {k: [] for k in keys}
    for i in range(r_sets):
        t, e = simulate(rng, n, **spec)
        pres = presence_test(t, e, reps=reps, seed=i, scheduler="sync").p_value
        ym = yuen_musta_test(t, e, reps=reps, seed=i, scheduler="sync").p_value
        try:
            lrt = model_evidence(t, e).p_value
        except ConvergenceError:
            lrt = None
        out["presence"].append(pres < alpha)
        out["lrt"].append(lrt is not None and lrt < alpha)
        out["ym"].append(ym < alpha)
        out["ym_asym"].append(ym_asymptotic(t, e).p_value < alpha)
        out["mz"].append(sufficient_followup_test(t, e, reps=reps, seed=i,
                                                  scheduler="sync").p_value < alpha)
        out["mz_alpha_n"].append(sufficient_followup_mz(t, e).alpha_n <= alpha)
        c = conclude(pres, ym, km_reaches_zero=tail_facts(t, e).survival_at_plateau <= 0,
                     model_p=lrt, alpha=alpha)
        out["supported"].append(c == "supported")
        out["not_none"].append(c != "no-evidence")
    return {k: float(np.mean(v)) for k, v in out.items()}


if __name__ == "__main__":
    r_sets = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 99
    for r in (r_sets, r_sets // 2):
        print(f"R = {r} data sets: Monte Carlo SE of a rate near 0.05: "
              f"{np.sqrt(0.05 * 0.95 / r):.3f}, near 0.9: {np.sqrt(0.09 / r):.3f}")
    print(f"R = {r_sets} data sets per row for n <= 300, {r_sets // 2} for larger n; B = {reps} "
          "replicates per test\n")
    print("| scenario | truth | n | presence MZ | LRT | **Yuen-Musta SG (bootstrap)** | "
          "YM Grenander (asymptotic) | MZ q_n (bootstrap) | MZ alpha_n | **rule: supported** | "
          "rule: not no-evidence | s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    only = (sys.argv[3] if len(sys.argv) > 3 else "").split("|")
    for name, (ns, spec, truth) in SCENARIOS.items():
        if not any(part in name for part in only):
            continue
        for n in ns:
            t0 = time.time()
            r = rates(n, spec, r_sets if n <= 300 else r_sets // 2, reps)
            print(f"| {name} | {truth} | {n} | {r['presence']:.3f} | {r['lrt']:.3f} | "
                  f"{r['ym']:.3f} | {r['ym_asym']:.3f} | {r['mz']:.3f} | "
                  f"{r['mz_alpha_n']:.3f} | {r['supported']:.3f} | {r['not_none']:.3f} | "
                  f"{time.time() - t0:.0f} |", flush=True)
