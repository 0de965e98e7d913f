r"""Model-based evidence for cure: likelihood-ratio test of pi = 0, AIC, and agreement with the
nonparametric estimate.

The Weibull mixture cure model S(t) = pi + (1 - pi) exp(-(t/scale)^shape)
(:class:`remission.models.cure.MixtureCure`) is compared with the Weibull without cure (its
pi = 0 special case).  pi = 0 lies on the boundary of the parameter space, so the likelihood
ratio LR = 2 (l_cure - l_nocure) has the null distribution 0.5 chi2(0) + 0.5 chi2(1) (Self and
Liang 1987; Maller and Zhou 1995 for the exponential mixture):

    p = 0.5 P(chi2_1 >= LR) for LR > 0,   p = 1 for LR = 0.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


def boundary_lrt_pvalue(lr: float) -> float:
    """P-value of the 50:50 mixture of chi-square(0) and chi-square(1).

    >>> round(boundary_lrt_pvalue(2.705543), 4)  # the one-sided 5% point
    0.05
    >>> boundary_lrt_pvalue(0.0)
    1.0
    """
    lr = float(lr)
    if lr <= 0:
        return 1.0
    return float(0.5 * stats.chi2.sf(lr, 1))


@dataclass(frozen=True)
class ModelEvidence:
    loglik_cure: float
    loglik_nocure: float
    aic_cure: float
    aic_nocure: float
    lr: float
    p_value: float
    cure_estimate: float
    cure_lower: float
    cure_upper: float
    shape: float
    scale: float
    nocure_shape: float
    nocure_scale: float
    converged: bool
    km_cure: float
    km_lower: float
    km_upper: float

    @property
    def preferred(self) -> str:
        return "cure" if self.aic_cure < self.aic_nocure else "no cure"

    def agreement(self) -> dict:
        """Nonparametric (Maller-Zhou) versus parametric cure estimates."""
        diff = self.cure_estimate - self.km_cure
        overlap = not (self.cure_upper < self.km_lower or self.km_upper < self.cure_lower) \
            if np.all(np.isfinite([self.cure_lower, self.cure_upper, self.km_lower,
                                   self.km_upper])) else None
        return {"nonparametric": self.km_cure, "parametric": self.cure_estimate,
                "difference": diff, "intervals_overlap": overlap,
                "parametric_inside_nonparametric_ci": bool(self.km_lower <= self.cure_estimate
                                                           <= self.km_upper)
                if np.isfinite(self.km_lower) else None}

    def to_dict(self) -> dict:
        return {"test": "likelihood ratio, weibull mixture cure vs weibull",
                "null": "cure fraction = 0",
                "null_distribution": "0.5 chi2(0) + 0.5 chi2(1)",
                "statistic": self.lr, "p_value": self.p_value,
                "loglik": {"cure": self.loglik_cure, "no_cure": self.loglik_nocure},
                "aic": {"cure": self.aic_cure, "no_cure": self.aic_nocure,
                        "delta": self.aic_nocure - self.aic_cure,
                        "preferred": self.preferred},
                "cure_fraction": {"estimate": self.cure_estimate, "lower": self.cure_lower,
                                  "upper": self.cure_upper},
                "latency": {"dist": "weibull", "shape": self.shape, "scale": self.scale},
                "no_cure": {"dist": "weibull", "shape": self.nocure_shape,
                            "scale": self.nocure_scale},
                "converged": self.converged,
                "agreement": self.agreement()}


def fit_cure_weibull(time, event):
    """(mixture cure fit, no-cure fit): Weibull latency, logistic link."""
    from ..distributions import get_distribution
    from ..models import fit_distribution
    from ..models.cure import MixtureCure

    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=bool)
    f0 = fit_distribution(get_distribution("weibull"), t, e)
    f1 = fit_distribution(MixtureCure(get_distribution("weibull")), t, e,
                          raise_on_failure=False)
    return f1, f0


def model_evidence(time, event, tail=None) -> ModelEvidence:
    """LRT, AIC and agreement for data (time, event).  ``tail``: precomputed TailFacts."""
    from ..errors import ConvergenceError
    from .tail import tail_facts

    tf = tail or tail_facts(time, event)
    f1, f0 = fit_cure_weibull(time, event)
    if not f1.converged:
        raise ConvergenceError("the Weibull mixture cure model did not converge "
                               f"({f1.message}); the likelihood-ratio test is not available")
    lr = max(0.0, 2.0 * (f1.loglik - f0.loglik))
    p1 = {r["name"]: r for r in f1.parameters()}
    p0 = {r["name"]: r for r in f0.parameters()}
    return ModelEvidence(
        loglik_cure=float(f1.loglik), loglik_nocure=float(f0.loglik), aic_cure=float(f1.aic),
        aic_nocure=float(f0.aic), lr=lr, p_value=boundary_lrt_pvalue(lr),
        cure_estimate=float(p1["cure"]["estimate"]), cure_lower=_f(p1["cure"]["lower"]),
        cure_upper=_f(p1["cure"]["upper"]), shape=float(p1["shape"]["estimate"]),
        scale=float(p1["scale"]["estimate"]), nocure_shape=float(p0["shape"]["estimate"]),
        nocure_scale=float(p0["scale"]["estimate"]), converged=bool(f1.converged),
        km_cure=tf.survival_at_plateau, km_lower=tf.lower, km_upper=tf.upper)


def _f(v):
    return float("nan") if v is None else float(v)
