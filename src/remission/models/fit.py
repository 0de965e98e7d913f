"""Fitting parametric survival models: the generic function and the data-level front end."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..distributions import Distribution, get_distribution
from ..errors import ConvergenceError, DataError
from .design import design_matrices
from .likelihood import Layout, SurvivalArrays, loglik
from .optimize import maximize
from .result import ParametricFit


def canonical_order(data: SurvivalArrays, designs=None) -> np.ndarray:
    """A row order that depends only on the rows' values, not on their input order: sorted by
    time, then event, entry, weight, background hazard and design columns.  Rows equal in all
    of these are interchangeable, so any permutation of the input gives bit-identical arrays."""
    keys = [np.asarray(X, dtype=float).reshape(data.n, -1)[:, c]
            for X in reversed(list((designs or {}).values())) if X is not None
            for c in range(np.asarray(X).reshape(data.n, -1).shape[1] - 1, -1, -1)]
    keys += [a for a in (data.bhazard, data.weights, data.entry) if a is not None]
    keys += [data.event, data.time]
    return np.lexsort(keys)  # the last key is the primary one


def reorder(data: SurvivalArrays, designs, order):
    """``data`` and the design matrices with their rows taken in ``order``."""
    def take(a):
        return None if a is None else np.asarray(a)[order]
    sdata = SurvivalArrays(data.time[order], data.event[order], take(data.entry),
                           take(data.weights), take(data.bhazard))
    sdesigns = {p: take(X) for p, X in (designs or {}).items()}
    return sdata, sdesigns


def fit_distribution(dist: Distribution, time, event, *, entry=None, weights=None,
                     bhazard=None, designs=None, design_names=None, fixed=None, start=None,
                     conf_level: float = 0.95, time_unit=None, specs=None, covariates=None,
                     raise_on_failure: bool = True) -> ParametricFit:
    """Maximum-likelihood fit of any distribution object to right-censored data.

    Parameters
    ----------
    dist : a :class:`~remission.distributions.Distribution` (its ``setup`` is called first,
        e.g. to place spline knots).
    time, event, entry, weights : arrays (entry = left-truncation time; 0 or None = none).
    bhazard : optional background hazard at each exit time (relative survival: ``dist`` then
        models the excess hazard).
    designs : ``{parameter: X}`` with X an (n, p) design matrix whose first column is the
        intercept; parameters not listed are intercept-only.  ``design_names``:
        ``{parameter: [column names]}`` (first "(Intercept)").
    fixed : ``{parameter: value}`` natural-scale values held fixed.
    start : optional list of natural-scale starting tuples (else ``dist.start``).
    raise_on_failure : raise :class:`ConvergenceError` when the fit does not converge
        (default); with False the result is returned flagged ``converged=False``.
    """
    data = SurvivalArrays.build(time, event, entry, weights, bhazard)
    # The optimiser sees the rows in a canonical order, so that every sum is taken in the
    # same order whatever the order of the input: families without closed-form derivatives
    # (gamma, gengamma) get their gradient by differences and their Hessian by differences of
    # that gradient, whose rounding (~1e-5 relative in an SE) would otherwise change with a
    # shuffle of the rows.  The result keeps the caller's row order (``layout`` below).
    order = canonical_order(data, designs)
    sdata, sdesigns = reorder(data, designs, order)
    dist = dist.setup(sdata.time, sdata.event > 0, sdata.weights)
    layout = Layout.build(dist, designs, design_names, fixed)
    slayout = Layout.build(dist, sdesigns, design_names, fixed)
    cands = list(start) if start is not None else dist.start(sdata.time, sdata.event > 0,
                                                             sdata.weights)
    fixed = dict(fixed or {})
    cands = [tuple(fixed.get(p, c[j]) for j, p in enumerate(dist.parameters)) for c in cands]
    starts = [layout.start_from(c) for c in cands]
    first = starts if dist.multimodal else starts[:1]
    res = maximize(slayout, sdata, first)
    if not res.converged and len(starts) > len(first):
        res2 = maximize(slayout, sdata, starts)
        if res2.converged or res2.loglik > res.loglik:
            res = res2
    if res.converged:
        ll = loglik(slayout, res.beta, sdata)
    else:
        ll = res.loglik
    try:
        vcov = np.linalg.inv(-res.hessian)
        vcov = 0.5 * (vcov + vcov.T)
    except np.linalg.LinAlgError:
        vcov = np.full_like(res.hessian, np.nan)
    n_ev = float(np.sum(data.event if data.weights is None else data.event * data.weights))
    n_ev = int(n_ev) if n_ev.is_integer() else n_ev  # a count unless weights make it a sum
    fitres = ParametricFit(dist=dist, layout=layout, coef=res.beta, vcov=vcov, loglik=float(ll),
                           n=data.n, n_events=n_ev, converged=res.converged,
                           iterations=res.iterations, message=res.message,
                           conf_level=conf_level, time_unit=time_unit, specs=dict(specs or {}),
                           covariates=covariates, relative_survival=bhazard is not None,
                           tmax=float(np.max(data.time)))
    if not res.converged and raise_on_failure:
        raise ConvergenceError(f"the {dist.name} model did not converge ({res.message})")
    return fitres


@dataclass(frozen=True)
class ParametricModel:
    """A parametric family with its covariates, separate from its fitted result: the
    parametric layer under :class:`~remission.models.spec.ModelSpec` (which adds cure models,
    background mortality and intervals, and checks every option once).

    ``covariates`` act on the distribution's location parameter; ``anc`` maps other
    (ancillary) parameters to their own covariate lists, like flexsurv's ``anc``.  Columns are
    categorical when non-numeric, listed in ``categorical``, or written ``factor(col)``.

    >>> from remission.data.survival_data import SurvivalData
    >>> d = SurvivalData.from_arrays([5., 8., 12., 3., 9.], [1, 1, 0, 1, 1])
    >>> fit = ParametricModel("exponential").fit(d)
    >>> round(fit.parameters()[0]["estimate"], 6)   # 4 events / 37 time units
    0.108108
    """

    dist: object = "weibull"
    covariates: tuple = ()
    anc: dict = field(default_factory=dict)
    categorical: tuple = ()
    fixed: dict = field(default_factory=dict)
    dist_options: dict = field(default_factory=dict)
    conf_level: float = 0.95

    def fit(self, data, bhazard=None, raise_on_failure: bool = True) -> ParametricFit:
        dist = get_distribution(self.dist, **self.dist_options)
        frame = data.covariates
        wanted = {dist.location: list(self.covariates or ())}
        for p, cols in (self.anc or {}).items():
            if p not in dist.parameters:
                raise DataError(f"'{p}' is not a parameter of the {dist.name} distribution "
                                f"({', '.join(dist.parameters)})")
            wanted[p] = list(wanted.get(p, [])) + list(cols)
        specs, designs, names = design_matrices(frame, wanted, self.categorical)
        from .background import bhazard_values

        bhazard = bhazard_values(data, bhazard)
        return fit_distribution(dist, data.time, data.event, entry=data.entry,
                                weights=data.weights, bhazard=bhazard, designs=designs,
                                design_names=names, fixed=self.fixed,
                                conf_level=self.conf_level, time_unit=data.time_unit,
                                specs=specs, covariates=frame,
                                raise_on_failure=raise_on_failure)


def fit_parametric(data, dist="weibull", *, covariates=(), anc=None, categorical=(),
                   fixed=None, bhazard=None, conf_level: float = 0.95,
                   raise_on_failure: bool = True, **dist_options) -> ParametricFit:
    """Fit a parametric survival model to :class:`~remission.data.SurvivalData`.

    ``dist`` is a registry name (``exponential``, ``weibull``, ``gompertz``, ``lognormal``,
    ``loglogistic``, ``gamma``, ``gengamma``, ``spline`` with ``k=`` and ``scale=``) or a
    distribution object.  See :class:`ParametricModel` for the covariate options.
    """
    model = ParametricModel(dist, tuple(covariates or ()), dict(anc or {}),
                            tuple(categorical or ()), dict(fixed or {}), dict(dist_options),
                            conf_level)
    return model.fit(data, bhazard=bhazard, raise_on_failure=raise_on_failure)
