r"""Semi-parametric mixture cure model with a Cox proportional-hazards latency.

The model of Peng & Dear (2000, Biometrics 56:237) and Sy & Taylor (2000, Biometrics
56:227), as fitted by R's ``smcure`` (Cai et al. 2012):

    S(t | x, z) = pi(z) + (1 - pi(z)) S_0(t)^{exp(x' beta)},   pi(z) = expit(z' b)

with S_0 an unspecified baseline survival of the uncured.  Note the sign convention: ``b``
models the *cure* probability (smcure's ``b`` models the uncured probability, so its
coefficients are ours with the opposite sign).

EM algorithm (smcure's ``em``): with w_i the posterior probability that subject i is uncured,

* E-step  w_i = d_i + (1 - d_i) (1 - pi_i) S_u(t_i) / (pi_i + (1 - pi_i) S_u(t_i));
* M-step  b: logistic regression of the fractional responses 1 - w on z;  beta: Cox partial
  likelihood with offsets log w (risk sets weighted by w); S_0: the Breslow estimator with the
  same weights, set to 0 after the last event time (the "zero-tail" constraint that identifies
  the cure fraction).

Standard errors by the bootstrap, resampling events and censored subjects separately as
smcure does.  All replicates are fitted *at once*: the EM iterations run on a leading
replicate axis with the bootstrap counts as case weights (the full-data fit is the replicate
with unit weights), so a bootstrap costs a few vectorised EM runs, not a Python loop.  The
bootstrap takes one Newton step per M-step from the previous iterate (an ECM with the
fixed point and stopping rule of the EM), warm-started at the full-data estimate, and drops
replicates from the batch as they converge.

This module is the EM core; :mod:`.cox_fit` fits and bootstraps it, :mod:`.cox_result` holds
the fitted :class:`~.cox_result.CoxCureFit`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

EM_MAX = 1000
EM_TOL = 1e-8


def _revcumsum(a, axis):
    return np.flip(np.cumsum(np.flip(a, axis=axis), axis=axis), axis=axis)


@dataclass
class _Sorted:
    time: np.ndarray
    event: np.ndarray
    Z: np.ndarray       # (n, q) incidence design, intercept first
    X: np.ndarray       # (n, p) latency covariates (no intercept), maybe p = 0
    first: np.ndarray   # index of the first member of each subject's tie group
    order: np.ndarray


def _prepare(time, event, Z, X) -> _Sorted:
    order = np.argsort(time, kind="stable")
    t = np.asarray(time, float)[order]
    d = np.asarray(event, float)[order]
    # first index of each tie group (risk set = everyone with time >= t)
    first = np.searchsorted(t, t, side="left")
    return _Sorted(t, d, Z[order], X[order], first, order)


def em_batch(s: _Sorted, C, b0=None, beta0=None, max_iter=EM_MAX, tol=EM_TOL, newton=None):
    """EM for R replicates with case weights C (R, n).  Returns dict of arrays.

    ``newton=None`` solves each M-step to convergence (smcure's EM; the full-data fit);
    ``newton=1`` takes one Newton step of the logistic and of the Cox partial likelihood per
    iteration from the previous iterate (an ECM: same fixed point, same convergence rule
    ``change < tol``; used by the bootstrap, whose warm starts make the M-steps small).
    Replicates leave the batch as they converge (an active set), so the cost is the sum of
    the replicates' iterations, not the slowest one's times R; each replicate's path does not
    depend on which others share its batch (up to rounding order, ~1e-16, when a batch
    shrinks to one row; the same chunks give the same bits on any scheduler).
    """
    R, n = C.shape
    q = s.Z.shape[1]
    p = s.X.shape[1]
    d = s.event
    Cd = C * d[None, :]
    # last event time per replicate (zero tail beyond it)
    has = Cd > 0
    last = np.where(has.any(axis=1), np.max(np.where(has, s.time[None, :], -np.inf), axis=1),
                    np.inf)
    tail = s.time[None, :] > last[:, None]
    w = np.repeat(d[None, :], R, axis=0).astype(float)
    b = np.zeros((R, q)) if b0 is None else np.array(b0, float).reshape(R, q)
    beta = np.zeros((R, p)) if beta0 is None else np.array(beta0, float).reshape(R, p)
    if b0 is None:
        b = _logistic(s.Z, C, 1 - w, b)
    if beta0 is None and p:
        beta = _cox(s, C, np.maximum(w, 1e-300), beta)
    H0 = _breslow(s, C, w, beta, tail)
    lg_iters, cox_iters = (50, 30) if newton is None else (int(newton), int(newton))
    conv = np.zeros(R, bool)
    iters = np.zeros(R, int)
    act = np.arange(R)                      # the replicates still iterating
    Ca, ta, ba, bta, Ha = C, tail, b.copy(), beta.copy(), H0
    evt = d[None, :] > 0
    for it in range(1, max_iter + 1):
        if not act.size:
            break
        pi = expit(s.Z @ ba.T).T if q else np.zeros((act.size, n))
        lp = (s.X @ bta.T).T if p else np.zeros((act.size, n))
        with np.errstate(over="ignore", invalid="ignore"):
            Su = np.exp(-Ha * np.exp(lp))
        num = (1 - pi) * Su
        den = pi + num
        wa = np.where(evt, 1.0, np.where(den > 0, num / np.where(den > 0, den, 1), 0.0))
        b_new = _logistic(s.Z, Ca, 1 - wa, ba, lg_iters)
        beta_new = _cox(s, Ca, wa, bta, cox_iters) if p else bta
        H_new = _breslow(s, Ca, wa, beta_new, ta)
        fin = np.where(np.isfinite(H_new), H_new, 0.0)
        fin_old = np.where(np.isfinite(Ha), Ha, 0.0)
        change = np.maximum(np.max(np.abs(b_new - ba), axis=1),
                            np.max(np.abs(np.exp(-fin) - np.exp(-fin_old)), axis=1))
        if p:
            change = np.maximum(change, np.max(np.abs(beta_new - bta), axis=1))
        ba, bta, Ha = b_new, beta_new, H_new
        b[act], beta[act], H0[act], w[act] = ba, bta, Ha, wa
        iters[act] = it
        done = change < tol
        if done.any():
            conv[act[done]] = True
            keep = ~done
            act = act[keep]
            Ca, ta, ba, bta, Ha = Ca[keep], ta[keep], ba[keep], bta[keep], Ha[keep]
    return {"b": b, "beta": beta, "H0": H0, "w": w, "converged": conv,
            "iterations": int(iters.max(initial=0)), "replicate_iterations": iters,
            "tail": tail}


def _logistic(Z, C, y, b, iters=50):
    """Weighted logistic regression of fractional y on Z for every replicate (Newton; a row
    stops when its step is below 1e-12, independently of the other rows)."""
    done = np.zeros(b.shape[0], bool)
    for _ in range(iters):
        eta = (Z @ b.T).T
        mu = expit(eta)
        g = np.einsum("rn,nq->rq", C * (y - mu), Z)
        W = C * mu * (1 - mu)
        Hm = np.einsum("rn,nq,nk->rqk", W, Z, Z) + 1e-12 * np.eye(Z.shape[1])
        step = np.linalg.solve(Hm, g[..., None])[..., 0]
        step = np.where(done[:, None], 0.0, np.clip(step, -5, 5))
        b = b + step
        done = done | (np.max(np.abs(step), axis=1) < 1e-12)
        if done.all():
            break
    return b


def _cox(s: _Sorted, C, w, beta, iters=30):
    """Cox partial likelihood (Breslow ties) with risk-set weights C w, per replicate."""
    X = s.X
    d = s.event
    Cd = C * d[None, :]
    done = np.zeros(beta.shape[0], bool)
    for _ in range(iters):
        e = C * w * np.exp(np.clip((X @ beta.T).T, -700, 700))
        S0 = _revcumsum(e, 1)[:, s.first]
        S1 = _revcumsum(e[:, :, None] * X[None], 1)[:, s.first]
        S2 = _revcumsum(e[:, :, None, None] * (X[:, :, None] * X[:, None, :])[None], 1)[:, s.first]
        with np.errstate(invalid="ignore", divide="ignore"):
            m = np.where(S0[..., None] > 0, S1 / S0[..., None], 0.0)
            g = np.einsum("rn,rnk->rk", Cd, X[None] - m)
            V = np.where(S0[..., None, None] > 0, S2 / S0[..., None, None], 0.0) \
                - m[..., :, None] * m[..., None, :]
        Hm = np.einsum("rn,rnkl->rkl", Cd, V) + 1e-10 * np.eye(X.shape[1])
        step = np.linalg.solve(Hm, g[..., None])[..., 0]
        step = np.where(done[:, None], 0.0, np.clip(step, -2, 2))
        beta = beta + step
        done = done | (np.max(np.abs(step), axis=1) < 1e-12)
        if done.all():
            break
    return beta


def _breslow(s: _Sorted, C, w, beta, tail):
    """Cumulative baseline hazard at each (sorted) subject's time; inf after the last event."""
    lp = (s.X @ beta.T).T if s.X.shape[1] else 0.0
    e = C * w * np.exp(lp)
    S0 = _revcumsum(e, 1)[:, s.first]
    Cd = C * s.event[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        jump = np.where(Cd > 0, Cd / S0, 0.0)
    H = np.cumsum(jump, axis=1)
    # ties: everyone in a tie group gets the hazard including all the group's events
    last_of_group = np.searchsorted(s.time, s.time, side="right") - 1
    H = H[:, last_of_group]
    return np.where(tail, np.inf, H)
