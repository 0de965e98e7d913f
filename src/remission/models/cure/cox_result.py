"""The fitted semi-parametric (Cox-latency) mixture cure model: :class:`CoxCureFit`, with
bootstrap percentile intervals for every prediction."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit

from ..document import _num, _py
from ..design import DesignSpec
from ..prediction import Prediction, percentile, z_value
from ..protocol import FittedCureModel
from ..table import SummaryTable


@dataclass(frozen=True, eq=False)
class CoxCureFit(FittedCureModel):
    """Semi-parametric (Cox latency) mixture cure fit with bootstrap intervals (the
    :class:`~remission.models.protocol.FittedModel` contract).

    The baseline is a step function (Breslow), so S, H and quantiles are step functions of t
    and :meth:`hazard` is the jump of the cumulative hazard at t (non-zero only at event
    times, as lifelines' ``baseline_hazard_``).  There is no likelihood comparable with the
    parametric models: ``loglik``, ``aic`` and ``bic`` are None.
    """

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
    conf_level: float = 0.95
    time_unit: str | None = None
    link: str = "logistic"
    extra: dict = field(default_factory=dict)

    kind = "mixture"
    cure_kind = "mixture"
    dist_name = "cox"
    ci = "bootstrap"
    relative_survival = False
    message = ("semi-parametric model: no likelihood comparable with parametric models "
               "(loglik/AIC null); intervals from the bootstrap")
    r_equivalent = "smcure(Surv(time, status) ~ x, cureform = ~ z, model = \"ph\")"

    @property
    def tmax(self) -> float:
        return float(np.max(self.time))

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

    def _H_at(self, H0, t, left=False):
        """Step-function baseline cumulative hazard at times t (right-continuous; with
        ``left`` the limit from the left, H0(t-))."""
        idx = np.searchsorted(self.time, np.asarray(t, float),
                              side="left" if left else "right") - 1
        out = np.where(idx >= 0, H0[..., np.clip(idx, 0, None)], 0.0)
        return out

    def _surv(self, b, beta, H0, t, frame, left=False):
        Z, X = self._Z(frame), self._X(frame)
        pi = expit(Z @ b)
        lp = X @ beta if X.shape[1] else np.zeros(Z.shape[0])
        H = self._H_at(H0, t, left)
        with np.errstate(over="ignore", invalid="ignore"):
            Su = np.exp(-np.multiply.outer(np.exp(lp), H))
        return pi[:, None] + (1 - pi[:, None]) * Su, pi, Su

    def _interval(self, est, reps):
        a = 1 - self.conf_level
        if reps.shape[0] < 2:
            nan = np.full(np.shape(est), np.nan)
            return nan, nan
        return percentile(reps, a / 2), percentile(reps, 1 - a / 2)

    def _survival_t(self, times, newdata=None):
        frame = self._reference() if newdata is None else newdata
        return self._replicates(lambda b, be, h: self._surv(b, be, h, times, frame)[0][0])

    def _uncured_survival_t(self, times, newdata=None):
        frame = self._reference() if newdata is None else newdata
        return self._replicates(lambda b, be, h: self._surv(b, be, h, times, frame)[2][0])

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
        return self._replicates(f)

    def _quantile_of(self, S, level):
        """First baseline time at which the curve S (on self.time) falls to <= level."""
        below = np.flatnonzero(S <= level)
        return float(self.time[below[0]]) if below.size else np.inf

    def _quantile_t(self, p, newdata=None, uncured=False):
        """Quantiles: for each p the first baseline time at which S falls to <= 1 - p."""
        frame = self._reference() if newdata is None else newdata
        j = 2 if uncured else 0
        levels = 1.0 - np.atleast_1d(np.asarray(p, dtype=float))

        def f(b, be, h):
            S = self._surv(b, be, h, self.time, frame)[j][0]
            return np.array([self._quantile_of(S, lev) for lev in levels])
        return self._replicates(f)

    def _replicates(self, f):
        """(estimate, lower, upper) of ``f(b, beta, H0)`` over the bootstrap replicates."""
        est = f(self.b, self.beta, self.H0)
        reps = np.array([f(bb, be, hh) for bb, be, hh in
                         zip(self.boot_b, self.boot_beta, self.boot_H0)])
        lo, up = self._interval(est, reps)
        return est, lo, up

    # -------------------------------------------------------------- public (Predictions)
    def _pred(self, what, at, t):
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
        est, lo, up = self._cure_fraction_t(newdata)
        col = [np.asarray(v, dtype=float)[:, None] for v in (est, lo, up)]
        return Prediction("cure_fraction", np.array([np.inf]), *col,
                          np.full(col[0].shape, np.nan), "bootstrap percentile", self.conf_level)

    def marginal_cure_fraction(self):
        return self._pred("cure_fraction", [np.inf], self._cure_fraction_t(average=True))

    def probability_cured(self, times, newdata=None):
        return self._pred("probability_cured", times, self._probability_cured_t(times, newdata))

    def quantile(self, p, newdata=None):
        """Time by which a fraction p has had the event (a baseline time; inf if never)."""
        return self._pred("quantile", p, self._quantile_t(p, newdata))

    def uncured_median(self, newdata=None):
        return self._pred("uncured_quantile", [0.5], self._quantile_t([0.5], newdata, True))

    def cumulative_hazard(self, times, newdata=None):
        """H(t) = -log S(t) of the population curve (bounded by -log pi)."""
        frame = self._reference() if newdata is None else newdata
        with np.errstate(divide="ignore"):
            return self._pred("cumulative_hazard", times, self._replicates(
                lambda b, be, h: -np.log(self._surv(b, be, h, times, frame)[0][0])))

    def hazard(self, times, newdata=None):
        """The jump H(t) - H(t-) of the population cumulative hazard at each t (a step
        baseline has no density: non-zero only at event times)."""
        frame = self._reference() if newdata is None else newdata

        def jump(b, be, h):
            with np.errstate(divide="ignore", invalid="ignore"):
                return (np.log(self._surv(b, be, h, times, frame, left=True)[0][0])
                        - np.log(self._surv(b, be, h, times, frame)[0][0]))
        return self._pred("hazard", times, self._replicates(jump))

    def rmst(self, tau, newdata=None):
        """Integral of the (step) population survival curve over [0, tau]."""
        frame = self._reference() if newdata is None else newdata
        taus = np.atleast_1d(np.asarray(tau, dtype=float))

        def f(b, be, h):
            out = []
            for t in taus:
                knots = np.concatenate([[0.0], self.time[self.time < t], [t]])
                S = self._surv(b, be, h, knots[:-1], frame)[0][0]
                out.append(float(np.sum(S * np.diff(knots))))
            return np.array(out)
        return self._pred("rmst", taus, self._replicates(f))

    # compatibility with CureFit's statistics (a semi-parametric fit has no comparable
    # likelihood)
    loglik = None
    aic = None
    bic = None
    boundary = None

    @property
    def k(self) -> int:
        return len(self.cure_names) + len(self.latency_names)

    # -------------------------------------------------------------- reporting
    def parameters(self) -> list[dict]:
        z = z_value(self.conf_level)
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

    def reference_profile(self) -> dict | None:
        ref = self._reference()
        return None if ref is None else {k: _py(v) for k, v in ref.iloc[0].to_dict().items()}

    def bootstrap_info(self) -> dict:
        return {"type": "nonparametric", "reps": self.reps, "seed": self.seed,
                "used": int(self.boot_b.shape[0]), "failed": self.n_failed}

    def __repr__(self):
        return f"CoxCureFit(n={self.n}, cure={self._cure_fraction_t(average=True)[0][0]:.4f})"
