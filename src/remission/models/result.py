"""The frozen result of a parametric fit: estimates, covariance, fit statistics, predictions."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..distributions.base import Distribution
from .likelihood import Layout
from .prediction import TRANSFORMS, Prediction, delta_method, percentile_interval, z_value
from .protocol import FittedModel
from .table import SummaryTable


def theta_stack(fit, coefs, Xs, m):
    """Natural parameters for coefficient rows ``coefs`` (R, p) and the m prediction profiles
    of designs ``Xs``: list of (R, m) arrays (through :meth:`Layout.linear_predictors`)."""
    coefs = np.atleast_2d(np.asarray(coefs, dtype=float))
    out = []
    with np.errstate(all="ignore"):
        for e, b in zip(fit.layout.linear_predictors(coefs, Xs), fit.dist.bijections()):
            out.append(b.forward(e if e.shape[1] == m else np.repeat(e, m, axis=1)))
    return out


def evaluate(fit, fn, at, coefs, Xs, m):
    """fn for every coefficient row: array (R, m, len(at))."""
    at = np.atleast_1d(np.asarray(at, dtype=float))
    th = [t[:, :, None] for t in theta_stack(fit, coefs, Xs, m)]
    with np.errstate(all="ignore"):
        v = np.asarray(fn(th, at[None, None, :]), dtype=float)
    return v * np.ones((th[0].shape[0], m, at.size))


@dataclass(frozen=True, eq=False)
class ParametricFit(FittedModel):
    """A fitted parametric survival model (immutable; the :class:`FittedModel` contract).

    ``coef`` are the coefficients on the unconstrained (linear-predictor) scale, named by
    ``coef_names`` (``"scale"`` for an intercept, ``"scale:age"`` for a covariate effect on a
    parameter); ``vcov`` their covariance (inverse observed information).  ``loglik`` is the
    full censored log-likelihood (comparable to R's survreg/flexsurvreg).
    """

    dist: Distribution
    layout: Layout
    coef: np.ndarray
    vcov: np.ndarray
    loglik: float
    n: int
    n_events: float
    converged: bool
    iterations: int = 0
    message: str = ""
    conf_level: float = 0.95
    time_unit: str | None = None
    specs: dict = field(default_factory=dict)  # parameter -> DesignSpec (covariate encodings)
    covariates: object | None = None  # the fitting covariate DataFrame (reference profiles)
    relative_survival: bool = False
    #: replicate coefficients (a BootstrapResult): intervals become bootstrap percentiles
    bootstrap: object | None = None
    #: the longest follow-up of the fitted data (default prediction times)
    tmax: float = 0.0
    #: BackgroundMortality of the fitted subjects (the document then extrapolates with it)
    background: object | None = None

    def with_bootstrap(self, boot) -> "ParametricFit":
        """The same fit with bootstrap percentile intervals from ``boot`` (see
        :func:`remission.models.bootstrap.bootstrap_fit`)."""
        return replace(self, bootstrap=boot)

    # ------------------------------------------------------------------ statistics
    @property
    def dist_name(self) -> str:
        return self.dist.name

    @property
    def ci(self) -> str:
        return "delta" if self.bootstrap is None else "bootstrap"

    @property
    def r_equivalent(self) -> str:
        return self.dist.r_equivalent

    @property
    def coef_names(self) -> tuple[str, ...]:
        return self.layout.names

    @property
    def k(self) -> int:
        """Number of estimated coefficients."""
        return int(self.coef.size)

    @property
    def aic(self) -> float:
        return -2 * self.loglik + 2 * self.k

    @property
    def bic(self) -> float:
        return -2 * self.loglik + self.k * np.log(self.n)

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.clip(np.diag(self.vcov), 0, None))

    @property
    def z(self) -> float:
        return z_value(self.conf_level)

    @property
    def has_covariates(self) -> bool:
        return any(X is not None for X in self.layout.designs)

    def parameters(self) -> list[dict]:
        """One row per coefficient: baseline parameters on their natural scale (delta-method SE,
        interval transformed from the unconstrained scale so it respects the constraint),
        covariate effects on the linear-predictor scale (as flexsurv reports them)."""
        rows = []
        z = self.z
        se = self.se
        bij = self.dist.bijections()
        for j, (p, s) in enumerate(zip(self.dist.parameters, self.layout.slices)):
            if self.layout.fixed[j] is not None:
                rows.append({"name": p, "estimate": self.layout.fixed[j], "se": 0.0,
                             "lower": self.layout.fixed[j], "upper": self.layout.fixed[j],
                             "fixed": True})
                continue
            for i in range(s.start, s.stop):
                b, sb = float(self.coef[i]), float(se[i])
                name = self.coef_names[i]
                if self.bootstrap is not None:
                    c = self.bootstrap.coefs[:, i]
                    nat = i == s.start  # baseline on its natural scale, effects as they are
                    vals = np.asarray(bij[j].forward(c) if nat else c, dtype=float)[:, None]
                    lo, up, sd = percentile_interval(vals, self.conf_level)
                    rows.append({"name": name, "estimate": float(bij[j].forward(b)) if nat
                                 else b, "se": float(sd[0]), "lower": float(lo[0]),
                                 "upper": float(up[0])})
                elif i == s.start:
                    est = float(bij[j].forward(b))
                    jac = float(bij[j].jacobian(b))
                    lo, up = sorted((float(bij[j].forward(b - z * sb)),
                                     float(bij[j].forward(b + z * sb))))
                    rows.append({"name": name, "estimate": est, "se": abs(jac) * sb,
                                 "lower": lo, "upper": up})
                else:
                    rows.append({"name": name, "estimate": b, "se": sb, "lower": b - z * sb,
                                 "upper": b + z * sb})
        return rows

    # ------------------------------------------------------------------ profiles
    def _designs_for(self, newdata=None):
        """Per-parameter design matrices (m x p_j, or None) for the prediction profiles."""
        if not self.has_covariates:
            return [None] * len(self.layout.designs), 1
        import pandas as pd

        if newdata is None:
            frames = [spec.reference_frame(self.covariates) for spec in self.specs.values() if spec]
            newdata = pd.concat(frames, axis=1) if frames else None
            newdata = newdata.loc[:, ~newdata.columns.duplicated()] if newdata is not None else None
        elif isinstance(newdata, dict):
            newdata = pd.DataFrame([newdata]) if np.ndim(next(iter(newdata.values()))) == 0 \
                else pd.DataFrame(newdata)
        m = len(newdata)
        Xs = []
        for p, X in zip(self.dist.parameters, self.layout.designs):
            spec = self.specs.get(p)
            Xs.append(None if X is None or spec is None else spec.matrix(newdata, m))
        return Xs, m

    def natural_parameters(self, newdata=None, coef=None):
        """Natural-scale parameter arrays (one value per profile in ``newdata``)."""
        coef = self.coef if coef is None else coef
        Xs, m = self._designs_for(newdata)
        return [t[0] for t in theta_stack(self, coef, Xs, m)]

    # ------------------------------------------------------------------ predictions
    def _predict(self, what, fn, at, transform, newdata=None) -> Prediction:
        at = np.atleast_1d(np.asarray(at, dtype=float))
        Xs, m = self._designs_for(newdata)
        if self.bootstrap is not None:
            est = evaluate(self, fn, at, self.coef, Xs, m)[0]
            vals = evaluate(self, fn, at, self.bootstrap.coefs, Xs, m)
            lo, up, se = percentile_interval(vals, self.conf_level)
            return Prediction(what, at, est, lo, up, se, "bootstrap percentile",
                              self.conf_level)
        tr = TRANSFORMS[transform]
        est, lo, up, se = delta_method(lambda rows: evaluate(self, fn, at, rows, Xs, m),
                                       self.coef, self.vcov, self.conf_level, tr)
        return Prediction(what, at, est, lo, up, se, tr[2], self.conf_level)

    def survival(self, times, newdata=None) -> Prediction:
        """S(t) with intervals built on the log-cumulative-hazard scale (inside [0, 1])."""
        return self._predict("survival", self.dist.survival, times, "loglog", newdata)

    def hazard(self, times, newdata=None) -> Prediction:
        return self._predict("hazard", self.dist.hazard, times, "log", newdata)

    def cumulative_hazard(self, times, newdata=None) -> Prediction:
        return self._predict("cumulative_hazard", self.dist.cumulative_hazard, times, "log",
                             newdata)

    def quantile(self, p, newdata=None) -> Prediction:
        """Time by which a fraction p has had the event; intervals on the log scale."""
        return self._predict("quantile", self.dist.quantile, p, "log", newdata)

    def median(self, newdata=None) -> Prediction:
        return self.quantile(0.5, newdata)

    def mean(self, newdata=None) -> Prediction:
        return self._predict("mean", lambda th, _: self.dist.mean(th), [np.inf], "log", newdata)

    def rmst(self, tau, newdata=None) -> Prediction:
        """Restricted mean survival time to each ``tau``; intervals on the log scale."""
        return self._predict("rmst", self.dist.rmst, tau, "log", newdata)

    def long_term_survival(self, newdata=None) -> Prediction:
        """S(infinity) (non-zero for improper families such as Gompertz with shape < 0)."""
        return self._predict("long_term_survival",
                             lambda th, _: self.dist.long_term_survival(th), [np.inf], "loglog",
                             newdata)

    # ------------------------------------------------------------------ reporting
    def summary(self) -> SummaryTable:
        rows = tuple((r["name"], r["estimate"], r["se"], r["lower"], r["upper"])
                     for r in self.parameters())
        pct = f"{100 * self.conf_level:g}%"
        foot = (f"n = {self.n}, events = {self.n_events:g}, log-likelihood = {self.loglik:.4f}, "
                f"AIC = {self.aic:.3f}, BIC = {self.bic:.3f}",
                f"converged: {'yes' if self.converged else 'NO (' + self.message + ')'}")
        return SummaryTable(
            title=f"Parametric survival model: {self.dist.name}" +
                  (f" (time in {self.time_unit})" if self.time_unit else ""),
            columns=("parameter", "estimate", "se", f"lower {pct}", f"upper {pct}"),
            rows=rows, footer=foot,
            info={"dist": self.dist.name, "n": self.n, "events": self.n_events,
                  "loglik": self.loglik, "aic": self.aic, "bic": self.bic, "k": self.k,
                  "converged": self.converged})

    def covariance(self) -> dict:
        return {"names": list(self.coef_names), "matrix": self.vcov.tolist(),
                "scale": "unconstrained (log for positive parameters)"}

    def reference_profile(self) -> dict | None:
        if not self.has_covariates:
            return None
        ref = {}
        for spec in self.specs.values():
            if spec is not None:
                ref.update({k: v.item() if hasattr(v, "item") else v for k, v in
                            spec.reference_frame(self.covariates).iloc[0].to_dict().items()})
        return ref

    def bootstrap_info(self) -> dict | None:
        return None if self.bootstrap is None else self.bootstrap.to_dict()

    def __repr__(self) -> str:
        return (f"ParametricFit(dist={self.dist.name}, n={self.n}, loglik={self.loglik:.4f}, "
                f"aic={self.aic:.3f}, converged={self.converged})")
