r"""Maller and Zhou's statistics for a cured fraction and for sufficient follow-up.

Definitions (Maller and Zhou 1996, *Survival Analysis with Long-Term Survivors*, Wiley,
chs. 3-4; the same formulas as ``sufficient_fu_test`` / ``nonzerocure_test`` of the R package
hdcuremodels).  With t_(n) the largest observed time, t*_(n) the largest event time and n the
sample size:

* cure estimate  1 - p_n = KM(t_(n)) = KM(t*_(n));
* N_n = number of uncensored observations in the interval (2 t*_(n) - t_(n), t*_(n)]
  (the interval as long as the plateau (t*_(n), t_(n)], just before it);
* q_n = N_n / n and alpha_n = (1 - q_n)^n.

**Sufficient follow-up** (H0: follow-up is *insufficient*): q_n is large (alpha_n small) when
the plateau is long compared with where the events happen.  Maller and Zhou's approximate
p-value is alpha_n = (1 - q_n)^n (the chance of seeing no events in that interval if each
observation fell there with probability q_n), which hdcuremodels reports as the p-value.  Our
simulations (benchmarks/README.md, "cure tests") show it is far from valid as a p-value: with
n = 100 and clearly insufficient follow-up it rejects at the 5% level in 50-65% of data sets.
So :func:`sufficient_followup_test` reports alpha_n under its own name and, as ``p_value``, a
parametric-bootstrap p-value of q_n: q_n is simulated under the *boundary* of the null
hypothesis of (practically) insufficient follow-up, q_{1-eps} = tau_G (Yuen and Musta 2024),
i.e. from the Weibull mixture cure model fitted under the constraint F_u(tau_G) = 1 - eps
(:func:`~.simulate.fit_boundary_null`, eps = 0.01), with the trial's own censoring pattern;
p = (1 + #{q* >= q_n}) / (B + 1).

**Presence of immunes** (H0: no one is cured, p = 1): rejected when the cure estimate KM(t_(n))
is large.  Maller and Zhou obtain critical values by simulation under a fitted no-cure model;
we simulate the null distribution of KM(t_(n)) from the Weibull (no cure) fitted by maximum
likelihood, with censoring times drawn from the trial's own censoring distribution (reverse
Kaplan-Meier), and report the Monte Carlo p-value (1 + #{stat* >= stat}) / (B + 1).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class SufficientFollowup:
    """Maller-Zhou q_n test.  ``p_value`` = alpha_n (small = follow-up suffices)."""

    n: int
    last_event_time: float
    max_followup: float
    interval_lower: float
    interval_upper: float
    n_n: int
    q_n: float
    alpha_n: float

    test = "maller-zhou q_n"

    @property
    def statistic(self) -> float:
        return self.q_n

    @property
    def p_value(self) -> float:
        return self.alpha_n

    def to_dict(self) -> dict:
        d = asdict(self)
        d.update(test=self.test, statistic=self.q_n, p_value=self.alpha_n,
                 null="follow-up is insufficient (tau_F > tau_G)",
                 p_value_method="Maller-Zhou approximation alpha_n = (1 - N_n/n)^n")
        return d


def sufficient_followup_mz(time, event) -> SufficientFollowup:
    """Maller-Zhou N_n, q_n and alpha_n of one sample (ties counted with multiplicity).

    >>> r = sufficient_followup_mz([1, 2, 3, 4, 5, 8], [1, 1, 1, 1, 1, 0])
    >>> (r.interval_lower, r.n_n, round(r.alpha_n, 6))  # (2, 5]: events at 3, 4, 5
    (2.0, 3, 0.015625)
    """
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=bool)
    n = t.size
    t_n = float(t.max())
    t_star = float(t[e].max())
    lo = 2.0 * t_star - t_n
    n_n = int(np.sum(e & (t > lo) & (t <= t_star)))
    q = n_n / n
    return SufficientFollowup(n, t_star, t_n, lo, t_star, n_n, q, float((1.0 - q) ** n))


@dataclass(frozen=True)
class SufficientFollowupTest:
    """Maller-Zhou q_n with a bootstrap p-value under the boundary null (see module doc)."""

    mz: SufficientFollowup
    p_value: float
    reps: int
    seed: int
    eps: float
    null_model: dict

    test = "maller-zhou q_n"

    @property
    def statistic(self) -> float:
        return self.mz.q_n

    def to_dict(self) -> dict:
        d = asdict(self.mz)
        d.update(test=self.test, statistic=self.mz.q_n, p_value=self.p_value,
                 null="follow-up is insufficient: q_{1-eps} >= tau_G, eps = %g" % self.eps,
                 p_value_method=f"parametric bootstrap, {self.reps} replicates from the Weibull "
                                "mixture cure model fitted with F_u(tau_G) = 1 - eps and the "
                                "trial's censoring pattern",
                 alpha_n_note="Maller-Zhou's approximation (1 - q_n)^n, reported for reference; "
                              "anti-conservative in our simulations",
                 null_model=self.null_model, reps=self.reps, seed=self.seed,
                 mc_se=float(np.sqrt(self.p_value * (1 - self.p_value) / self.reps)))
        return d


def sufficient_followup_test(time, event, *, reps: int = 1000, seed: int = 1,
                             eps: float = 0.01, scheduler=None,
                             progress: bool = False) -> SufficientFollowupTest:
    """Maller-Zhou sufficient-follow-up test with a bootstrap p-value (small = sufficient)."""
    from functools import partial

    from ..parallel import map_chunks
    from .simulate import CensoringPattern, fit_boundary_null, null_chunk

    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=bool)
    mz = sufficient_followup_mz(t, e)
    model = fit_boundary_null(t, e, eps)
    fn = partial(null_chunk, model=model, pattern=CensoringPattern.from_data(t, e), n=t.size)
    sims = np.array(map_chunks(fn, reps, seed=np.random.SeedSequence([seed, 2]),
                               chunk_size=250, scheduler=scheduler, progress=progress,
                               description="sufficient follow-up test"))[:, 0, 1]
    p = (1 + np.sum(sims >= mz.q_n - 1e-12)) / (reps + 1)
    return SufficientFollowupTest(mz, float(p), int(reps), int(seed), float(eps),
                                  {"dist": "weibull mixture cure (boundary of H0)",
                                   "cure": model.cure, "shape": model.shape,
                                   "scale": float(model.scale)})


# ----------------------------------------------------------------------- batched (simulation)
from .mz_batch import batch_statistics  # noqa: E402,F401  (re-exported: one implementation)


def sorted_rows(times, events):
    """Rows sorted by time (events first at ties) and the number at risk just before each
    position, ``(ts, es, at_risk)`` with ``at_risk`` of shape (1, n) (kept for callers of the
    former hand-written batch code; see :mod:`remission.nonparametric.km_batch`)."""
    from ..nonparametric.km_batch import sort_rows

    ts, es, _ = sort_rows(times, events)
    n = ts.shape[1]
    return ts, es, (n - np.arange(n))[None, :].astype(float)
