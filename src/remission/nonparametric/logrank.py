"""Log-rank test for k groups, optionally stratified (R's ``survdiff`` with rho = 0)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import DataError


@dataclass(frozen=True)
class LogRank:
    levels: list
    observed: np.ndarray
    expected: np.ndarray
    variance: np.ndarray
    chisq: float
    df: int
    p: float

    def as_dict(self) -> dict:
        return {"chisq": self.chisq, "df": self.df, "p": self.p, "levels": list(self.levels),
                "observed": self.observed.tolist(), "expected": self.expected.tolist()}


def _one_stratum(t, e, g, k):
    order = np.argsort(t, kind="stable")
    t, e, g = t[order], e[order], g[order]
    uniq, start = np.unique(t, return_index=True)
    n = t.size
    # at-risk per group at each distinct time = members with time >= t
    onehot = np.zeros((n, k))
    onehot[np.arange(n), g] = 1.0
    at_risk = np.cumsum(onehot[::-1], axis=0)[::-1][start]          # (m, k)
    d_g = np.add.reduceat(onehot * e[:, None], start, axis=0)         # (m, k)
    d = d_g.sum(axis=1)
    nr = at_risk.sum(axis=1)
    keep = d > 0
    at_risk, d_g, d, nr = at_risk[keep], d_g[keep], d[keep], nr[keep]
    frac = at_risk / nr[:, None]
    exp_g = (d[:, None] * frac).sum(axis=0)
    obs_g = d_g.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(nr > 1, d * (nr - d) / (nr - 1), 0.0)
    V = np.einsum("m,mi,mj->ij", c, frac, frac)
    V = np.diag((c[:, None] * frac).sum(axis=0)) - V
    return obs_g, exp_g, V


def logrank_test(time, event, group, strata=None) -> LogRank:
    """Compare k groups' survival; returns chi-square on k-1 df, observed and expected counts.

    Rows with a missing group are dropped beforehand by the caller (as R does).
    """
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=bool)
    grp = np.asarray(group, dtype=object)
    levels = sorted({v for v in grp}, key=lambda s: (0, float(s), "") if _isnum(s) else (1, 0.0, str(s)))
    if len(levels) < 2:
        raise DataError("the log-rank test needs at least two groups", column="group")
    code = np.array([levels.index(v) for v in grp])
    k = len(levels)
    O = np.zeros(k)
    E = np.zeros(k)
    V = np.zeros((k, k))
    strata_vals = [None] if strata is None else sorted(set(np.asarray(strata, dtype=object)), key=str)
    for s in strata_vals:
        m = np.ones(t.size, dtype=bool) if s is None else (np.asarray(strata, dtype=object) == s)
        o, ex, v = _one_stratum(t[m], e[m], code[m], k)
        O += o
        E += ex
        V += v
    diff = (O - E)[:-1]
    Vr = V[:-1, :-1]
    df = int(np.linalg.matrix_rank(Vr))
    stat = float(diff @ np.linalg.pinv(Vr) @ diff) if df > 0 else 0.0
    from scipy.special import chdtrc  # = scipy.stats.chi2.sf(x, df) as chdtrc(df, x)

    return LogRank(levels, O, E, V, stat, df, float(chdtrc(df, stat)) if df > 0 else float("nan"))


def _isnum(s) -> bool:
    try:
        float(s)
        return True
    except (TypeError, ValueError):
        return False
