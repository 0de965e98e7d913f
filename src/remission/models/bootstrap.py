"""Fast, reproducible bootstrap of any fitted model with a coefficient layout (parametric and
parametric cure families): batched, vectorised Newton refits.

Each replicate is one task of :func:`remission.parallel.map_chunks` (its own seed: the
``i``-th child of ``SeedSequence(seed)``), so the numbers for a seed do not depend on the chunk
size, the scheduler or the number of Dask workers.

Within a chunk all replicates are refitted *at once*:

* nonparametric bootstrap: replicate r is the original data with weights W[r] = multinomial
  resampling counts (times any case weights);  parametric bootstrap: new times and events are
  simulated from the fitted model (cure status, latency from the base quantile function) with
  censoring times drawn from the reverse Kaplan-Meier estimate of the censoring distribution
  (times beyond its support are censored at the last follow-up);
* every replicate starts from the full-data estimate (a warm start: replicate estimates are
  within a few standard errors of it) and takes damped Newton steps, all replicates in one set
  of (R, n) array operations: the exact gradient from the families' analytic derivatives and
  the Hessian by central differences of that gradient (2p more gradient passes);
* a replicate has converged when its Newton decrement is below 1e-9 with a negative-definite
  Hessian.  Replicates that do not converge within the iteration limit are counted and
  excluded (reported as ``failed``), never silently used.  A model may pass a ``boundary``
  hook (the cure models do, :mod:`remission.models.cure.bootstrap`): rows it flags stop early
  and are refitted at a parameter's boundary, kept and counted as ``boundary``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from ..errors import OptionError
from ..parallel import map_chunks
from .likelihood import contributions

MAX_NEWTON = 40
DECREMENT_TOL = 1e-9


@dataclass(frozen=True)
class BootstrapResult:
    """Replicate coefficients (``coefs``: the usable ones, (R_ok, p)) and bookkeeping."""

    coefs: np.ndarray
    all_coefs: np.ndarray
    status: np.ndarray  # 0 converged, 1 boundary (kept), 2 failed (excluded)
    reps: int
    seed: int
    kind: str

    @property
    def n_failed(self) -> int:
        return int(np.sum(self.status == 2))

    @property
    def n_boundary(self) -> int:
        return int(np.sum(self.status == 1))

    def to_dict(self) -> dict:
        return {"type": self.kind, "reps": self.reps, "seed": self.seed,
                "used": int(self.coefs.shape[0]), "failed": self.n_failed,
                "boundary": self.n_boundary,
                "note": "percentile intervals over the converged replicates; failed "
                        "replicates are excluded and counted"}


@dataclass(frozen=True, eq=False)
class Problem:
    """What a chunk needs: the layout, the data arrays and the full-data estimate."""

    layout: object
    time: np.ndarray
    event: np.ndarray
    entry: np.ndarray | None
    weights: np.ndarray | None
    bhazard: np.ndarray | None
    beta0: np.ndarray
    kind: str
    cens_time: np.ndarray | None = None  # reverse-KM support (parametric)
    cens_cdf: np.ndarray | None = None
    tmax: float = 0.0
    #: optional hook with ``stop(B)`` (rows run to a boundary) and
    #: ``refit(problem, B, status, ll, T, D, W)`` (those rows refitted at the boundary)
    boundary: object | None = None
    max_iter: int = MAX_NEWTON


# ---------------------------------------------------------------------- batched likelihood
def batched_loglik(layout, B, T, D, W, entry=None, bhazard=None, gradient=True):
    """Log-likelihood (R,) and gradient (R, p) of coefficient rows B (R, p).

    The same per-observation terms as every fit (:func:`.likelihood.contributions`) and the
    same coefficient-to-parameter map (:meth:`.likelihood.Layout.linear_predictors`), summed
    per replicate row.

    T, D: times and events, (n,) or (R, n); W: weights (R, n) or None.
    """
    dist = layout.dist
    bij = dist.bijections()
    R = B.shape[0]
    etas = layout.linear_predictors(B)
    thetas = [b.forward(e) for b, e in zip(bij, etas)]
    with np.errstate(all="ignore"):
        terms, scores = contributions(dist, thetas, T, D, entry, bhazard, gradient)
        terms = np.broadcast_to(terms, (R,) + np.shape(T)[-1:])
        ll = np.sum(terms if W is None else W * terms, axis=1)
        if not gradient:
            return np.where(np.isfinite(ll), ll, -np.inf)
        G = np.zeros(B.shape)
        for j, (X, f, s) in enumerate(zip(layout.designs, layout.fixed, layout.slices)):
            if f is not None:
                continue
            g = scores[j] * bij[j].jacobian(etas[j], thetas[j])
            g = np.broadcast_to(g, terms.shape)
            if W is not None:
                g = W * g
            if X is None:
                G[:, s.start] = np.sum(g, axis=1)
            else:
                G[:, s] = np.einsum("rn,nc->rc", g, X)
    ok = np.isfinite(ll) & np.all(np.isfinite(G), axis=1)
    ll = np.where(ok, ll, -np.inf)
    G = np.where(ok[:, None], G, np.nan)
    return ll, G


def batched_newton(layout, B0, T, D, W, entry=None, bhazard=None, max_iter=MAX_NEWTON,
                   stop=None):
    """Damped Newton from B0 (R, p) for every replicate at once.

    ``stop(B)`` (optional) flags rows to stop early (e.g. a cure fraction run to its
    boundary).  Returns (B, loglik, converged mask, decrement)."""
    B = np.array(B0, dtype=float, copy=True)
    R, p = B.shape
    ll, G = batched_loglik(layout, B, T, D, W, entry, bhazard)
    conv = np.zeros(R, bool)
    dec = np.full(R, np.inf)
    active = np.isfinite(ll)
    for _ in range(max_iter):
        if stop is not None:
            active &= ~stop(B)
        idx = np.flatnonzero(active & ~conv)
        if idx.size == 0:
            break
        Bi, Gi, lli = B[idx], G[idx], ll[idx]
        Ti = T if np.ndim(T) == 1 else T[idx]
        Di = D if np.ndim(D) == 1 else D[idx]
        Wi = None if W is None else W[idx]
        Hs = np.empty((idx.size, p, p))
        for k in range(p):
            # forward differences of the exact gradient: Hessian error ~1e-8 relative, which
            # only affects the Newton step's rate, not the converged estimate
            h = 1e-6 * (1 + np.abs(Bi[:, k]))
            E = np.zeros_like(Bi)
            E[:, k] = h
            _, gp = batched_loglik(layout, Bi + E, Ti, Di, Wi, entry, bhazard)
            Hs[:, :, k] = (gp - Gi) / h[:, None]
        Hs = 0.5 * (Hs + np.transpose(Hs, (0, 2, 1)))
        good = np.all(np.isfinite(Hs), axis=(1, 2)) & np.all(np.isfinite(Gi), axis=1)
        Hs[~good] = -np.eye(p)
        Gi = np.where(good[:, None], Gi, 0.0)
        w, V = np.linalg.eigh(Hs)
        negdef = np.all(w < 0, axis=1) & good
        wm = np.where(w < 0, w, -np.maximum(np.abs(w), 1e-8))
        step = -np.einsum("rij,rj->ri", V, np.einsum("rji,rj->ri", V, Gi) / wm)
        d = np.einsum("ri,ri->r", Gi, step)
        dec[idx] = d
        done = negdef & (d < DECREMENT_TOL)
        # take the (tiny) last step too
        t = np.ones(idx.size)
        newB = Bi + step
        newll = batched_loglik(layout, newB, Ti, Di, Wi, entry, bhazard, gradient=False)
        for _h in range(30):
            worse = ~(newll >= lli - 1e-12 * np.abs(lli)) & ~done
            if not worse.any():
                break
            t = np.where(worse, 0.5 * t, t)
            newB = Bi + t[:, None] * step
            sub = np.flatnonzero(worse)
            Tw = Ti if np.ndim(Ti) == 1 else Ti[sub]
            Dw = Di if np.ndim(Di) == 1 else Di[sub]
            newll[sub] = batched_loglik(layout, newB[sub], Tw, Dw,
                                        None if Wi is None else Wi[sub], entry, bhazard,
                                        gradient=False)
        stuck = ~(newll >= lli - 1e-12 * np.abs(lli))
        newB[stuck] = Bi[stuck]
        # working precision: no further progress possible at a negative-definite maximum
        done = done | (stuck & negdef & (d < 1e-6))
        llg, Gg = batched_loglik(layout, newB, Ti, Di, Wi, entry, bhazard)
        B[idx], ll[idx], G[idx] = newB, llg, Gg
        conv[idx] = done
        active[idx] = np.isfinite(llg) & ~(stuck & ~done)
    return B, ll, conv, dec


# ---------------------------------------------------------------------- replicate data
def _reverse_km(time, event):
    """Support and cdf of the censoring distribution (reverse Kaplan-Meier)."""
    t = np.asarray(time, float)
    c = ~np.asarray(event, bool)
    order = np.lexsort((~c, t))  # at ties, events (censoring 'survivors') first
    t, c = t[order], c[order]
    n = t.size
    at_risk = n - np.arange(n)
    surv = np.cumprod(np.where(c, 1 - 1 / at_risk, 1.0))
    ct = t[c]
    return ct, 1 - surv[c]


def _simulate(problem: Problem, rng, theta):
    """One parametric replicate: times and events (n,)."""
    dist = problem.layout.dist
    n = problem.time.size
    u = rng.random(n)
    v = rng.random(n)
    kind = getattr(dist, "kind", None)
    if kind is None:  # a family without cure: every patient has an event time
        th = [np.broadcast_to(x, (n,)) for x in theta]
        t = np.asarray(dist.quantile(th, u), dtype=float)
        return _censor(problem, t, v)
    pi = np.broadcast_to(theta[0], (n,))
    base_th = [np.broadcast_to(x, (n,)) for x in theta[1:]]
    if kind == "mixture":
        uncured = u >= pi
        p = np.where(uncured, (u - pi) / (1 - pi), 0.5)
    else:
        # S = pi^F_u: T > t iff U' < ... ; with U = 1 - S(T): F_u = log(1 - U) / log(pi)
        s = 1 - u
        uncured = s > pi
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.where(uncured, np.log(s) / np.log(pi), 0.5)
    tu = np.asarray(dist.base.quantile(base_th, np.clip(p, 0, 1)), dtype=float)
    return _censor(problem, np.where(uncured, tu, np.inf), v)


def _censor(problem: Problem, t, v):
    """Censor event times ``t`` by draws (uniforms ``v``) from the reverse Kaplan-Meier."""
    n = t.size
    if problem.cens_time is not None and problem.cens_time.size:
        k = np.searchsorted(problem.cens_cdf, v, side="left")
        c = np.where(k < problem.cens_time.size,
                     problem.cens_time[np.minimum(k, problem.cens_time.size - 1)], problem.tmax)
    else:
        c = np.full(n, problem.tmax)
    t = np.maximum(t, 1e-12 * problem.tmax)
    obs = np.minimum(t, c)
    return obs, (t <= c).astype(float)


def _chunk(problem: Problem, chunk):
    """Refit all replicates of a chunk; returns per-task (coef, status)."""
    lay = problem.layout
    n = problem.time.size
    R = chunk.size
    rngs = chunk.rngs()
    B0 = np.repeat(problem.beta0[None, :], R, axis=0)
    if problem.kind == "nonparametric":
        W = np.empty((R, n))
        for r, g in enumerate(rngs):
            W[r] = g.multinomial(n, np.full(n, 1.0 / n))
        if problem.weights is not None:
            W = W * problem.weights[None, :]
        T, D = problem.time, problem.event
    else:
        theta = [np.asarray(b.forward(e), dtype=float) for b, e in
                 zip(lay.dist.bijections(), lay.eta(problem.beta0))]
        T = np.empty((R, n))
        D = np.empty((R, n))
        for r, g in enumerate(rngs):
            T[r], D[r] = _simulate(problem, g, theta)
        W = None if problem.weights is None else np.repeat(problem.weights[None, :], R, 0)
    hook = problem.boundary
    B, ll, conv, _ = batched_newton(lay, B0, T, D, W, problem.entry, problem.bhazard,
                                    max_iter=problem.max_iter,
                                    stop=None if hook is None else hook.stop)
    status = np.where(conv, 0, 2)
    if hook is not None:
        B, status = hook.refit(problem, B, status, ll, T, D, W)
    return [(B[r], int(status[r])) for r in range(R)]


def bootstrap_fit(fit, data, *, reps=1000, seed=None, kind="nonparametric", scheduler=None,
                  chunk_size=None, n_workers=None, progress=False, bhazard=None,
                  max_iter=MAX_NEWTON, boundary=None) -> BootstrapResult:
    """Bootstrap any fitted model with a coefficient layout (a
    :class:`~remission.models.result.ParametricFit`, or the fit inside a cure model):
    batched, warm-started Newton refits of every replicate (see the module docstring).
    ``seed`` is required; ``boundary``: the optional hook described in :class:`Problem`."""
    if seed is None:
        raise OptionError("the bootstrap needs a seed (--seed) to be reproducible")
    if kind not in ("nonparametric", "parametric"):
        raise OptionError("bootstrap kind must be 'nonparametric' or 'parametric'")
    lay = fit.layout
    entry = None if data.entry is None or not np.any(np.asarray(data.entry) > 0) else \
        np.asarray(data.entry, dtype=float)
    if kind == "parametric" and (entry is not None or bhazard is not None or
                                 any(X is not None for X in lay.designs)):
        raise OptionError("the parametric bootstrap is available for models without "
                          "covariates, delayed entry or background hazards; use the "
                          "nonparametric bootstrap")
    time = np.asarray(data.time, dtype=float)
    event = np.asarray(data.event, dtype=float)
    ct = cc = None
    if kind == "parametric":
        ct, cc = _reverse_km(time, event)
    problem = Problem(lay, time, event, entry,
                      None if data.weights is None else np.asarray(data.weights, float),
                      None if bhazard is None else np.asarray(bhazard, float),
                      np.asarray(fit.coef, float), kind, ct, cc, float(time.max()),
                      boundary, int(max_iter))
    out = map_chunks(partial(_chunk, problem), int(reps), seed=seed, chunk_size=chunk_size,
                     scheduler=scheduler, n_workers=n_workers, progress=progress,
                     description="bootstrap refits")
    allc = np.array([o[0] for o in out]).reshape(int(reps), lay.n_coef)
    status = np.array([o[1] for o in out], dtype=int)
    usable = int(np.sum(status < 2))
    if usable < 2:
        from ..errors import ConvergenceError

        raise ConvergenceError(f"only {usable} of {int(reps)} bootstrap replicates could be "
                               "refitted: no bootstrap interval can be formed (use more "
                               "replicates, or --ci delta)")
    return BootstrapResult(allc[status < 2], allc, status, int(reps), int(seed), kind)
