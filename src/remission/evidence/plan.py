r"""``plan_followup``: how much longer to follow the trial, by simulation.

Generative models.  The table of ``rows`` (one row per requested extra follow-up M) simulates
from the Weibull mixture cure model (:class:`remission.models.cure.MixtureCure`) fitted to the
data (or a ``model`` given); the search for the extra follow-up that is ``needed``
(:mod:`.plan_search`) repeats under every plausible model (:mod:`.plan_scenarios`: each cure
model within 2 AIC of the best, and no cure).  Each simulated trial has the observed sample
size and the trial's own censoring pattern (reverse Kaplan-Meier: staggered entry and the
current cut-off) giving each patient a potential follow-up C0; following the trial for M more
time units makes it C0 + M (today's censoring treated as administrative), or C0 + min(M, L)
with a loss-to-follow-up time L ~ Exponential (``dropout``).

Decisions.  Every simulated trial is decided by the governing tests of the conclusion rule
(:mod:`.rule`, :func:`~.decide.decide_batch` against one :func:`~.decide.calibrate` per M):
``p_sufficient`` is the chance that the governing sufficient-follow-up test rejects,
``p_presence`` that the governing presence test rejects, ``p_supported`` that the conclusion
is ``supported``; ``ci_width`` is the mean width of the log-log 95% interval of the
Maller-Zhou cure estimate KM(t*_(n)).

Monotonicity in M.  *Common random numbers*: each simulated trial uses the same uniforms for
every M, scenario and pass, and only the cut-off moves, so the Monte Carlo curves are smooth in
M.  The tests are not monotone trial by trial (a late event can shorten a plateau), so the
reported probabilities are the *isotonic* (pool-adjacent-violators) non-decreasing fit to the
per-M frequencies; the raw frequencies are reported too (``*_raw``).

Today's numbers.  ``current`` holds the p-values and conclusion of :func:`~.evidence.cure_test`
for the same data, seed and replicates (``evidence=``: a result computed once and passed on, as
the report and ``remission plan`` do), so plan, cure-test and report agree to the last digit.

Competing risks (``cause=``, or data made by ``SurvivalData.for_cause``): the tests are of the
cause's net distribution, the other causes censored (:mod:`.competing`); each simulated trial
draws relapses from the cure models of those cause-specific data and, independently, deaths
from the other causes from a model fitted to them, with the pattern of *true* censoring (an
event of any cause is not censoring) extended by M: a patient who dies without relapse stops
contributing (``competing`` in the JSON).

Reproducibility and scale-out.  Trials are tasks of :func:`remission.parallel.map_chunks`;
trial i draws from the i-th child of ``SeedSequence(seed)``, so the numbers are identical
whatever the scheduler and the number of workers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..table import json_number as _num
from .plan_search import COARSE, LEVELS
from .plan_sim import dropout_hazard, isotonic_increasing  # noqa: F401 (build.py imports it)

ALPHA = 0.05
TARGET = 0.8
CAP_YEARS = 20.0
#: a cap beyond this many years (or, without a time unit, this many times the longest
#: follow-up) is refused: no trial is followed for a century
MAX_CAP_YEARS = 100.0
#: trials at or above which the default scheduler is a local Dask cluster
LARGE_JOB = 2000


@dataclass(frozen=True)
class PlanResult:
    extra_followup: tuple
    p_sufficient: np.ndarray
    p_sufficient_raw: np.ndarray
    p_presence: np.ndarray
    p_presence_raw: np.ndarray
    p_supported: np.ndarray
    ci_width: np.ndarray
    cure_mean: np.ndarray
    sims: int
    seed: int
    model: dict
    current: dict
    time_unit: str | None = None
    alpha: float = ALPHA
    target: float = TARGET
    needed: dict | None = None
    meta: dict = field(default_factory=dict)

    def rows(self) -> list[dict]:
        se = lambda p: float(np.sqrt(p * (1 - p) / self.sims))  # noqa: E731
        return [{"extra_followup": float(m), "p_sufficient": float(a),
                 "p_presence": float(b), "p_supported": float(s), "ci_width": _num(w),
                 "p_sufficient_raw": float(ar), "p_presence_raw": float(br),
                 "mc_se_p_sufficient": se(ar), "mc_se_p_presence": se(br),
                 "mean_cure_estimate": float(c)}
                for m, a, b, s, w, ar, br, c in zip(
                    self.extra_followup, self.p_sufficient, self.p_presence, self.p_supported,
                    self.ci_width, self.p_sufficient_raw, self.p_presence_raw,
                    self.cure_mean)]

    @property
    def verdict(self) -> str:
        from .plan_text import make_verdict

        return make_verdict(self)

    def to_dict(self) -> dict:
        return {"rows": self.rows(), "verdict": self.verdict, "needed": self.needed,
                "sims": self.sims, "seed": self.seed, "alpha": self.alpha,
                "target": self.target, "time_unit": self.time_unit, "model": self.model,
                "current": self.current,
                "method": {"sufficient": "governing sufficient-follow-up test of the "
                                         "conclusion rule (evidence.rule), calibrated per M",
                           "presence": "governing presence test, null calibrated per M",
                           "supported": "conclusion 'supported' (evidence.rule)",
                           "ci": "log-log 95% CI of KM at the last event time",
                           "monotonicity": "common random numbers across M, isotonic fit",
                           "search": "dyadic grid refinement (bisection) on [0, cap]",
                           "censoring": self._censoring()},
                **self.meta}

    def _dropout_phrase(self) -> str:
        p = self.meta.get("dropout_per_year", 0.0)
        return f"{100 * p:g}% lost to follow-up per year" if p else ""

    def _censoring(self) -> str:
        d = self._dropout_phrase()
        c = self.meta.get("competing")
        dies = (f"; follow-up of {c['cause']} stops at death from the other causes "
                f"({c['death_model']['dist']} fitted to them)") if c else ""
        if not d:
            return "reverse Kaplan-Meier + M (administrative)" + dies
        return f"reverse Kaplan-Meier + min(M, L), L exponential: {d}" + dies

    def to_text(self) -> str:
        from .plan_text import render_text

        return render_text(self)


def check_target(target) -> float:
    from ..errors import OptionError

    t = float(target)
    if not (np.isfinite(t) and 0 < t < 1):
        raise OptionError(f"--target must be a probability strictly between 0 and 1 "
                          f"(got {target!r})")
    return t


def default_cap(time_unit: str | None, tmax: float) -> float:
    """20 years in the data's time unit; without a unit, 5 times the longest follow-up."""
    from ..data.units import DAYS_PER_UNIT

    if time_unit in DAYS_PER_UNIT:
        return CAP_YEARS * 365.25 / DAYS_PER_UNIT[time_unit]
    return 5.0 * float(tmax)


def check_cap(cap, time_unit: str | None, tmax: float) -> float:
    from ..data.units import DAYS_PER_UNIT
    from ..errors import OptionError

    if cap is None:
        return default_cap(time_unit, tmax)
    c = float(cap)
    if time_unit in DAYS_PER_UNIT:
        top, what = MAX_CAP_YEARS * 365.25 / DAYS_PER_UNIT[time_unit], f"{MAX_CAP_YEARS:g} years"
    else:
        top, what = 20.0 * float(tmax), "20 times the longest follow-up"
    if not (np.isfinite(c) and 0 < c <= top):
        raise OptionError(f"--cap must be a positive extra follow-up of at most {what} "
                          f"({top:g} {time_unit or 'time units'}; got {cap!r})")
    return c


def current_numbers(evidence) -> dict:
    """Today's p-values and conclusion, read from a :class:`~.evidence.CureTestResult`."""
    doc = evidence.to_dict()
    tl, cf = doc["tail"], doc["cure_fraction"]
    lo, hi = cf.get("lower"), cf.get("upper")
    width = None if lo is None or hi is None else _num(hi - lo)
    cur = {"sufficient_p_value": doc["sufficient_followup"]["p_value"],
           "presence_p_value": doc["presence"]["p_value"],
           "p_values": {k: v["p_value"] for k, v in doc.items()
                        if isinstance(v, dict) and "p_value" in v},
           "alpha_n": (doc.get("sufficient_followup_maller_zhou")
                       or doc["sufficient_followup"]).get("alpha_n"),
           "cure_estimate": tl["survival_at_plateau"], "ci_width": width,
           "max_followup": tl["max_followup"], "last_event_time": tl["last_event_time"]}
    if doc.get("conclusion") is not None:
        cur["conclusion"] = doc["conclusion"]
    return cur


def plan_followup(data, event=None, *, extra_followup=(6, 12, 24, 36), sims: int = 1000,
                  seed: int = 1, scheduler="default", n_workers=None, progress: bool = False,
                  null_reps: int = 1000, reps: int = 1000, alpha: float = ALPHA,
                  eps: float = 0.01, chunk_size: int = 250, model=None, dropout: float = 0.0,
                  target: float = TARGET, cap: float | None = None, evidence=None,
                  models=None, scenarios=None, search: bool = True, coarse: int = COARSE,
                  levels: int = LEVELS, cause=None) -> PlanResult:
    """Simulate the trial followed for longer (extra follow-up in the data's time unit).

    ``extra_followup``: the M of the ``rows``.  ``target``/``cap``: the search for the smallest
    M whose power reaches ``target`` (default 0.8), up to ``cap`` (default 20 years; 5 times
    the longest follow-up without a time unit), resolution cap / (coarse 2^levels);
    ``search=False`` skips it (``needed`` = None).  ``evidence``: today's
    :func:`~.evidence.cure_test` result (computed here with ``reps`` and ``seed`` if None).
    ``models``: a fitted comparison (:func:`remission.models.compare.fit_models`) to take
    the plausible models from; ``scenarios``: explicit :class:`~.plan_scenarios.Scenario`
    list instead.  ``null_reps``: replicates of each per-M calibration of the tests.
    ``dropout``: fraction of the patients still followed who are lost per year of extra
    follow-up (needs the time unit).  ``scheduler``: ``"default"`` = in process below
    :data:`LARGE_JOB` trials, else a local Dask cluster; otherwise any
    :func:`remission.parallel.map_chunks` scheduler.  ``model``: a
    :class:`~.simulate.CureModel` for the rows instead of the fitted Weibull mixture.
    ``cause``: with competing risks, the cause of interest (default: ``data``'s
    ``cause_of_interest``), planned with the competing deaths simulated (module docstring).
    """
    from ..data.survival_data import SurvivalData
    from ..errors import ConvergenceError, OptionError
    from .lrt import fit_cure_weibull
    from .plan_search import PowerEngine, scheduler_session
    from .simulate import CensoringPattern, CureModel

    from .competing import resolve

    d = data if isinstance(data, SurvivalData) else SurvivalData.from_arrays(data, event)
    d, cause = resolve(d, cause)
    t, e = np.asarray(d.time, float), np.asarray(d.event, bool)
    ms = tuple(float(m) for m in extra_followup)
    if not ms or any(m < 0 or not np.isfinite(m) for m in ms):
        raise OptionError("--extra-followup needs non-negative numbers")
    if sims < 1:
        raise OptionError("--sims must be at least 1")
    target = check_target(target)
    cap = check_cap(cap, d.time_unit, float(t.max()))
    ms = tuple(sorted(set(ms)))
    if scheduler == "default":
        scheduler = "auto" if sims >= LARGE_JOB else "sync"
    if model is None:
        f1, _ = fit_cure_weibull(t, e)
        if not f1.converged:
            raise ConvergenceError("the Weibull mixture cure model did not converge; "
                                   "cannot plan from it")
        pi, shape, scale = (float(np.ravel(v)[0]) for v in f1.natural_parameters())
        model = CureModel(pi, shape, scale)
    rate = dropout_hazard(dropout, d.time_unit)
    meta = {"dropout_per_year": float(dropout)}
    from .competing import other_causes

    if cause is None or not other_causes(d, cause):  # nothing competes
        pattern = CensoringPattern.from_data(t, e, dropout=rate)
    else:
        from .competing import competing_model, tested_phrase

        death, info = competing_model(d, cause, 1.01 * (float(t.max()) + max(cap, ms[-1])))
        anyev = np.array([v is not None for v in d.cause], dtype=bool)
        pattern = CensoringPattern.from_data(t, anyev, dropout=rate, competing=death)
        meta["competing"] = {"cause": cause, "tested": tested_phrase(d, cause),
                             "death_model": info}
    if evidence is None:
        from .evidence import cure_test

        evidence = cure_test(d, reps=reps, seed=seed, eps=eps, progress=progress)
    elif (evidence.tail.n != t.size
          or not np.isclose(evidence.tail.max_followup, float(t.max()))):
        raise OptionError("evidence= is a cure_test result of other data")
    current = current_numbers(evidence)
    if search and scenarios is None:
        from .plan_scenarios import plausible_scenarios

        scenarios = plausible_scenarios(d, 1.01 * (float(t.max()) + cap), models=models)
    n_chunks = -(-int(sims) // int(chunk_size))
    with scheduler_session(scheduler, n_workers, n_chunks) as sched:
        engine = PowerEngine(t, e, pattern, sims=sims, seed=seed, reps=null_reps, eps=eps,
                             alpha=alpha, scheduler=sched, n_workers=n_workers,
                             chunk_size=chunk_size, progress=progress)
        grid = engine.evaluate({0: model}, {0: ms})
        needed = (_needed(engine, scenarios, cap, target, coarse, levels, d.time_unit)
                  if search else None)
    raw = np.array([grid[(0, m)] for m in ms])  # (len(ms), 5)
    return PlanResult(
        extra_followup=ms, p_sufficient=isotonic_increasing(raw[:, 1]),
        p_sufficient_raw=raw[:, 1], p_presence=isotonic_increasing(raw[:, 0]),
        p_presence_raw=raw[:, 0], p_supported=isotonic_increasing(raw[:, 2]),
        ci_width=raw[:, 3], cure_mean=raw[:, 4], sims=int(sims), seed=int(seed),
        model={"dist": "weibull mixture cure", "cure": model.cure, "shape": model.shape,
               "scale": model.scale, "n": int(t.size), "null_reps": int(null_reps)},
        meta={**meta, "passes": engine.passes},
        current=current, time_unit=d.time_unit, alpha=alpha, target=target, needed=needed)


def _needed(engine, scenarios, cap, target, coarse, levels, unit) -> dict:
    """Search every scenario; the no-cure scenario's chance of a wrong 'supported' at the
    extra follow-up the best cure model needs (at the cap when not reached)."""
    from .plan_search import OUTCOMES, search
    from .plan_text import needed_sentence, settled

    models = {i: s.model for i, s in enumerate(scenarios)}

    def evaluate(jobs):
        res = engine.evaluate(models, jobs)
        # power_chunk's columns: presence, follow-up, supported
        return {k: {"presence": v[0], "sufficient_followup": v[1], "supported": v[2]}
                for k, v in res.items()}

    found, points = search(evaluate, len(scenarios), cap, target, coarse=coarse,
                           levels=levels)
    out = []
    for s, f, p in zip(scenarios, found, points):
        mm = sorted(p)
        curve = {"extra_followup": mm}
        for o in OUTCOMES:
            raw = [float(p[m][o]) for m in mm]
            curve[f"p_{o}"] = isotonic_increasing(raw).tolist()
            curve[f"p_{o}_raw"] = raw
        out.append({**s.to_dict(), "sufficient_followup": f["sufficient_followup"],
                    "presence": f["presence"], "curve": curve})
    doc = {"target": target, "sufficient_followup": out[0]["sufficient_followup"],
           "presence": out[0]["presence"], "cap": cap, "resolution": cap / (coarse * 2 ** levels),
           "scenarios": out, "searched_under": out[0]["model"]}
    nc = next((i for i, s in enumerate(scenarios) if s.kind == "no cure"), None)
    if nc is not None:
        at = settled(out[0])
        at = cap if at is None else at
        pts = points[nc]
        if at not in pts:
            pts[at] = evaluate({nc: [at]})[(nc, at)]
        doc["no_cure"] = {"model": out[nc]["model"], "at": at,
                          "p_false_cure": float(pts[at]["supported"])}
    doc["sentence"] = needed_sentence(doc, unit)
    return doc
