"""The frozen result of a parametric cure fit: :class:`CureFit`."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..design import DesignSpec
from ..prediction import Prediction
from ..document import _num, _py
from ..protocol import FittedCureModel
from ..result import ParametricFit
from ..table import SummaryTable
from . import derived as dv
from .boundary import Boundary


@dataclass(frozen=True, eq=False)
class CureFit(FittedCureModel):
    """A fitted parametric cure model (immutable; the
    :class:`~remission.models.protocol.FittedCureModel` contract).

    ``fit`` is the underlying :class:`~remission.models.ParametricFit` of the cure
    distribution (first parameter ``cure``).  ``boundary`` is set when the cure fraction was
    estimated at 0 (no plateau): then ``fit`` is the boundary model and the cure fraction's
    interval is [0, profile upper bound].  With bootstrap intervals the replicate
    coefficients are ``fit.bootstrap`` (``ci = "bootstrap"``), as for any ParametricFit.
    """

    fit: ParametricFit
    kind: str
    link: str
    boundary: Boundary | None = None
    background: object | None = None
    cure_spec: DesignSpec | None = None
    tmax: float = 1.0
    extra: dict = field(default_factory=dict)

    # ------------------------------------------------------------------ basics
    @property
    def dist(self):
        return self.fit.dist

    @property
    def cure_kind(self) -> str:
        return self.kind

    @property
    def bootstrap(self):
        """The replicate coefficients (a BootstrapResult) or None."""
        return self.fit.bootstrap

    @property
    def ci(self) -> str:
        return self.fit.ci

    @property
    def dist_name(self) -> str:
        return self.dist.base.name

    @property
    def n(self) -> int:
        return self.fit.n

    @property
    def n_events(self):
        return self.fit.n_events

    @property
    def time_unit(self):
        return self.fit.time_unit

    @property
    def relative_survival(self) -> bool:
        return bool(self.fit.relative_survival)

    @property
    def r_equivalent(self) -> str:
        return self.dist.r_equivalent

    @property
    def message(self) -> str:
        if self.boundary is not None:
            return ("cure fraction estimated at the boundary 0 (no plateau in the data); "
                    "interval from the profile likelihood (one-sided)")
        return self.fit.message

    @property
    def converged(self) -> bool:
        return bool(self.fit.converged or self.boundary is not None)

    @property
    def loglik(self) -> float:
        return self.boundary.loglik if self.boundary is not None else self.fit.loglik

    @property
    def k(self) -> int:
        """Estimated coefficients (the cure fraction counts even at its boundary)."""
        held = self.boundary is not None and self.fit.layout.fixed[0] is not None
        return int(self.fit.coef.size + (1 if held else 0))

    @property
    def aic(self) -> float:
        return -2 * self.loglik + 2 * self.k

    @property
    def bic(self) -> float:
        return -2 * self.loglik + self.k * np.log(self.fit.n)

    @property
    def conf_level(self) -> float:
        return self.fit.conf_level

    # ------------------------------------------------------------------ predictions
    def _predict(self, q, at, newdata=None, average=False) -> Prediction:
        Xs, m = self._designs(newdata)
        if self.bootstrap is not None:
            p = dv.bootstrap_prediction(self.fit, q, at, Xs, m, self.bootstrap.coefs,
                                        self.conf_level, average=average)
        else:
            p = dv.delta_prediction(self.fit, q, at, Xs, m, self.dist.link, self.conf_level,
                                    average=average)
        return p

    def _designs(self, newdata):
        return self.fit._designs_for(newdata)

    def _all_subjects(self):
        """Design matrices of every fitted subject (for population averages)."""
        Xs = list(self.fit.layout.designs)
        return Xs, self.fit.n

    def cure_fraction(self, newdata=None) -> Prediction:
        """pi for each profile of ``newdata`` (default: the reference profile)."""
        p = self._predict(dv.cure_fraction_q(self.dist), [np.inf], newdata)
        return self._boundary_pi(p)

    def marginal_cure_fraction(self) -> Prediction:
        """pi averaged over the fitted subjects (equals pi without cure covariates)."""
        if self.cure_spec is None or self.cure_spec.intercept_only:
            return self.cure_fraction()
        Xs, m = self._all_subjects()
        q = dv.cure_fraction_q(self.dist)
        if self.bootstrap is not None:
            p = dv.bootstrap_prediction(self.fit, q, [np.inf], Xs, m, self.bootstrap.coefs,
                                        self.conf_level, average=True)
        else:
            p = dv.delta_prediction(self.fit, q, [np.inf], Xs, m, self.dist.link,
                                    self.conf_level, average=True, scale="logit")
        return p

    def _boundary_pi(self, p: Prediction) -> Prediction:
        if self.boundary is None:
            return p
        shape = p.estimate.shape
        return Prediction(p.what, p.at, np.zeros(shape), np.zeros(shape),
                          np.full(shape, self.boundary.upper), np.full(shape, np.nan),
                          "profile likelihood (one-sided, boundary)", p.conf_level)

    def survival(self, times, newdata=None) -> Prediction:
        return self._predict(dv.survival_q(self.dist), times, newdata)

    def uncured_survival(self, times, newdata=None) -> Prediction:
        """S_u(t), the survival of the uncured (the base distribution)."""
        return self._predict(dv.uncured_survival_q(self.dist), times, newdata)

    def uncured_median(self, newdata=None) -> Prediction:
        return self._predict(dv.uncured_quantile_q(self.dist), [0.5], newdata)

    def hazard(self, times, newdata=None) -> Prediction:
        """h(t) of the whole population (cured and uncured); intervals on the log scale."""
        return self._predict(dv.Quantity("hazard", self.dist.hazard, "log"), times, newdata)

    def cumulative_hazard(self, times, newdata=None) -> Prediction:
        """H(t) = -log S(t), bounded by -log pi; intervals on the log scale."""
        return self._predict(dv.Quantity("cumulative_hazard", self.dist.cumulative_hazard,
                                         "log"), times, newdata)

    def quantile(self, p, newdata=None) -> Prediction:
        """Quantiles of the overall survival (infinite when the plateau is above 1 - p)."""
        return self._predict(dv.quantile_q(self.dist), p, newdata)

    def median(self, newdata=None) -> Prediction:
        """Median of the overall survival (infinite when the plateau is above 1/2)."""
        return self.quantile([0.5], newdata)

    def rmst(self, tau, newdata=None) -> Prediction:
        """Restricted mean survival time to each ``tau``; intervals on the log scale."""
        return self._predict(dv.Quantity("rmst", self.dist.rmst, "log"), tau, newdata)

    def probability_cured(self, times, newdata=None) -> Prediction:
        """P(cured | event-free at t) = pi / S(t) over ``times``.

        Without a bootstrap the interval is the projection of the coefficients' Wald
        confidence ellipsoid (:func:`.derived.projection_prediction`), not the linearised
        delta method: logit(pi / S(t)) = logit(pi) + H_u(t) for the mixture model, and the
        delta-method standard error of H_u(t) grows faster than H_u(t) itself as t passes the
        follow-up, so the delta lower bound fell towards 0 while every fitted curve rises.
        """
        q = dv.probability_cured_q(self.dist)
        if self.bootstrap is not None:
            p = self._predict(q, times, newdata)
        else:
            Xs, m = self._designs(newdata)
            p = dv.projection_prediction(self.fit, q, times, Xs, m, self.conf_level)
        if self.boundary is not None:
            z = np.zeros(p.estimate.shape)
            return Prediction(p.what, p.at, z, z, np.full(z.shape, np.nan), z * np.nan,
                              "boundary", p.conf_level)
        return p

    def cure_time(self, levels=(0.9, 0.95), newdata=None) -> Prediction:
        """Time after which an event-free patient is cured with probability >= level."""
        p = self._predict(dv.cure_time_q(self.dist), levels, newdata)
        if self.boundary is not None:
            inf = np.full(p.estimate.shape, np.inf)
            return Prediction(p.what, p.at, inf, inf, inf, inf * np.nan, "boundary",
                              p.conf_level)
        return p

    def parameters(self) -> list[dict]:
        rows = [dict(r) for r in self.fit.parameters()]  # bootstrap percentiles if any
        for r in rows:  # the identity link's Wald interval can leave [0, 1]: clip it
            if r["name"] == "cure" and r.get("lower") is not None:
                r["lower"] = max(0.0, r["lower"])
                r["upper"] = min(1.0, r["upper"])
        if self.boundary is not None:
            for r in rows:
                if r["name"] == "cure":
                    r.update(estimate=0.0, se=None, lower=0.0, upper=self.boundary.upper,
                             fixed=False, boundary=True)
        return rows

    # ------------------------------------------------------------------ reporting
    def cure_fraction_by(self, limit: int = 50) -> list[dict]:
        spec = self.cure_spec
        if spec is None or spec.intercept_only or self.fit.covariates is None:
            return []
        frame = self.fit.covariates[list(spec.columns)].drop_duplicates().head(limit)
        frame = frame.reset_index(drop=True)
        full = self._profile_frame(frame)
        p = self.cure_fraction(full)
        out = []
        for i in range(len(frame)):
            pat = {c: _py(frame.iloc[i][c]) for c in spec.columns}
            out.append({"pattern": pat, "estimate": _num(p.estimate[i, 0]),
                        "lower": _num(p.lower[i, 0]), "upper": _num(p.upper[i, 0])})
        return out

    def _profile_frame(self, frame):
        """Complete ``frame`` with the other covariates at their reference values."""
        import pandas as pd

        ref = {}
        for spec in self.fit.specs.values():
            if spec is not None:
                ref.update(spec.reference_frame(self.fit.covariates).iloc[0].to_dict())
        full = pd.DataFrame({c: [v] * len(frame) for c, v in ref.items()})
        for c in frame.columns:
            full[c] = frame[c].to_numpy()
        return full

    def summary(self) -> SummaryTable:
        rows = tuple((r["name"], r["estimate"], r["se"], r["lower"], r["upper"])
                     for r in self.parameters())
        pct = f"{100 * self.conf_level:g}%"
        cf = self.marginal_cure_fraction()
        foot = [f"n = {self.fit.n}, events = {self.fit.n_events:g}, log-likelihood = "
                f"{self.loglik:.4f}, AIC = {self.aic:.3f}, BIC = {self.bic:.3f}",
                f"cure fraction = {cf.estimate[0, 0]:.4f} ({pct} CI {cf.lower[0, 0]:.4f} to "
                f"{cf.upper[0, 0]:.4f}; {self.ci})",
                "converged: " + ("at the boundary (cure fraction 0: no plateau)"
                                 if self.boundary is not None else
                                 "yes" if self.converged else "NO (" + self.fit.message + ")")]
        return SummaryTable(
            title=f"{self.kind} cure model, {self.dist.base.name} latency, {self.link} link",
            columns=("parameter", "estimate", "se", f"lower {pct}", f"upper {pct}"),
            rows=rows, footer=tuple(foot),
            info={"dist": self.dist.base.name, "cure": self.kind, "loglik": self.loglik,
                  "aic": self.aic, "bic": self.bic, "k": self.k, "converged": self.converged})

    def covariance(self) -> dict:
        return self.fit.covariance()

    def reference_profile(self) -> dict | None:
        return self.fit.reference_profile()

    def bootstrap_info(self) -> dict | None:
        return None if self.bootstrap is None else self.bootstrap.to_dict()

    def __repr__(self) -> str:
        return (f"CureFit({self.kind}, dist={self.dist.base.name}, link={self.link}, "
                f"loglik={self.loglik:.4f}, boundary={self.boundary is not None})")
