"""Maximisation of the censored likelihood on the unconstrained scale.

BFGS with the exact (or per-observation numerical) gradient from data-driven starting
values, then Newton steps with a finite-difference Hessian of the gradient to polish the
optimum to machine precision; convergence is declared only when the Newton decrement is tiny
and the Hessian negative definite.  Covariate columns are centred and scaled internally.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from .likelihood import Layout, SurvivalArrays, loglik


@dataclass
class OptimResult:
    beta: np.ndarray
    loglik: float
    hessian: np.ndarray  # of the log-likelihood (negative definite at a maximum)
    converged: bool
    iterations: int
    message: str


def _standardizer(layout: Layout):
    """Affine map beta = A gamma + c0 that centres/scales non-intercept design columns."""
    p = layout.n_coef
    A = np.eye(p)
    for X, s in zip(layout.designs, layout.slices):
        if X is None or X.shape[1] < 2:
            continue
        m = X[:, 1:].mean(axis=0)
        sd = X[:, 1:].std(axis=0)
        sd = np.where(sd > 0, sd, 1.0)
        i0 = s.start
        for c in range(1, X.shape[1]):
            # eta = b0 + sum b_c x_c = g0 + sum g_c (x_c - m_c) / sd_c
            A[i0 + c, i0 + c] = 1.0 / sd[c - 1]
            A[i0, i0 + c] = -m[c - 1] / sd[c - 1]
    return A


def fd_hessian(gradfun, x, step=1e-5):
    p = x.size
    Hs = np.empty((p, p))
    for i in range(p):
        h = step * (1 + abs(x[i]))
        e = np.zeros(p)
        e[i] = h
        Hs[:, i] = (gradfun(x + e) - gradfun(x - e)) / (2 * h)
    return 0.5 * (Hs + Hs.T)


def maximize(layout: Layout, data: SurvivalArrays, starts, max_newton: int = 30,
             objective=None) -> OptimResult:
    """Maximise the log-likelihood from each start (coefficient vectors); keep the best.
    ``objective(beta) -> (loglik, gradient)``: another log-likelihood of ``layout.n_coef``
    coefficients maximised the same way (default: the censored likelihood of ``data``)."""
    A = _standardizer(layout)
    Ainv = np.linalg.inv(A)
    scale = 1.0 / max(data.total_weight, 1.0)

    def negll(g):
        v, gr = (loglik(layout, A @ g, data, gradient=True) if objective is None
                 else objective(A @ g))
        if not np.isfinite(v):
            return np.inf, np.zeros_like(g)
        return -v * scale, -(A.T @ gr) * scale

    def grad(g):
        return -negll(g)[1] / scale

    best = None
    n_iter = 0
    for b0 in starts:
        g0 = Ainv @ np.asarray(b0, dtype=float)
        f0 = negll(g0)[0]
        if not np.isfinite(f0):
            continue
        try:
            r = optimize.minimize(negll, g0, jac=True, method="BFGS",
                                  options={"gtol": 1e-7, "maxiter": 500})
        except (ValueError, FloatingPointError, np.linalg.LinAlgError):
            continue
        n_iter += int(r.nit)
        if np.isfinite(r.fun) and (best is None or r.fun < best[1]):
            best = (r.x, r.fun)
    if best is None:
        return OptimResult(np.asarray(starts[0], dtype=float), -np.inf,
                           np.full((layout.n_coef,) * 2, np.nan), False, n_iter,
                           "the likelihood is not finite at any starting value")
    g, f = best
    converged = False
    message = "Newton polishing did not converge"
    Hs = None
    for _ in range(max_newton):
        Hs = fd_hessian(lambda x: -negll(x)[1], g)  # Hessian of ll*scale
        gr = -negll(g)[1]
        try:
            w, V = np.linalg.eigh(Hs)
        except np.linalg.LinAlgError:
            message = "the Hessian could not be computed"
            break
        if not np.all(np.isfinite(w)):
            message = "the Hessian is not finite"
            break
        # Newton direction on a negative definite modification of the Hessian
        wm = np.where(w < 0, w, -np.maximum(np.abs(w), 1e-8))
        step = -(V @ ((V.T @ gr) / wm))
        decrement = float(gr @ step)  # = -gr H^-1 gr >= 0
        if np.all(w < 0) and decrement < 1e-14 * max(1.0, abs(f)) + 1e-18:
            converged = True
            message = "converged"
            # take the (tiny) final Newton step too: quadratic convergence makes it exact
            fnew = negll(g + step)[0]
            if fnew <= f + 1e-15 * abs(f):
                g, f = g + step, fnew
            break
        # backtracking line search
        tstep = 1.0
        fnew = negll(g + step)[0]
        while not (fnew <= f + 1e-15 * abs(f)) and tstep > 1e-6:
            tstep *= 0.5
            fnew = negll(g + tstep * step)[0]
        if not np.isfinite(fnew) or tstep <= 1e-6:
            # cannot improve: at the optimum to working precision?
            if np.all(w < 0) and decrement < 1e-9:
                converged = True
                message = "converged (line search at working precision)"
            else:
                message = "line search failed"
            break
        g = g + tstep * step
        f = fnew
        n_iter += 1
    if Hs is None or not converged:
        Hs = fd_hessian(lambda x: -negll(x)[1], g)
    if converged:
        Hs = fd_hessian(lambda x: -negll(x)[1], g)
        if not np.all(np.linalg.eigvalsh(Hs) < 0):
            converged = False
            message = "the Hessian is not negative definite at the optimum"
    beta = A @ g
    # Hessian in beta coordinates: d2/dbeta2 = Ainv^T H_g Ainv, undo the scaling by 1/N
    H_beta = Ainv.T @ Hs @ Ainv / scale
    return OptimResult(beta, -f / scale, H_beta, converged, n_iter, message)
