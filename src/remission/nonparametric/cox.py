"""Cox proportional-hazards regression (Efron or Breslow ties), by Newton-Raphson.

Matches R's ``coxph`` (coefficients, model-based SEs and log partial likelihoods).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ConvergenceError, DataError, OptionError


@dataclass(frozen=True, eq=False)
class CoxPH:
    names: list
    coef: np.ndarray
    cov: np.ndarray
    loglik_null: float
    loglik: float
    ties: str
    iterations: int
    n: int
    n_events: int

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov))

    @property
    def hazard_ratio(self) -> np.ndarray:
        return np.exp(self.coef)

    def confint(self, level: float = 0.95) -> np.ndarray:
        """Hazard-ratio limits exp(coef +- z se), shape (p, 2)."""
        from scipy.special import ndtri  # = norm.ppf; imported here, not by every KM

        z = ndtri(0.5 + level / 2)
        return np.exp(np.column_stack((self.coef - z * self.se, self.coef + z * self.se)))

    def as_dict(self, level: float = 0.95) -> dict:
        from scipy.special import ndtr  # = norm.cdf

        ci = self.confint(level)
        z = self.coef / self.se
        return {"ties": self.ties, "loglik": [self.loglik_null, self.loglik],
                "terms": [{"name": n, "coef": float(b), "se": float(s),
                           "hazard_ratio": float(np.exp(b)), "lower": float(lo),
                           "upper": float(up), "p": float(2 * ndtr(-abs(zz)))}
                          for n, b, s, (lo, up), zz in zip(self.names, self.coef, self.se, ci, z)]}


def _prepare(time, event, X, strata):
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=bool)
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    s = np.zeros(t.size, dtype=np.int64) if strata is None else np.unique(
        np.asarray(strata, dtype=object).astype(str), return_inverse=True)[1]
    # sort by stratum, then time descending, events before censorings at a tie
    order = np.lexsort((~e, t, s))
    return t[order], e[order], X[order], s[order]


def _pieces(beta, t, e, X, s, ties):
    """Log partial likelihood, gradient and Hessian."""
    p = X.shape[1]
    eta = X @ beta
    eta = eta - eta.max() if eta.size else eta
    r = np.exp(eta)
    ll, grad, hess = 0.0, np.zeros(p), np.zeros((p, p))
    for stratum in np.unique(s):
        m = s == stratum
        ts, es, Xs, rs, etas = t[m], e[m], X[m], r[m], eta[m]
        # risk-set sums: subjects with time >= t; rows sorted ascending by time
        S0 = np.cumsum(rs[::-1])[::-1]
        S1 = np.cumsum((rs[:, None] * Xs)[::-1], axis=0)[::-1]
        S2 = np.cumsum((rs[:, None, None] * Xs[:, :, None] * Xs[:, None, :])[::-1], axis=0)[::-1]
        uniq, first = np.unique(ts, return_index=True)
        ev_idx = np.flatnonzero(es)
        if ev_idx.size == 0:
            continue
        grp = np.searchsorted(uniq, ts[ev_idx])          # distinct-time index of each event
        d = np.bincount(grp, minlength=uniq.size)
        has = d > 0
        fi = first[has]
        dd = d[has]
        R0, R1, R2 = S0[fi], S1[fi], S2[fi]
        # sums over the tied events at each time
        D0 = np.bincount(grp, weights=rs[ev_idx], minlength=uniq.size)[has]
        D1 = np.stack([np.bincount(grp, weights=rs[ev_idx] * Xs[ev_idx, j], minlength=uniq.size)[has]
                       for j in range(p)], axis=1)
        D2 = np.zeros((dd.size, p, p))
        for j in range(p):
            for k in range(j, p):
                v = np.bincount(grp, weights=rs[ev_idx] * Xs[ev_idx, j] * Xs[ev_idx, k],
                                minlength=uniq.size)[has]
                D2[:, j, k] = v
                D2[:, k, j] = v
        # one row per event: fraction l/d for Efron, 0 for Breslow
        rep = np.repeat(np.arange(dd.size), dd)
        if ties == "efron":
            frac = np.concatenate([np.arange(k) / k for k in dd])
        else:
            frac = np.zeros(rep.size)
        den = R0[rep] - frac * D0[rep]
        num1 = R1[rep] - frac[:, None] * D1[rep]
        num2 = R2[rep] - frac[:, None, None] * D2[rep]
        ll += etas[ev_idx].sum() - np.log(den).sum()
        grad += Xs[ev_idx].sum(axis=0) - (num1 / den[:, None]).sum(axis=0)
        a = num1 / den[:, None]
        hess -= (num2 / den[:, None, None]).sum(axis=0) - np.einsum("ni,nj->ij", a, a)
    return ll, grad, hess


def cox_ph(time, event, X, *, names=None, ties: str = "efron", strata=None,
           max_iter: int = 30, tol: float = 1e-9) -> CoxPH:
    """Fit a Cox model; ``X`` is an (n, p) array of covariates (no intercept).

    >>> fit = cox_ph([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 0, 1], [0, 1, 0, 1, 1, 0])
    >>> round(float(fit.coef[0]), 4)  # R: coef(coxph(...)) = -0.2739478
    -0.2739
    """
    ties = str(ties).lower()
    if ties not in ("efron", "breslow"):
        raise OptionError(f"unknown ties method '{ties}' (choose efron or breslow)")
    t, e, Xs, s = _prepare(time, event, X, strata)
    if not e.any():
        raise DataError("no events: a Cox model cannot be fitted", column="event")
    p = Xs.shape[1]
    const = np.flatnonzero(np.ptp(Xs, axis=0) == 0) if t.size else []
    if len(const):
        raise DataError("covariate is constant: its hazard ratio is not estimable",
                        column=(names or [f"x{j}" for j in range(p)])[const[0]])
    center = Xs.mean(axis=0)
    Xc = Xs - center
    beta = np.zeros(p)
    # one _pieces call per accepted Newton step: the log-likelihood, gradient and Hessian at
    # the new point come together (step-halving trials only need the log-likelihood, but each
    # trial point is a candidate for acceptance, so its gradient and Hessian are kept too)
    ll_null, g, H = _pieces(beta, t, e, Xc, s, ties)
    ll_old = ll_null
    it = 0
    converged = False
    for it in range(1, max_iter + 1):
        try:
            step = np.linalg.solve(-H, g)
        except np.linalg.LinAlgError:
            raise ConvergenceError("Cox model: the information matrix is singular") from None
        new = beta + step
        ll_new, g_new, H_new = _pieces(new, t, e, Xc, s, ties)
        halvings = 0
        while ll_new < ll_old - 1e-12 and halvings < 30:
            step /= 2
            new = beta + step
            ll_new, g_new, H_new = _pieces(new, t, e, Xc, s, ties)
            halvings += 1
        beta, g, H = new, g_new, H_new
        if abs(ll_new - ll_old) <= tol * (abs(ll_new) + tol) and np.max(np.abs(step)) < 1e-10:
            ll_old = ll_new
            converged = True
            break
        ll_old = ll_new
    if not converged or not np.all(np.isfinite(beta)):
        raise ConvergenceError("Cox model did not converge (a hazard ratio may be infinite: "
                               "does one group have no events?)")
    cov = np.linalg.inv(-H)
    return CoxPH(list(names) if names is not None else [f"x{j}" for j in range(p)], beta, cov,
                 ll_null, ll_old, ties, it, int(t.size), int(e.sum()))

