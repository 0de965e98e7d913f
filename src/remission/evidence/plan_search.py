r"""How much longer: power against extra follow-up M, and the smallest M reaching a target.

Power.  For a scenario (a generative model, :mod:`.plan_scenarios`) and an extra follow-up M,
``sims`` trials of the observed size are simulated with the trial's own censoring pattern
extended by M (:mod:`.simulate`), and each is decided by the governing tests of the
conclusion rule (:func:`~.decide.decide_batch` against one :func:`~.decide.calibrate` per
scenario and M, in that scenario's world: the calibration each simulated trial's own bootstrap
approximates): the frequencies of "presence shown", "sufficient follow-up shown" and
"conclusion supported".  Trial i draws from the i-th child of ``SeedSequence(seed)``
whatever the scenario, M, pass or scheduler (*common random numbers*), so the estimated curves
are smooth in M and the same seed gives the same numbers everywhere.

Search.  M is searched on the dyadic grid cap * k / K, K = ``coarse`` * 2^``levels``
(resolution h = cap / K): first the ``coarse`` + 1 points 0, cap/coarse, ..., cap for every
scenario, then bisection.  At every step the curve of each outcome is the isotonic
(non-decreasing) fit to the frequencies at the points evaluated so far; its first point at or
above the target and the evaluated point just before it bracket the crossing, and the
midpoint is evaluated next, until the bracket is one grid step wide.  ``needed`` is then the
right end of the bracket: the smallest evaluated M whose fitted power reaches the target, to
within h (plus the Monte Carlo error of the frequencies).  Not reached at the cap: ``None``.
Every bisection step of all scenarios runs as one pass over the trials (one
:func:`remission.parallel.map_chunks`), on Dask when asked; a local cluster is started once
for all passes.
"""
from __future__ import annotations

import contextlib
from functools import partial

import numpy as np

OUTCOMES = ("sufficient_followup", "presence", "supported")
SEARCHED = ("sufficient_followup", "presence")
COARSE = 8
LEVELS = 5  # resolution cap / 256: about 0.9 months when the cap is 20 years


def power_chunk(chunk, models, pairs, pattern, n, cals):
    """Per trial: (len(pairs), 5) = [presence, follow-up, supported, CI width, cure estimate]
    for every (scenario index, M) of ``pairs`` (common random numbers across them)."""
    from .decide import decide_batch
    from .simulate import draw_trials, observe

    out = np.empty((chunk.size, len(pairs), 5))
    drawn = {}
    for k, (i, m) in enumerate(pairs):
        if i not in drawn:
            drawn[i] = draw_trials(chunk, models[i], pattern, n)
        t_ev, fu = drawn[i]
        t, e = observe(t_ev, fu.at(m))
        d = decide_batch(t, e, cals[(i, m)])
        out[:, k, 0] = d.presence
        out[:, k, 1] = d.followup
        out[:, k, 2] = np.asarray(d.conclusion) == 0
        out[:, k, 3] = d.ci_width
        out[:, k, 4] = d.cure
    return list(out)


def calibrate_one(key, *, time, event, reps, seed, eps, alpha, dropout, null_fit,
                  pattern=None):
    """One calibration of the governing tests: ``key`` = (generating model, M);
    ``pattern``: the plan's censoring pattern when it has competing deaths."""
    from .decide import calibrate

    model, m = key
    return calibrate(time, event, extra_followup=m, reps=reps, seed=seed, eps=eps,
                     alpha=alpha, generating=model, dropout=dropout, null_fit=null_fit,
                     pattern=pattern)


class PowerEngine:
    """Simulated power of the governing tests for any scenarios and extra follow-ups."""

    def __init__(self, time, event, pattern, *, sims, seed, reps, eps, alpha,
                 scheduler="sync", n_workers=None, chunk_size=250, progress=False):
        self.t = np.asarray(time, float)
        self.e = np.asarray(event, bool)
        self.pattern, self.sims, self.seed = pattern, int(sims), int(seed)
        self.reps, self.eps, self.alpha = int(reps), float(eps), float(alpha)
        self.scheduler, self.n_workers = scheduler, n_workers
        self.chunk_size, self.progress = int(chunk_size), progress
        self._cals: dict = {}
        self._null_fit = None
        self.passes = 0

    def _calibrate_all(self, wanted) -> None:
        """:func:`~.decide.calibrate` for every (model, M) of ``wanted`` not yet done, in the
        scenario's own world (``generating=model``: what each simulated trial's bootstrap
        approximates), on the session's Dask cluster when there is one (results do not
        depend on where a calibration runs: each is seeded by ``seed`` and M)."""
        todo = [k for k in dict.fromkeys(wanted) if k not in self._cals]
        if not todo:
            return
        if self._null_fit is None:
            from ..distributions import get_distribution
            from ..models import fit_distribution

            self._null_fit = fit_distribution(get_distribution("weibull"), self.t, self.e)
        fn = partial(calibrate_one, time=self.t, event=self.e, reps=self.reps, seed=self.seed,
                     eps=self.eps, alpha=self.alpha, dropout=self.pattern.dropout,
                     null_fit=self._null_fit,
                     pattern=self.pattern if self.pattern.competing is not None else None)
        if self.scheduler in (None, "sync") or len(todo) == 1:
            done = [fn(k) for k in todo]
        else:
            from ..parallel import _client  # the one connection (an unreachable address is
                                            # one "--scheduler: cannot connect" error line)
            client, _ = _client(self.scheduler, self.n_workers)
            try:
                done = client.gather(client.map(fn, todo, pure=False))
            finally:
                client.close()
        self._cals.update(zip(todo, done))

    def evaluate(self, models, jobs: dict) -> dict:
        """``jobs`` {scenario index: [M, ...]} -> {(i, M): array [presence, follow-up,
        supported, mean CI width, mean cure estimate]} (frequencies over the trials)."""
        from ..parallel import map_chunks

        pairs = [(i, float(m)) for i in sorted(jobs) for m in sorted(set(jobs[i]))]
        if not pairs:
            return {}
        self._calibrate_all([(models[i], m) for i, m in pairs])
        cals = {(i, m): self._cals[(models[i], m)] for i, m in pairs}
        fn = partial(power_chunk, models={i: models[i] for i in jobs}, pairs=pairs,
                     pattern=self.pattern, n=self.t.size, cals=cals)
        res = np.array(map_chunks(fn, self.sims, seed=self.seed, chunk_size=self.chunk_size,
                                  scheduler=self.scheduler, n_workers=self.n_workers,
                                  progress=self.progress, description="simulated trials"))
        self.passes += 1
        out = {}
        for k, pair in enumerate(pairs):
            r = res[:, k, :]
            with np.errstate(invalid="ignore"):
                width = np.nanmean(np.where(np.isfinite(r[:, 3]), r[:, 3], np.nan)) \
                    if np.isfinite(r[:, 3]).any() else np.nan
            out[pair] = np.array([r[:, 0].mean(), r[:, 1].mean(), r[:, 2].mean(), width,
                                  r[:, 4].mean()])
        return out


def first_crossing(ms, raw, target: float):
    """Index of the first point of the isotonic fit of ``raw`` at or above ``target``
    (None when none).  ``ms`` sorted.

    >>> first_crossing([0, 1, 2, 3], [0.1, 0.9, 0.7, 0.95], 0.8)
    1
    """
    from .plan_sim import isotonic_increasing

    iso = isotonic_increasing(raw)
    hit = np.nonzero(iso >= target - 1e-12)[0]
    return int(hit[0]) if hit.size else None


def search(evaluate, n_scenarios: int, cap: float, target: float, *, coarse: int = COARSE,
           levels: int = LEVELS, outcomes=SEARCHED):
    """Smallest M in [0, cap] where each outcome's power reaches ``target``, per scenario.

    ``evaluate({i: [M, ...]}) -> {(i, M): {outcome: frequency}}``.  Returns
    ``(needed, points)``: ``needed[i][outcome]`` = M or None, ``points[i]`` = {M: {outcome:
    frequency}} of every evaluated M (see the module doc for the algorithm).

    >>> f = lambda jobs: {(i, m): {"x": 1 - np.exp(-m / 50)} for i in jobs for m in jobs[i]}
    >>> needed, _ = search(f, 1, 240.0, 0.8, outcomes=("x",))
    >>> needed[0]["x"]   # crossing -50 log(0.2) = 80.47; resolution 240 / 256 = 0.9375
    80.625
    """
    big = coarse * 2 ** levels
    at = lambda k: cap * k / big  # noqa: E731
    pts: list[dict] = [dict() for _ in range(n_scenarios)]  # k -> {outcome: frequency}
    needed: list[dict] = [dict() for _ in range(n_scenarios)]
    jobs = {i: [k * 2 ** levels for k in range(coarse + 1)] for i in range(n_scenarios)}
    while jobs:
        res = evaluate({i: [at(k) for k in ks] for i, ks in jobs.items()})
        for i, ks in jobs.items():
            for k in ks:
                pts[i][k] = res[(i, at(k))]
        jobs = {}
        for i in range(n_scenarios):
            ks = sorted(pts[i])
            for o in outcomes:
                b = first_crossing(ks, [pts[i][k][o] for k in ks], target)
                if b is None:
                    needed[i][o] = None
                elif b == 0 or ks[b] - ks[b - 1] <= 1:
                    needed[i][o] = at(ks[b])
                else:
                    jobs.setdefault(i, set()).add((ks[b - 1] + ks[b]) // 2)
                    needed[i].pop(o, None)
        jobs = {i: sorted(v) for i, v in jobs.items()}
    return needed, [{at(k): v for k, v in sorted(p.items())} for p in pts]


@contextlib.contextmanager
def scheduler_session(scheduler, n_workers=None, n_chunks: int = 1):
    """A scheduler for several passes: a local Dask cluster (``"local"``, or ``"auto"`` with
    more than one chunk) or a threaded one (``"threads"``) is started once and addressed by
    every pass; other schedulers are passed through."""
    mode = scheduler or "sync"
    if mode == "auto":
        mode = "sync" if n_chunks <= 1 else "local"
    if mode not in ("local", "threads"):
        yield mode
        return
    import os

    from dask.distributed import LocalCluster

    workers = int(n_workers or os.cpu_count() or 1)
    kw = (dict(n_workers=workers, threads_per_worker=1, processes=True) if mode == "local"
          else dict(n_workers=1, threads_per_worker=workers, processes=False))
    from ..parallel import sigint_ignored

    with sigint_ignored():  # Ctrl-C: one line from this process, none from the workers
        cluster = LocalCluster(dashboard_address=":0", **kw)
    try:
        yield cluster.scheduler_address
    finally:
        with sigint_ignored():
            cluster.close()
