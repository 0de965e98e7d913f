"""The one contract of every fitted model (parametric, parametric cure, Cox-latency cure).

:class:`FittedModel` is the base class of :class:`~remission.models.ParametricFit`,
:class:`~remission.models.cure.CureFit` and :class:`~remission.models.cure.CoxCureFit` (as
lifelines' fitters share one base class).  Every prediction returns the same
:class:`~remission.models.prediction.Prediction` (``estimate``, ``lower``, ``upper``, arrays
of shape (profiles, points)); ``newdata`` (a DataFrame or dict of covariate values) selects
the profiles, by default the reference profile (categorical covariates at their reference
level, numeric ones at their mean).

==========================  =============================================================
``survival(t)``             S(t)
``hazard(t)``               h(t) (a semi-parametric fit: the jump of H at t, see CoxCureFit)
``cumulative_hazard(t)``    H(t) = -log S(t)
``quantile(p)``             the time by which a fraction p has had the event (inf if never)
``median()``                ``quantile(0.5)``
``rmst(tau)``               restricted mean survival time, the integral of S over [0, tau]
``cure_fraction()``         pi for the profiles; **None for a model without a cure
                            fraction** (a non-cure fit does not estimate one: "no cure
                            parameter" is not "a cure fraction of 0 +- 0"; an improper
                            family's plateau is ``ParametricFit.long_term_survival()``)
``parameters()``            one dict per coefficient (name, estimate, se, lower, upper)
``summary()``               a :class:`~remission.models.table.SummaryTable` (to_text,
                            to_html, to_dict/to_json)
``to_dict(times)``          the model document of ``remission fit --format json``
                            (:func:`remission.models.document.model_document`)
==========================  =============================================================

and the statistics ``dist_name``, ``cure_kind`` (None, "mixture", "non-mixture"), ``n``,
``n_events``, ``k``, ``converged``, ``loglik``/``aic``/``bic`` (None for a semi-parametric
fit, whose likelihood is not comparable), ``conf_level``, ``time_unit``, ``tmax`` (the longest
follow-up), ``ci`` ("delta" or "bootstrap") and ``message``.  Cure models also satisfy
:class:`FittedCureModel` (the uncured, P(cured | event-free at t), the time to cure).
"""
from __future__ import annotations

from abc import ABC, abstractmethod


class FittedModel(ABC):
    """Base class (the protocol) of every fitted model; see the module docstring."""

    #: None for a model without a cure fraction, else "mixture" or "non-mixture"
    cure_kind: str | None = None

    # ------------------------------------------------------------------ predictions
    @abstractmethod
    def survival(self, times, newdata=None):
        """S(t) (a Prediction)."""

    @abstractmethod
    def hazard(self, times, newdata=None):
        """h(t) (a Prediction)."""

    @abstractmethod
    def cumulative_hazard(self, times, newdata=None):
        """H(t) = -log S(t) (a Prediction)."""

    @abstractmethod
    def quantile(self, p, newdata=None):
        """Time by which a fraction ``p`` has had the event (a Prediction; inf if never)."""

    def median(self, newdata=None):
        """``quantile(0.5)``."""
        return self.quantile(0.5, newdata)

    @abstractmethod
    def rmst(self, tau, newdata=None):
        """Restricted mean survival time to each ``tau`` (a Prediction)."""

    def cure_fraction(self, newdata=None):
        """The cure fraction pi (a Prediction), or None for a model without one."""
        return None

    def marginal_cure_fraction(self):
        """pi averaged over the fitted subjects (a Prediction), or None without a cure
        fraction."""
        return None

    def cure_fraction_by(self, limit: int = 50) -> list[dict]:
        """pi for each observed pattern of the cure covariates ([] without them)."""
        return []

    # ------------------------------------------------------------------ reporting
    @abstractmethod
    def parameters(self) -> list[dict]:
        """One row per coefficient: name, estimate, se, lower, upper."""

    @abstractmethod
    def summary(self):
        """A SummaryTable (renders as text, HTML or JSON)."""

    def to_dict(self, times=None, *, horizon=None) -> dict:
        """The model document (``remission fit --format json``), built by the one builder
        :func:`remission.models.document.model_document`."""
        from .document import model_document

        return model_document(self, times, horizon=horizon)

    # optional pieces of the document (None when the model has no such thing)
    def covariance(self) -> dict | None:
        """Coefficient covariance ``{"names", "matrix", "scale"}`` (None if not estimated)."""
        return None

    def reference_profile(self) -> dict | None:
        """Covariate values of the default prediction profile (None without covariates)."""
        return None

    def bootstrap_info(self) -> dict | None:
        """Bootstrap bookkeeping (type, reps, seed, used, failed) or None."""
        return None


class FittedCureModel(FittedModel):
    """What a cure model adds to the contract (CureFit, CoxCureFit): the survival of the
    uncured, P(cured | event-free at t) = pi / S(t), its ``link`` and its ``boundary`` (None,
    or the fit at pi = 0 when the data show no plateau)."""

    link: str = "logistic"
    boundary = None

    @abstractmethod
    def uncured_survival(self, times, newdata=None):
        """S_u(t), the survival of the uncured (a Prediction)."""

    @abstractmethod
    def uncured_median(self, newdata=None):
        """The median of S_u (a Prediction)."""

    @abstractmethod
    def probability_cured(self, times, newdata=None):
        """P(cured | event-free at t) = pi / S(t) (a Prediction)."""

    def cure_time(self, levels=(0.9, 0.95), newdata=None):
        """Time after which an event-free patient is cured with probability >= level (a
        Prediction), or None where the model does not provide it."""
        return None
