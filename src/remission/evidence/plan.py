r"""``plan_followup``: how much longer to follow the trial, by simulation.

Generative model.  A Weibull mixture cure model (:class:`remission.models.cure.MixtureCure`)
fitted to the data gives each simulated patient a cure status and an event time; the trial's
own censoring pattern (reverse Kaplan-Meier of the observed data: staggered entry and the
current cut-off) gives each patient a potential follow-up C0.  Following the trial for M more
time units makes the potential follow-up C0 + M (today's censoring treated as administrative),
or C0 + min(M, L) with a loss-to-follow-up time L ~ Exponential (``dropout``).
Each simulated trial has the observed sample size.

For every simulated trial and every M we run

* the Maller-Zhou sufficient-follow-up test: q_n against its null distribution simulated once
  per M from the boundary null model (Weibull mixture cure with F_u(tau_G) = 1 - eps, fitted
  to the observed data; see :mod:`.maller_zhou`) with the censoring C0 + M (reject when the
  Monte Carlo p-value <= alpha); Maller-Zhou's alpha_n <= alpha is reported as an extra column,
* the Yuen-Musta test (reject when its asymptotic p-value <= alpha; computed through the
  critical value of the Brownian slope law, so no quadrature per trial),
* the Maller-Zhou presence test, with its null distribution simulated once per M from the
  no-cure Weibull fitted to the observed data and the censoring C0 + M (reject when the Monte
  Carlo p-value <= alpha).  This fixes the null model at the one fitted to today's data
  instead of refitting it in every simulated trial: an approximation that keeps the plan a
  single simulation, not a nested one;
* the Maller-Zhou cure estimate KM(t*_(n)) and the width of its log-log 95% interval.

Monotonicity in M.  *Common random numbers*: each simulated trial uses the same uniforms
(patients, cure status, event times, entry pattern) for every M, and only the cut-off moves,
so the Monte Carlo curves are smooth in M and their differences have small variance.  The
tests are not monotone trial by trial (a late event can shorten a plateau), so the reported
probabilities are the *isotonic* (pool-adjacent-violators, equal weights) non-decreasing fit
to the per-M Monte Carlo frequencies: monotone by construction, and equal to the raw
frequencies whenever those are already non-decreasing.  The raw frequencies are reported too
(``*_raw``).  The CI width is reported as simulated (no monotonicity imposed).

Reproducibility and scale-out.  Trials are tasks of :func:`remission.parallel.map_chunks`;
trial i draws from the i-th child of ``SeedSequence(seed)`` (the presence null simulation from
``SeedSequence([seed, 1])``), so the numbers are identical whatever the scheduler and the
number of workers.  Within a chunk the Kaplan-Meier/Maller-Zhou statistics are vectorised
across trials.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np

ALPHA = 0.05
TARGET = 0.8
#: trials at or above which the default scheduler is a local Dask cluster
LARGE_JOB = 2000


@dataclass(frozen=True)
class PlanResult:
    extra_followup: tuple
    p_sufficient: np.ndarray
    p_sufficient_raw: np.ndarray
    p_sufficient_ym: np.ndarray
    p_sufficient_ym_raw: np.ndarray
    p_presence: np.ndarray
    p_presence_raw: np.ndarray
    ci_width: np.ndarray
    cure_mean: np.ndarray
    sims: int
    seed: int
    model: dict
    current: dict
    time_unit: str | None = None
    alpha: float = ALPHA
    target: float = TARGET
    meta: dict = field(default_factory=dict)

    def rows(self) -> list[dict]:
        se = lambda p: float(np.sqrt(p * (1 - p) / self.sims))  # noqa: E731
        return [{"extra_followup": float(m), "p_sufficient": float(a),
                 "p_presence": float(b), "ci_width": float(w),
                 "p_sufficient_raw": float(ar), "p_presence_raw": float(br),
                 "p_sufficient_yuen_musta": float(y), "p_sufficient_yuen_musta_raw": float(yr),
                 "mc_se_p_sufficient": se(ar), "mc_se_p_presence": se(br),
                 "mean_cure_estimate": float(c)}
                for m, a, b, w, ar, br, y, yr, c in zip(
                    self.extra_followup, self.p_sufficient, self.p_presence, self.ci_width,
                    self.p_sufficient_raw, self.p_presence_raw, self.p_sufficient_ym,
                    self.p_sufficient_ym_raw, self.cure_mean)]

    @property
    def verdict(self) -> str:
        return make_verdict(self)

    def to_dict(self) -> dict:
        return {"rows": self.rows(), "verdict": self.verdict, "sims": self.sims,
                "seed": self.seed, "alpha": self.alpha, "time_unit": self.time_unit,
                "model": self.model, "current": self.current,
                "method": {"sufficient": "maller-zhou q_n, bootstrap p <= alpha under the "
                                         "boundary null F_u(tau_G) = 1 - eps",
                           "sufficient_yuen_musta": "yuen-musta grenander p <= alpha",
                           "presence": "maller-zhou KM(t_(n)), null simulated per M",
                           "ci": "log-log 95% CI of KM at the last event time",
                           "monotonicity": "common random numbers across M, isotonic fit",
                           "censoring": self._censoring()},
                **self.meta}

    def _dropout_phrase(self) -> str:
        p = self.meta.get("dropout_per_year", 0.0)
        return f"{100 * p:g}% lost to follow-up per year" if p else ""

    def _censoring(self) -> str:
        d = self._dropout_phrase()
        if not d:
            return "reverse Kaplan-Meier + M (administrative)"
        return f"reverse Kaplan-Meier + min(M, L), L exponential: {d}"

    def to_text(self) -> str:
        u = self.time_unit or "time units"
        m = self.model
        lines = [f"Follow-up plan  ({self.sims} simulated trials, seed {self.seed})",
                 f"Generative model: Weibull mixture cure, cure fraction {m['cure']:.3f}, "
                 f"shape {m['shape']:.3g}, scale {m['scale']:.4g}; n = {m['n']}; censoring = "
                 "the trial's own pattern, extended"
                 + (f", {self._dropout_phrase()}" if self._dropout_phrase() else ""), "",
                 f"{'extra ' + u:>16}  P(sufficient)  P(suff., Yuen-Musta)  P(presence)  "
                 "mean CI width"]
        for r in self.rows():
            lines.append(f"{r['extra_followup']:>16g}  {_fmt(r['p_sufficient'], '.3f', 13)}  "
                         f"{_fmt(r['p_sufficient_yuen_musta'], '.3f', 20)}  "
                         f"{_fmt(r['p_presence'], '.3f', 11)}  {_fmt(r['ci_width'], '.3f', 13)}")
        lines += ["", "Verdict: " + self.verdict]
        return "\n".join(lines)


def isotonic_increasing(y) -> np.ndarray:
    """Pool-adjacent-violators fit of a non-decreasing sequence (equal weights).

    >>> isotonic_increasing([0.1, 0.3, 0.2, 0.5]).tolist()
    [0.1, 0.25, 0.25, 0.5]
    """
    vals: list[float] = []
    counts: list[int] = []
    for v in np.asarray(y, dtype=float):
        vals.append(v)
        counts.append(1)
        while len(vals) > 1 and vals[-2] > vals[-1]:
            c = counts[-2] + counts[-1]
            v2 = (vals[-2] * counts[-2] + vals[-1] * counts[-1]) / c
            vals[-2:] = [v2]
            counts[-2:] = [c]
    return np.repeat(vals, counts)


def plan_followup(data, event=None, *, extra_followup=(6, 12, 24, 36), sims: int = 1000,
                  seed: int = 1, scheduler="default", n_workers=None, progress: bool = False,
                  null_reps: int = 2000, alpha: float = ALPHA, eps: float = 0.01,
                  chunk_size: int = 250, model=None, dropout: float = 0.0) -> PlanResult:
    """Simulate the trial followed for each extra follow-up M (same time unit as the data).

    ``dropout``: the fraction of the patients still followed who are lost to follow-up per
    year of extra follow-up (constant hazard; needs the data's time unit); 0 = everyone is
    followed for the whole extra time.

    ``scheduler``: ``"default"`` = in process below :data:`LARGE_JOB` trials, else a local Dask
    cluster; otherwise any :func:`remission.parallel.map_chunks` scheduler (``"sync"``,
    ``"local"``, ``"threads"`` or a Dask address).  ``model``: an optional
    :class:`~.simulate.CureModel` to simulate from instead of the fitted one.
    """
    from ..data.survival_data import SurvivalData
    from ..errors import ConvergenceError, OptionError
    from ..parallel import map_chunks
    from .followup_tests import brownian_lcm_slope_sf
    from .lrt import fit_cure_weibull
    from .maller_zhou import sufficient_followup_mz
    from .simulate import CensoringPattern, CureModel, fit_boundary_null, null_chunk

    d = data if isinstance(data, SurvivalData) else SurvivalData.from_arrays(data, event)
    t, e = np.asarray(d.time, float), np.asarray(d.event, bool)
    ms = tuple(float(m) for m in extra_followup)
    if not ms or any(m < 0 or not np.isfinite(m) for m in ms):
        raise OptionError("--extra-followup needs non-negative numbers")
    if sims < 1:
        raise OptionError("--sims must be at least 1")
    ms = tuple(sorted(set(ms)))
    grid = (0.0,) + tuple(m for m in ms if m > 0)  # 0 = today's cut-off
    if scheduler == "default":
        scheduler = "auto" if sims >= LARGE_JOB else "sync"
    f1, f0 = fit_cure_weibull(t, e)
    if model is None:
        if not f1.converged:
            raise ConvergenceError("the Weibull mixture cure model did not converge; "
                                   "cannot plan from it")
        pi, shape, scale = (float(np.ravel(v)[0]) for v in f1.natural_parameters())
        model = CureModel(pi, shape, scale)
    s0, c0 = (float(np.ravel(v)[0]) for v in f0.natural_parameters())
    rate = dropout_hazard(dropout, d.time_unit)
    pattern = CensoringPattern.from_data(t, e, dropout=rate)
    n = t.size

    # presence test: null distribution of KM(t_(n)) for every M (common random numbers)
    null_fn = partial(null_chunk, model=CureModel(0.0, s0, c0), pattern=pattern, n=n,
                      extra=grid)
    # cheap (one vectorised pass per chunk): always in process, so that a Dask cluster is
    # started once, for the trials; the numbers do not depend on where chunks run
    null = np.array(map_chunks(null_fn, null_reps, seed=np.random.SeedSequence([seed, 1]),
                               chunk_size=chunk_size, scheduler="sync", progress=progress,
                               description="null simulation"))[:, :, 0]
    null_sorted = np.sort(null, axis=0)  # (null_reps, len(grid))
    # sufficient follow-up: for each M, the boundary null at the cut-off after M more units
    # (F_u(tau_G + M) = 1 - eps), fitted to today's data, simulated with censoring C0 + M
    tg = float(t.max())
    boundaries = [fit_boundary_null(t, e, eps, tau_g=tg + m) for m in grid]
    qnull = np.empty((null_reps, len(grid)))
    for j, (m, bnd) in enumerate(zip(grid, boundaries)):
        bfn = partial(null_chunk, model=bnd, pattern=pattern, n=n, extra=(m,))
        key = int(round(m * 1e6))  # seeded by M itself: common to every grid holding M
        qnull[:, j] = np.array(map_chunks(bfn, null_reps,
                                          seed=np.random.SeedSequence([seed, 2, key]),
                                          chunk_size=chunk_size, scheduler="sync",
                                          progress=progress,
                                          description=f"boundary null, M = {m:g}"))[:, 0, 1]
    qnull = np.sort(qnull, axis=0)
    boundary = boundaries[0]

    # Yuen-Musta rejection threshold on x: p = P(D > x) <= alpha  <=>  x >= x_alpha
    from scipy.optimize import brentq
    x_alpha = brentq(lambda x: brownian_lcm_slope_sf(x) - alpha, 1e-6, 10.0, xtol=1e-10)

    fn = partial(_plan_chunk, model=model, pattern=pattern, n=n, grid=grid,
                 null_sorted=null_sorted, qnull_sorted=qnull, alpha=alpha, x_alpha=x_alpha,
                 eps=eps)
    res = np.array(map_chunks(fn, sims, seed=seed, chunk_size=chunk_size, scheduler=scheduler,
                              n_workers=n_workers, progress=progress,
                              description="simulated trials"))  # (sims, len(grid), 6)
    mean = res.mean(axis=0)
    with np.errstate(invalid="ignore"):
        width = np.nanmean(np.where(np.isfinite(res[:, :, 2]), res[:, :, 2], np.nan), axis=0)
    idx = [grid.index(m) if m > 0 else 0 for m in ms]
    raw_s, raw_y, raw_p = mean[idx, 0], mean[idx, 4], mean[idx, 1]
    raw_a = mean[idx, 5]

    # today's data
    mz = sufficient_followup_mz(t, e)
    from .tail import tail_facts
    tf = tail_facts(t, e)
    p_pres_now = (1 + np.sum(null[:, 0] >= tf.survival_at_plateau - 1e-12)) / (null_reps + 1)
    p_suff_now = (1 + np.sum(qnull[:, 0] >= mz.q_n - 1e-12)) / (null_reps + 1)
    current = {"sufficient_p_value": float(p_suff_now), "alpha_n": mz.alpha_n,
               "presence_p_value": float(p_pres_now),
               "cure_estimate": tf.survival_at_plateau, "ci_width": tf.upper - tf.lower,
               "max_followup": tf.max_followup, "last_event_time": tf.last_event_time}
    return PlanResult(
        extra_followup=ms, p_sufficient=isotonic_increasing(raw_s), p_sufficient_raw=raw_s,
        p_sufficient_ym=isotonic_increasing(raw_y), p_sufficient_ym_raw=raw_y,
        p_presence=isotonic_increasing(raw_p), p_presence_raw=raw_p, ci_width=width[idx],
        cure_mean=mean[idx, 3], sims=int(sims), seed=int(seed),
        model={"dist": "weibull mixture cure", "cure": model.cure, "shape": model.shape,
               "scale": model.scale, "n": n, "null_reps": null_reps,
               "boundary_null": {"cure": boundary.cure, "shape": boundary.shape,
                                 "scale": float(boundary.scale), "eps": eps}},
        meta={"p_sufficient_alpha_n_raw": [float(v) for v in raw_a],
              "dropout_per_year": float(dropout)},
        current=current, time_unit=d.time_unit, alpha=alpha)


def dropout_hazard(dropout: float, time_unit: str | None) -> float:
    """Per-time-unit hazard of a yearly loss-to-follow-up fraction ``dropout``."""
    from ..data.units import DAYS_PER_UNIT
    from ..errors import OptionError

    dropout = float(dropout)
    if not 0 <= dropout < 1:
        raise OptionError(f"--dropout must be a fraction per year in [0, 1) (got {dropout:g})")
    if dropout == 0:
        return 0.0
    if time_unit not in DAYS_PER_UNIT:
        raise OptionError("--dropout is a fraction per year: give the data's time unit "
                          "(--time-unit)")
    return -np.log1p(-dropout) * DAYS_PER_UNIT[time_unit] / 365.25


def _plan_chunk(chunk, model, pattern, n, grid, null_sorted, qnull_sorted, alpha, x_alpha,
                eps):
    """Per trial and per M: [MZ sufficient reject (bootstrap), presence reject, CI width,
    cure estimate, Yuen-Musta reject, MZ alpha_n <= alpha]."""
    from .maller_zhou import batch_statistics
    from .simulate import draw_trials, observe

    t_ev, fu = draw_trials(chunk, model, pattern, n)
    out = np.empty((chunk.size, len(grid), 6))
    for j, m in enumerate(grid):
        t, e = observe(t_ev, fu.at(m))
        st = batch_statistics(t, e)
        cure = st["cure"]
        # Monte Carlo p-value of the presence test against this M's null sample
        p_pres = mc_pvalue(null_sorted[:, j], cure)
        width = np.where(cure > 0, st["upper"] - st["lower"], 0.0)
        out[:, j, 0] = mc_pvalue(qnull_sorted[:, j], st["n_n"] / n) <= alpha
        out[:, j, 5] = st["alpha_n"] <= alpha
        out[:, j, 1] = p_pres <= alpha
        out[:, j, 2] = width
        out[:, j, 3] = cure
        out[:, j, 4] = ym_reject_batch(t, e, x_alpha, eps)
    return list(out)


def mc_pvalue(null_sorted: np.ndarray, stat) -> np.ndarray:
    """Monte Carlo p-values (1 + #{null >= stat}) / (B + 1) for an array of statistics, from a
    sorted null sample (values within 1e-12 count as ties, i.e. as extreme).

    >>> mc_pvalue(np.array([0.1, 0.2, 0.2, 0.5]), np.array([0.2, 0.6, 0.0])).tolist()
    [0.8, 0.2, 1.0]
    """
    b = null_sorted.shape[0]
    n_ge = b - np.searchsorted(null_sorted, np.asarray(stat) - 1e-12, side="left")
    return (1 + n_ge) / (b + 1)


def ym_reject_batch(times, events, x_alpha, eps, a=0.34):
    """Yuen-Musta rejections (p <= alpha, i.e. x >= x_alpha) for the rows of (B, n) arrays
    without tied event times, tau = 2 tau_G, c = tau_G.

    The Grenander slope at u is computed by the min-max formula of the least concave
    majorant, slope(u) = min_{x_s < u} max_{x_v >= u} (y_v - y_s) / (x_v - x_s), vectorised
    over the rows; tests/evidence/test_plan.py checks it against :func:`_ym_reject` (hull).
    """
    from .maller_zhou import sorted_rows

    ts, es, at_risk = sorted_rows(times, events)
    b, n = ts.shape
    surv = np.cumprod(np.where(es, 1.0 - 1.0 / at_risk, 1.0), axis=1)
    csurv = np.cumprod(np.where(~es, 1.0 - 1.0 / at_risk, 1.0), axis=1)
    tg = ts[:, -1]
    x = np.concatenate((np.zeros((b, 1)), ts), axis=1)
    y = np.concatenate((np.zeros((b, 1)), 1.0 - surv), axis=1)
    u = tg * (1.0 - n ** (-a))
    left = x < u[:, None]
    # only the last m columns can hold points with x >= u (rows are sorted)
    m = int((~left).sum(axis=1).max())
    xv, yv, right = x[:, -m:], y[:, -m:], ~left[:, -m:]
    with np.errstate(divide="ignore", invalid="ignore"):
        sl = (yv[:, None, :] - y[:, :, None]) / (xv[:, None, :] - x[:, :, None])  # [s, v]
    sl = np.where(right[:, None, :], sl, -np.inf)
    sl = np.where(np.isnan(sl), -np.inf, sl)
    mx = sl.max(axis=2)                         # max over v >= u, for each s
    stat = np.where(left, mx, np.inf).min(axis=1)
    stat = np.maximum(stat, 0.0)
    thr = eps * (1.0 - surv[:, -1]) / tg        # tau - tau_G = tau_G
    before = (ts < tg[:, None]).sum(axis=1)     # observations strictly before tau_G
    sc = np.where(before > 0, np.take_along_axis(csurv, np.maximum(before - 1, 0)[:, None],
                                                 axis=1)[:, 0], 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        xval = (thr - stat) * n ** (0.5 * (1 - a)) * np.sqrt(tg * sc) / np.sqrt(stat)
    rej = np.where(stat <= 0, thr > 0, xval >= x_alpha)
    return np.where(es.any(axis=1), rej, False)


def _ym_reject(t, e, x_alpha, eps, a=0.34):
    """Yuen-Musta rejection (p <= alpha) for one simulated sample (no event ties)."""
    from .followup_tests import lcm_slopes

    n = t.size
    if not e.any():
        return False
    o = np.lexsort((~e, t))
    ts, es = t[o], e[o]
    at_risk = n - np.arange(n)
    surv = np.cumprod(np.where(es, 1.0 - 1.0 / at_risk, 1.0))
    csurv = np.cumprod(np.where(~es, 1.0 - 1.0 / at_risk, 1.0))  # reverse KM
    tg = ts[-1]
    x = np.concatenate(([0.0], ts))
    y = np.concatenate(([0.0], 1.0 - surv))
    kx, slopes = lcm_slopes(x, y)
    uu = tg - tg * n ** (-a)
    if uu > kx[-1]:
        stat = 0.0
    else:
        k = max(int(np.searchsorted(kx, uu, side="left")) - 1, 0)
        stat = max(float(slopes[k]), 0.0)
    thr = eps * (1.0 - surv[-1]) / tg  # tau = 2 tau_G: tau - tau_G = tau_G
    before = np.searchsorted(ts, tg, side="left")  # observations strictly before tau_G
    sc = csurv[before - 1] if before > 0 else 1.0
    if stat <= 0:
        return bool(thr > 0)
    xval = (thr - stat) * n ** (0.5 * (1 - a)) * np.sqrt(tg * sc) / np.sqrt(stat)
    return bool(xval >= x_alpha)


def make_verdict(r: PlanResult) -> str:
    u = r.time_unit or "time units"
    cur = r.current
    now_ok = cur["sufficient_p_value"] < r.alpha and cur["presence_p_value"] < r.alpha
    head = ("the data already support a plateau" if now_ok else "a plateau is not yet supported")
    head = head[0].upper() + head[1:]
    reach = [(m, p) for m, p in zip(r.extra_followup, r.p_sufficient) if p >= r.target]
    if reach:
        m, p = reach[0]
        tail = (f"with {m:g} more {u} of follow-up the chance of showing sufficient follow-up "
                f"is {p:.0%}")
    else:
        m, p = r.extra_followup[-1], r.p_sufficient[-1]
        tail = (f"even with {m:g} more {u} of follow-up the chance of showing sufficient "
                f"follow-up is only {p:.0%}")
    j = len(r.extra_followup) - 1 if not reach else r.extra_followup.index(m)
    w_then, w_now = _finite(r.ci_width[j]), _finite(cur.get("ci_width"))
    # the log-log interval of KM at the last event time does not exist when that KM is 0 (the
    # last observation is an event) or 1; say so rather than printing "nan"
    if w_now is None:
        today = ("today's interval could not be computed: the Kaplan-Meier estimate at the "
                 "last event time is 0 or 1")
    else:
        today = f"today {w_now:.2f}"
    if w_then is None:
        width = (f"the expected 95% CI width of the cure fraction could not be computed "
                 f"(no simulated trial gave an interval; {today})")
    else:
        width = f"the expected 95% CI width of the cure fraction is {w_then:.2f} ({today})"
    return (f"{head} (today: Maller-Zhou sufficient follow-up p = {cur['sufficient_p_value']:.3f},"
            f" presence p = {cur['presence_p_value']:.3f}); {tail}, the chance of showing a "
            f"cured fraction is {r.p_presence[j]:.0%}, and {width}, assuming the fitted "
            f"Weibull cure model (cure fraction {r.model['cure']:.0%}) is true.")


def _finite(v):
    """float(v) when finite, else None."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def _fmt(v, spec: str, width: int) -> str:
    """``v`` formatted with ``spec`` right-aligned in ``width``; "-" when not finite."""
    v = _finite(v)
    return f"{'-' if v is None else format(v, spec):>{width}}"
