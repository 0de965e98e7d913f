r"""Yuen-Musta test of (practically) sufficient follow-up: smoothed Grenander, bootstrap.

Reference: T. P. Yuen and E. Musta, "Testing for sufficient follow-up in survival data with a
cure fraction", Biometrical Journal (2026), doi 10.1002/bimj.70121 (arXiv 2403.16832), and its
extension to categorical covariates (arXiv 2505.13128); read together with the authors' R code
(``sfu.test(method = "sg")``, ``sfu.cov.test``; package cureSFUTest).  Written anew here, and
checked against that code run on bundled data (tests/evidence/test_yuen_musta_reference.py:
deterministic parts to round-off, bootstrap within Monte Carlo error).

Hypotheses.  F_u is the event-time distribution of the uncured, q_{1-eps} its (1-eps)-quantile
and tau_G the end of follow-up (the largest observed time):

    H0: q_{1-eps} >= tau_G  (insufficient)   vs   H1: q_{1-eps} < tau_G  (sufficient).

If the density f of the event time is non-increasing beyond tau_G and events are practically
impossible after tau > tau_G, H0 implies f(tau_G) >= eps (1 - p) / (tau - tau_G), p the cured
fraction.  The threshold is estimated by thr = eps (1 - p_n) / (tau - tau_G), p_n = KM(tau_G).

Statistic: T = f^SG_{nh}(tau_G), the kernel-smoothed Grenander estimate at tau_G
(:mod:`.smoothed_grenander`); H0 is rejected when T - thr is small.

Bootstrap critical value (as the authors): samples of size n are drawn from the smooth world
\tilde F_{nh0} (event times by inversion of the smoothed LCM of 1 - KM on [0, tau_G]; the mass it
leaves, about p_n, is cured) and censoring times from the reverse Kaplan-Meier
(:class:`~.simulate.CensoringPattern`: when the largest time is an event, the mass the reverse
KM leaves goes to tau_G, where those still followed are censored; the authors' code drops it
and renormalises, the one defined difference in the bootstrap); each gives D* = f^SG*(tau_G) - \tilde f_{nh0}(tau_G),
the estimator's error in a world where the truth is known.  With B replicates,

    p = (1 + #{D* <= T - thr}) / (B + 1)        (reject at level alpha when p < alpha),

the Monte Carlo p-value of the authors' rule "reject when T - thr < Q_alpha(D*)" (they report
the plain fraction #{D* < T - thr} / B).  Defaults: eps = 0.01, tau = 2 tau_G (no event expected
after twice the present follow-up), B = 1000.

Covariates (arXiv 2505.13128): for a categorical covariate, each group x is tested on its own
data with its own tau_G(x); "follow-up is sufficient in every group" is an intersection-union
hypothesis, so it is shown at level alpha when every group's test rejects (overall p = the
largest group p).  We apply the single-sample procedure above within each group (the paper's
structure; its undersmoothed bandwidths are not used, see docs/evidence.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

DEFAULT_EPS = 0.01
GRID = 5000


@dataclass(frozen=True)
class SmoothWorld:
    """The bootstrap world: smoothed LCM of 1 - KM on a grid over [0, tau_G]."""

    grid: np.ndarray
    cdf: np.ndarray         # \tilde F on the grid
    density_end: float      # \tilde f(tau_G): slope of the last grid step
    tau_g: float

    def draw(self, u: np.ndarray) -> np.ndarray:
        r"""Event times by inversion (inf = cured: u beyond \tilde F(tau_G))."""
        run = np.maximum.accumulate(self.cdf)
        idx = np.searchsorted(run, u, side="left")
        return np.where(idx < self.grid.size, self.grid[np.minimum(idx, self.grid.size - 1)],
                        np.inf)


def smooth_world(time, event, tau_g: float | None = None) -> SmoothWorld:
    from ..nonparametric.km_batch import km_batch
    from .smoothed_grenander import km_lcm_rows, smooth_cdf_grid, world_bandwidth

    t = np.asarray(time, float)
    km = km_batch(t[None, :], np.asarray(event, bool)[None, :])
    kx, ky = km_lcm_rows(km)
    tg = float(t.max()) if tau_g is None else float(tau_g)
    grid = np.linspace(0.0, tg, GRID)
    f = smooth_cdf_grid(kx[0], ky[0], grid, float(world_bandwidth(tg, t.size)), tg)
    return SmoothWorld(grid, f, float((f[-1] - f[-2]) / (grid[-1] - grid[-2])), tg)


def statistic(time, event, *, tau: float | None = None, eps: float = DEFAULT_EPS):
    """(T, thr, tau_G, tau) of one sample: T = f^SG(tau_G), thr = eps (1 - KM(tau_G)) /
    (tau - tau_G)."""
    from ..nonparametric.km_batch import km_batch
    from .smoothed_grenander import sg_at_end

    t = np.asarray(time, float)
    km = km_batch(t[None, :], np.asarray(event, bool)[None, :])
    tg = float(km.time[0, -1])
    tau = 2.0 * tg if tau is None else float(tau)
    thr = eps * (1.0 - float(km.survival[0, -1])) / (tau - tg)
    return float(sg_at_end(km)[0]), thr, tg, tau


def bootstrap_chunk(chunk, world: SmoothWorld, pattern, n: int):
    r"""D* = f^SG*(tau_G) - \tilde f(tau_G) for each task of a chunk (one bootstrap sample each)."""
    from ..nonparametric.km_batch import km_batch
    from .simulate import observe
    from .smoothed_grenander import sg_at_end

    u = np.stack([r.random((2, n)) for r in chunk.rngs()])   # (tasks, 2, n)
    t_ev = world.draw(u[:, 0])
    c = pattern.draw(u[:, 1])
    y, d = observe(t_ev, c)
    f_star = sg_at_end(km_batch(y, d), tau_g=world.tau_g)
    return list(f_star - world.density_end)


@dataclass(frozen=True)
class YuenMustaTest:
    statistic: float         # T = f^SG(tau_G)
    threshold: float         # eps (1 - p_n) / (tau - tau_G)
    p_value: float
    critical_value: float    # thr + Q_alpha(D*): reject when T < critical_value
    alpha: float
    eps: float
    tau: float
    tau_g: float
    bandwidth: float
    world_density_at_tau_g: float
    reps: int
    seed: int
    n: int

    test = "yuen-musta smoothed grenander"

    @property
    def mc_se(self) -> float:
        """Monte Carlo standard error of the p-value."""
        return float(np.sqrt(self.p_value * (1 - self.p_value) / self.reps))

    def to_dict(self) -> dict:
        return {"test": self.test, "statistic": self.statistic, "p_value": self.p_value,
                "statistic_definition": "kernel-smoothed Grenander density of the event time "
                                        "at tau_G, f^SG(tau_G)",
                "null": f"q_(1-eps) >= tau_G (follow-up insufficient), eps = {self.eps:g}",
                "threshold": self.threshold, "critical_value": self.critical_value,
                "alpha": self.alpha, "eps": self.eps, "tau": self.tau, "tau_g": self.tau_g,
                "bandwidth": self.bandwidth,
                "p_value_method": f"bootstrap, {self.reps} samples from the smoothed "
                                  "Kaplan-Meier world and the reverse Kaplan-Meier censoring "
                                  "(Yuen and Musta 2026)",
                "mc_se": self.mc_se, "reps": self.reps, "seed": self.seed}


def yuen_musta_test(time, event, *, tau: float | None = None, eps: float = DEFAULT_EPS,
                    reps: int = 1000, seed: int = 1, alpha: float = 0.05, scheduler=None,
                    progress: bool = False) -> YuenMustaTest:
    """Smoothed-Grenander Yuen-Musta test with bootstrap p-value (small = follow-up suffices).

    ``tau``: time after which events are practically impossible (> tau_G; default 2 tau_G).
    """
    from ..errors import OptionError
    from ..parallel import map_chunks
    from .simulate import CensoringPattern
    from .smoothed_grenander import bandwidth

    if not 0 < eps < 1:
        raise OptionError(f"--eps must be in (0, 1) (got {eps:g})")
    if reps < 1:
        raise OptionError("--reps must be at least 1")
    t = np.asarray(time, float)
    e = np.asarray(event, bool)
    stat, thr, tg, tau = statistic(t, e, tau=tau, eps=eps)
    if tau <= tg:
        raise OptionError(f"--tau must exceed the maximum follow-up {tg:g}")
    world = smooth_world(t, e)
    fn = partial(bootstrap_chunk, world=world, pattern=CensoringPattern.from_data(t, e),
                 n=t.size)
    d = np.sort(np.array(map_chunks(fn, reps, seed=np.random.SeedSequence([seed, 3]),
                                    chunk_size=100, scheduler=scheduler, progress=progress,
                                    description="Yuen-Musta bootstrap")))
    p = (1 + np.sum(d <= stat - thr)) / (reps + 1)
    crit = thr + float(np.quantile(d, alpha))
    return YuenMustaTest(stat, thr, float(p), crit, float(alpha), float(eps), float(tau), tg,
                         float(bandwidth(tg, t.size)), world.density_end, int(reps), int(seed),
                         int(t.size))


def yuen_musta_by_group(time, event, groups, *, tau: float | None = None,
                        eps: float = DEFAULT_EPS, reps: int = 1000, seed: int = 1,
                        alpha: float = 0.05, scheduler=None, progress: bool = False) -> dict:
    """One Yuen-Musta test per group (each with its own tau_G) and the intersection-union
    decision "follow-up is sufficient in every group" (arXiv 2505.13128).

    Returns ``{"groups": {label: YuenMustaTest}, "p_value_all": max p, "all_sufficient":
    bool, "least_sufficient": label with the largest p}``.  ``tau`` defaults to twice the
    largest observed time over all groups (common to every group).
    """
    from ..errors import DataError

    t = np.asarray(time, float)
    e = np.asarray(event, bool)
    g = np.asarray(groups)
    if g.shape != t.shape:
        raise DataError("groups must have one label per patient", column="group")
    tau = 2.0 * float(t.max()) if tau is None else float(tau)
    out = {}
    for lab in sorted(set(g.tolist()), key=str):
        m = g == lab
        if e[m].sum() < 2:
            raise DataError(f"group {lab!r} has fewer than two events", column="group")
        # the same seed in every group: a group's p-value is the one cure-test gives it
        out[lab] = yuen_musta_test(t[m], e[m], tau=tau, eps=eps, reps=reps, seed=seed,
                                   alpha=alpha, scheduler=scheduler, progress=progress)
    worst = max(out, key=lambda k: out[k].p_value)
    p_all = out[worst].p_value
    return {"groups": out, "p_value_all": p_all, "all_sufficient": bool(p_all < alpha),
            "least_sufficient": worst}
