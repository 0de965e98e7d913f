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
with unit weights), so a bootstrap costs a few vectorised EM runs, not a Python loop.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit
from scipy.stats import norm

from ...errors import OptionError
from ..design import DesignSpec
from ..table import SummaryTable

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


def em_batch(s: _Sorted, C, b0=None, beta0=None, max_iter=EM_MAX, tol=EM_TOL):
    """EM for R replicates with case weights C (R, n).  Returns dict of arrays."""
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
    conv = np.zeros(R, bool)
    it = 0
    for it in range(1, max_iter + 1):
        if conv.all():
            break
        pi = expit(s.Z @ b.T).T if q else np.zeros((R, n))
        lp = (s.X @ beta.T).T if p else np.zeros((R, n))
        with np.errstate(over="ignore", invalid="ignore"):
            Su = np.exp(-H0 * np.exp(lp))
        num = (1 - pi) * Su
        den = pi + num
        w = np.where(d[None, :] > 0, 1.0, np.where(den > 0, num / np.where(den > 0, den, 1), 0.0))
        b_new = _logistic(s.Z, C, 1 - w, b)
        beta_new = _cox(s, C, w, beta) if p else beta
        # replicates that have converged stay put, so each replicate's path does not depend
        # on which others share its batch (bitwise the same for any chunking)
        b_new = np.where(conv[:, None], b, b_new)
        if p:
            beta_new = np.where(conv[:, None], beta, beta_new)
        H_new = np.where(conv[:, None], H0, _breslow(s, C, w, beta_new, tail))
        fin = np.where(np.isfinite(H_new), H_new, 0.0)
        fin_old = np.where(np.isfinite(H0), H0, 0.0)
        change = np.maximum(np.max(np.abs(b_new - b), axis=1),
                            np.max(np.abs(np.exp(-fin) - np.exp(-fin_old)), axis=1))
        if p:
            change = np.maximum(change, np.max(np.abs(beta_new - beta), axis=1))
        b, beta, H0 = b_new, beta_new, H_new
        conv = conv | (change < tol)
        if conv.all():
            break
    return {"b": b, "beta": beta, "H0": H0, "w": w, "converged": conv, "iterations": it,
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


# ---------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class CoxCureFit:
    """Semi-parametric (Cox latency) mixture cure fit with bootstrap intervals."""

    b: np.ndarray
    beta: np.ndarray
    time: np.ndarray        # sorted distinct times of the baseline
    H0: np.ndarray          # baseline cumulative hazard at ``time`` (inf after last event)
    boot_b: np.ndarray
    boot_beta: np.ndarray
    boot_time: object       # per replicate baseline (list of arrays) is heavy: we store H0 on time
    boot_H0: np.ndarray
    cure_names: tuple
    latency_names: tuple
    cure_spec: DesignSpec | None
    latency_spec: DesignSpec | None
    covariates: object
    n: int
    n_events: float
    converged: bool
    iterations: int
    reps: int
    seed: int | None
    n_failed: int
    # rmst of the population curve to a horizon (step function integral)
    conf_level: float = 0.95
    time_unit: str | None = None
    link: str = "logistic"
    extra: dict = field(default_factory=dict)

    kind = "mixture"

    # -------------------------------------------------------------- predictions
    def _Z(self, frame):
        if self.cure_spec is None or self.cure_spec.intercept_only:
            return np.ones((len(frame) if frame is not None else 1, 1))
        return self.cure_spec.matrix(frame)

    def _X(self, frame):
        if self.latency_spec is None or self.latency_spec.intercept_only:
            return np.zeros((len(frame) if frame is not None else 1, 0))
        return self.latency_spec.matrix(frame)[:, 1:]

    def _reference(self):
        import pandas as pd

        row = {}
        for spec in (self.cure_spec, self.latency_spec):
            if spec is not None and not spec.intercept_only:
                row.update(spec.reference_frame(self.covariates).iloc[0].to_dict())
        return pd.DataFrame([row]) if row else None

    def _H_at(self, H0, t):
        """Step-function baseline cumulative hazard at times t (right-continuous)."""
        idx = np.searchsorted(self.time, np.asarray(t, float), side="right") - 1
        out = np.where(idx >= 0, H0[..., np.clip(idx, 0, None)], 0.0)
        return out

    def _surv(self, b, beta, H0, t, frame):
        Z, X = self._Z(frame), self._X(frame)
        pi = expit(Z @ b)
        lp = X @ beta if X.shape[1] else np.zeros(Z.shape[0])
        H = self._H_at(H0, t)
        with np.errstate(over="ignore", invalid="ignore"):
            Su = np.exp(-np.multiply.outer(np.exp(lp), H))
        return pi[:, None] + (1 - pi[:, None]) * Su, pi, Su

    def _interval(self, est, reps):
        a = 1 - self.conf_level
        if reps.shape[0] < 2:
            nan = np.full(np.shape(est), np.nan)
            return nan, nan
        from ..result import percentile

        return percentile(reps, a / 2), percentile(reps, 1 - a / 2)

    def _survival_t(self, times, newdata=None):
        frame = self._reference() if newdata is None else newdata
        est = self._surv(self.b, self.beta, self.H0, times, frame)[0][0]
        reps = np.array([self._surv(bb, be, hh, times, frame)[0][0]
                         for bb, be, hh in zip(self.boot_b, self.boot_beta, self.boot_H0)])
        lo, up = self._interval(est, reps)
        return est, lo, up

    def _uncured_survival_t(self, times, newdata=None):
        frame = self._reference() if newdata is None else newdata
        est = self._surv(self.b, self.beta, self.H0, times, frame)[2][0]
        reps = np.array([self._surv(bb, be, hh, times, frame)[2][0]
                         for bb, be, hh in zip(self.boot_b, self.boot_beta, self.boot_H0)])
        lo, up = self._interval(est, reps)
        return est, lo, up

    def _cure_fraction_t(self, newdata=None, average=False):
        if average:
            frame = self.covariates
            Z = self._Z(frame) if self.cure_spec is not None and not self.cure_spec.intercept_only \
                else np.ones((1, 1))
            est = np.array([expit(Z @ self.b).mean()])
            reps = np.array([[expit(Z @ bb).mean()] for bb in self.boot_b])
        else:
            frame = self._reference() if newdata is None else newdata
            Z = self._Z(frame)
            est = expit(Z @ self.b)
            reps = np.array([expit(Z @ bb) for bb in self.boot_b])
        lo, up = self._interval(est, reps)
        return est, lo, up

    def _probability_cured_t(self, times, newdata=None):
        frame = self._reference() if newdata is None else newdata

        def f(b, be, h):
            S, pi, _ = self._surv(b, be, h, times, frame)
            return np.clip(pi[0] / S[0], 0, 1)
        est = f(self.b, self.beta, self.H0)
        reps = np.array([f(bb, be, hh) for bb, be, hh in
                         zip(self.boot_b, self.boot_beta, self.boot_H0)])
        lo, up = self._interval(est, reps)
        return est, lo, up

    def _quantile_of(self, S, level):
        """First baseline time at which the curve S (on self.time) falls to <= level."""
        below = np.flatnonzero(S <= level)
        return float(self.time[below[0]]) if below.size else np.inf

    def _median_t(self, newdata=None, uncured=False):
        frame = self._reference() if newdata is None else newdata
        j = 2 if uncured else 0

        def f(b, be, h):
            S = self._surv(b, be, h, self.time, frame)[j][0]
            return self._quantile_of(S, 0.5)
        est = f(self.b, self.beta, self.H0)
        reps = np.array([f(bb, be, hh) for bb, be, hh in
                         zip(self.boot_b, self.boot_beta, self.boot_H0)])
        lo, up = self._interval(np.array(est), reps)
        return est, lo, up

    # -------------------------------------------------------------- public (Predictions)
    def _pred(self, what, at, t):
        from ..result import Prediction

        est, lo, up = (np.atleast_1d(np.asarray(v, dtype=float))[None, :] for v in t)
        return Prediction(what, np.atleast_1d(np.asarray(at, dtype=float)), est, lo, up,
                          np.full(est.shape, np.nan), "bootstrap percentile", self.conf_level)

    def survival(self, times, newdata=None):
        """S(t) = pi + (1 - pi) S_0(t)^exp(x'beta) for the reference (or ``newdata``) profile."""
        return self._pred("survival", times, self._survival_t(times, newdata))

    def uncured_survival(self, times, newdata=None):
        return self._pred("uncured_survival", times, self._uncured_survival_t(times, newdata))

    def cure_fraction(self, newdata=None):
        """pi for each profile of ``newdata`` (default: the reference profile), one column."""
        from ..result import Prediction

        est, lo, up = self._cure_fraction_t(newdata)
        col = [np.asarray(v, dtype=float)[:, None] for v in (est, lo, up)]
        return Prediction("cure_fraction", np.array([np.inf]), *col,
                          np.full(col[0].shape, np.nan), "bootstrap percentile", self.conf_level)

    def marginal_cure_fraction(self):
        return self._pred("cure_fraction", [np.inf], self._cure_fraction_t(average=True))

    def probability_cured(self, times, newdata=None):
        return self._pred("probability_cured", times, self._probability_cured_t(times, newdata))

    def median(self, newdata=None):
        return self._pred("quantile", [0.5], self._median_t(newdata))

    def uncured_median(self, newdata=None):
        return self._pred("uncured_quantile", [0.5], self._median_t(newdata, uncured=True))

    # compatibility with CureFit's statistics (a semi-parametric fit has no comparable
    # likelihood)
    loglik = None
    aic = None
    bic = None
    boundary = None

    @property
    def k(self) -> int:
        return len(self.cure_names) + len(self.latency_names)

    def rmst(self, tau, newdata=None) -> float:
        """Integral of the (step) population survival curve over [0, tau]."""
        frame = self._reference() if newdata is None else newdata
        knots = np.concatenate([[0.0], self.time[self.time < tau], [tau]])
        S = self._surv(self.b, self.beta, self.H0, knots[:-1], frame)[0][0]
        return float(np.sum(S * np.diff(knots)))

    # -------------------------------------------------------------- reporting
    def parameters(self) -> list[dict]:
        z = float(norm.ppf(0.5 + self.conf_level / 2))
        rows = []
        a = 1 - self.conf_level
        for i, name in enumerate(self.cure_names):
            est = float(self.b[i])
            v = self.boot_b[:, i]
            se = float(np.std(v, ddof=1)) if v.size > 1 else None
            if i == 0:
                rows.append({"name": "cure", "estimate": float(expit(est)),
                             # bootstrap SD on the natural scale: replicates near the
                             # boundary make the logit-scale SD useless for a delta step
                             "se": float(np.std(expit(v), ddof=1)) if v.size > 1 else None,
                             "lower": float(np.quantile(expit(v), a / 2)) if v.size > 1 else None,
                             "upper": float(np.quantile(expit(v), 1 - a / 2)) if v.size > 1 else None})
            else:
                rows.append({"name": f"cure:{name}", "estimate": est, "se": se,
                             "lower": None if se is None else est - z * se,
                             "upper": None if se is None else est + z * se})
        for i, name in enumerate(self.latency_names):
            est = float(self.beta[i])
            v = self.boot_beta[:, i]
            se = float(np.std(v, ddof=1)) if v.size > 1 else None
            rows.append({"name": f"latency:{name}", "estimate": est, "se": se,
                         "lower": None if se is None else est - z * se,
                         "upper": None if se is None else est + z * se})
        return rows

    def cure_fraction_by(self, limit=50) -> list[dict]:
        spec = self.cure_spec
        if spec is None or spec.intercept_only:
            return []
        frame = self.covariates[list(spec.columns)].drop_duplicates().head(limit)
        frame = frame.reset_index(drop=True)
        est, lo, up = self._cure_fraction_t(frame)
        return [{"pattern": {c: _py(frame.iloc[i][c]) for c in spec.columns},
                 "estimate": _num(est[i]), "lower": _num(lo[i]), "upper": _num(up[i])}
                for i in range(len(frame))]

    def summary(self) -> SummaryTable:
        pct = f"{100 * self.conf_level:g}%"
        rows = tuple((r["name"], r["estimate"], r["se"], r["lower"], r["upper"])
                     for r in self.parameters())
        cf = self._cure_fraction_t(average=True)
        return SummaryTable(
            "Semi-parametric mixture cure model (Cox PH latency, logistic incidence)",
            ("parameter", "estimate", "se (bootstrap)", f"lower {pct}", f"upper {pct}"), rows,
            (f"n = {self.n}, events = {self.n_events:g}; cure fraction {cf[0][0]:.4f} "
             f"({cf[1][0]:.4f} to {cf[2][0]:.4f}); {self.reps} bootstrap replicates "
             f"({self.n_failed} failed); EM {'converged' if self.converged else 'NOT converged'}"
             f" in {self.iterations} iterations",),
            {"dist": "cox", "cure": "mixture", "converged": self.converged})

    def to_dict(self, times=None) -> dict:
        from ..document import default_times

        tl = list(times) if times is not None and len(times) else default_times(self.time)
        s = self._survival_t(tl)
        us = self._uncured_survival_t(tl)
        med = self._median_t()
        umed = self._median_t(uncured=True)
        cf = self._cure_fraction_t(average=True)
        grid = np.linspace(0.0, float(np.max(self.time)), 21)
        pc = self._probability_cured_t(grid)
        return {
            "dist": "cox", "cure": "mixture", "n": self.n, "events": self.n_events,
            "k": len(self.cure_names) + len(self.latency_names),
            "converged": bool(self.converged),
            "loglik": None, "aic": None, "bic": None,
            "parameters": self.parameters(),
            "predictions": [{"time": float(t), "survival": _num(e), "lower": _num(lo),
                             "upper": _num(up)} for t, e, lo, up in zip(tl, *s)],
            "median": {"estimate": _num(med[0]), "lower": _num(med[1]), "upper": _num(med[2])},
            "cure_fraction": {"estimate": _num(cf[0][0]), "lower": _num(cf[1][0]),
                              "upper": _num(cf[2][0])},
            "cure_fraction_by": self.cure_fraction_by(),
            "link": self.link, "ci": "bootstrap", "conf_level": self.conf_level,
            "time_unit": self.time_unit, "boundary": False,
            "message": ("semi-parametric model: no likelihood comparable with parametric "
                        "models (loglik/AIC null); intervals from the bootstrap"),
            "uncured": {"median": {"estimate": _num(umed[0]), "lower": _num(umed[1]),
                                   "upper": _num(umed[2])},
                        "survival": [{"time": float(t), "survival": _num(e), "lower": _num(lo),
                                      "upper": _num(up)} for t, e, lo, up in zip(tl, *us)]},
            "probability_cured": [{"time": float(t), "estimate": _num(e), "lower": _num(lo),
                                   "upper": _num(up)} for t, e, lo, up in zip(grid, *pc)],
            "bootstrap": {"type": "nonparametric",
                          "reps": self.reps, "seed": self.seed,
                          "used": int(self.boot_b.shape[0]), "failed": self.n_failed},
            "r_equivalent": "smcure(Surv(time, status) ~ x, cureform = ~ z, model = \"ph\")",
        }

    def __repr__(self):
        return f"CoxCureFit(n={self.n}, cure={self._cure_fraction_t(average=True)[0][0]:.4f})"


def _num(v):
    v = float(v)
    return v if np.isfinite(v) else None


def _py(v):
    return v.item() if hasattr(v, "item") else v


def fit_cox_cure(data, *, covariates=(), cure_covariates=(), categorical=(), link="logistic",
                 reps=200, seed=None, conf_level=0.95, scheduler=None, chunk_size=None,
                 stratified=False):
    """Fit the semi-parametric mixture cure model (see the module docstring).

    ``stratified=True`` resamples events and censored subjects separately, as smcure does;
    the default resamples patients (the number of events is random in a new trial, and fixing
    it understates the uncertainty of the cure fraction, which is tied to the censored tail).
    """
    if str(link) not in ("logistic", "logit"):
        raise OptionError("--dist cox supports the logistic link only (as smcure's default)")
    if data.entry is not None and np.any(np.asarray(data.entry) > 0):
        raise OptionError("--dist cox does not support delayed entry")
    frame = data.covariates
    cure_spec = DesignSpec.from_frame(frame, list(cure_covariates or ()), categorical) \
        if cure_covariates else None
    lat_spec = DesignSpec.from_frame(frame, list(covariates or ()), categorical) \
        if covariates else None
    n = data.n
    Z = cure_spec.matrix(frame) if cure_spec is not None else np.ones((n, 1))
    X = lat_spec.matrix(frame)[:, 1:] if lat_spec is not None else np.zeros((n, 0))
    s = _prepare(data.time, data.event, Z, X)
    w0 = np.ones((1, n)) if data.weights is None else np.asarray(data.weights, float)[s.order][None]
    full = em_batch(s, w0)
    time_u, idx = np.unique(s.time, return_index=True)
    last_idx = np.searchsorted(s.time, time_u, side="right") - 1
    H0 = full["H0"][0][last_idx]
    boot_b = np.zeros((0, Z.shape[1]))
    boot_beta = np.zeros((0, X.shape[1]))
    boot_H = np.zeros((0, time_u.size))
    n_failed = 0
    if reps and reps > 0:
        if seed is None:
            raise OptionError("the bootstrap of the Cox cure model needs a seed (--seed)")
        from functools import partial

        from ...parallel import map_chunks

        out = map_chunks(partial(_boot_chunk, s, w0[0], full["b"][0], full["beta"][0], last_idx,
                                 bool(stratified)),
                         int(reps), seed=seed, chunk_size=chunk_size, scheduler=scheduler,
                         progress=False, description="bootstrap (Cox cure)")
        ok = [o for o in out if o[3]]
        n_failed = len(out) - len(ok)
        if ok:
            boot_b = np.array([o[0] for o in ok])
            boot_beta = np.array([o[1] for o in ok]).reshape(len(ok), X.shape[1])
            boot_H = np.array([o[2] for o in ok])
    return CoxCureFit(full["b"][0], full["beta"][0], time_u, H0, boot_b, boot_beta, None, boot_H,
                      tuple(cure_spec.names if cure_spec else ("(Intercept)",)),
                      tuple(lat_spec.names[1:] if lat_spec else ()), cure_spec, lat_spec, frame,
                      n, float(np.sum(data.event)), bool(full["converged"][0]),
                      int(full["iterations"]), int(reps or 0), seed, n_failed, conf_level,
                      data.time_unit)


def _boot_chunk(s, w0, b0, beta0, last_idx, stratified, chunk):
    n = s.time.size
    ev = np.flatnonzero(s.event > 0)
    ce = np.flatnonzero(s.event == 0)
    C = np.zeros((chunk.size, n))
    for r, g in enumerate(chunk.rngs()):
        if stratified:  # smcure: events and censored subjects resampled separately
            C[r, ev] = g.multinomial(ev.size, np.full(ev.size, 1.0 / ev.size))
            if ce.size:
                C[r, ce] = g.multinomial(ce.size, np.full(ce.size, 1.0 / ce.size))
        else:
            C[r] = g.multinomial(n, np.full(n, 1.0 / n))
    C = C * w0[None, :]
    R = chunk.size
    res = em_batch(s, C, np.repeat(b0[None], R, 0), np.repeat(beta0[None], R, 0))
    H = res["H0"][:, last_idx]
    return [(res["b"][r], res["beta"][r], H[r], bool(res["converged"][r])) for r in range(R)]
