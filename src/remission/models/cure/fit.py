"""Fitting parametric cure models to data: :func:`fit_cure_model` returns a
:class:`~remission.models.cure.CureFit` (the Python API; :meth:`ModelSpec.fit
<remission.models.spec.ModelSpec.fit>` calls it), :func:`fit_cure` its model document.
"""
from __future__ import annotations

import numpy as np

from ...errors import OptionError
from ..design import design_matrices
from ..fit import fit_distribution
from ..spec import DEFAULT_SEED
from .boundary import PI_BOUNDARY, boundary_fit
from .combinators import cure_distribution
from .result import CureFit


# ---------------------------------------------------------------------- fitting
def resolve_bhazard(data, bhazard=None, background=None):
    """Per-subject background hazard at exit from a column name, an array or a
    :class:`~remission.models.background.BackgroundMortality`."""
    if background is not None:
        if bhazard is not None:
            raise OptionError("give either --bhazard or --lifetable, not both")
        return background.hazard_at_exit(data.time)
    from ..background import bhazard_values

    return bhazard_values(data, bhazard)


def fit_cure_model(data, dist="weibull", cure="mixture", link="logistic", *, covariates=(),
                   cure_covariates=(), categorical=(), bhazard=None, background=None,
                   knots=1, scale="hazard", conf_level=0.95, ci="delta", reps=1000,
                   seed=None, bootstrap="nonparametric", scheduler=None, chunk_size=None,
                   progress=False):
    """Fit a mixture or non-mixture cure model to :class:`~remission.data.SurvivalData`.

    ``dist``: any parametric family name (or object), ``"spline"`` with ``knots``/``scale``,
    or ``"cox"`` (semi-parametric mixture cure with a Cox PH latency, see
    :func:`remission.models.cure.cox_fit.fit_cox_cure`).  ``covariates`` act on the latency's
    location parameter, ``cure_covariates`` on the cure fraction (through ``link``).
    ``bhazard`` (column name or array) or ``background`` (BackgroundMortality) turn the model
    into a relative-survival (excess hazard) cure model: pi is then the statistical cure.
    ``ci``: "delta" or "bootstrap" (``bootstrap`` = "nonparametric" or "parametric", ``reps``
    replicates, ``seed``; ``scheduler``/``chunk_size`` as in :func:`remission.parallel.map_chunks`).
    """
    from ...distributions import get_distribution
    from ..spec import COX, ModelSpec

    # every option checked once, by the one model specification (a distribution object
    # stands in as "weibull" there: only its name is unknown to the specification)
    spec = ModelSpec(dist=dist if isinstance(dist, str) else "weibull", cure=cure, link=link,
                     covariates=covariates, cure_covariates=cure_covariates,
                     categorical=categorical, knots=knots, scale=scale, ci=ci,
                     bootstrap=bootstrap, reps=reps, seed=seed, conf_level=conf_level)
    if spec.cure is None:
        raise OptionError("a cure model needs --cure mixture or non-mixture")
    if spec.dist == COX:
        return spec.fit(data, scheduler=scheduler, chunk_size=chunk_size)
    seed = DEFAULT_SEED if seed is None else seed  # reproducible even without --seed

    base = get_distribution(dist, **spec.dist_options)
    cdist = cure_distribution(base, spec.cure, spec.link)
    specs, designs, names = design_matrices(
        data.covariates, {"cure": cure_covariates, cdist.location: covariates}, categorical)
    bh = resolve_bhazard(data, bhazard, background)
    arrays = {"time": data.time, "event": data.event, "entry": data.entry,
              "weights": data.weights, "bhazard": bh}
    fit = fit_distribution(cdist, data.time, data.event, entry=data.entry,
                           weights=data.weights, bhazard=bh, designs=designs,
                           design_names=names, conf_level=conf_level,
                           time_unit=data.time_unit, specs=specs, covariates=data.covariates,
                           raise_on_failure=False)
    bnd = None
    pi_hat = float(fit.natural_parameters()[0][0])
    cure_free = "cure" not in designs
    if cure_free and (pi_hat < PI_BOUNDARY or not fit.converged):
        from dataclasses import replace as _replace

        b = boundary_fit(fit.dist, arrays, designs, names, conf_level)
        if pi_hat < PI_BOUNDARY and fit.converged:
            # the optimiser ran to (numerically) pi = 0: the boundary is the answer; keep the
            # better of the two fits for the latency parameters
            bnd = _replace(b, loglik=max(b.loglik, fit.loglik))
            if b.fit.converged and b.fit.loglik >= fit.loglik:
                fit = _with_meta(b.fit, conf_level, data, specs)
        elif b.fit.converged and (not fit.converged or b.loglik >= fit.loglik - 1e-6):
            bnd = b
            fit = _with_meta(b.fit, conf_level, data, specs)
    cfit = CureFit(fit, cdist.kind, cdist.link.name, bnd, background, specs.get("cure"),
                   float(np.max(data.time)))
    if ci == "bootstrap" and cfit.converged:
        from dataclasses import replace

        from .bootstrap import bootstrap_cure

        boot = bootstrap_cure(cfit, data, reps=reps, seed=seed, kind=bootstrap,
                              scheduler=scheduler, chunk_size=chunk_size, progress=progress,
                              bhazard=bh)
        cfit = replace(cfit, fit=fit.with_bootstrap(boot))
    return cfit


def _with_meta(fit, conf_level, data, specs):
    from dataclasses import replace

    return replace(fit, conf_level=conf_level, time_unit=data.time_unit, specs=specs,
                   covariates=data.covariates)


def fit_cure(data, *, dist="weibull", cure="mixture", link="logistic", covariates=(),
             cure_covariates=(), times=None, ci="delta", reps=1000, seed=None,
             conf_level=0.95, lifetable=None, age=None, sex=None, year=None, bhazard=None,
             knots=1, scale="hazard", scheduler=None, bootstrap="nonparametric",
             categorical=(), progress=False) -> dict:
    """Fit a cure model and return its model document (``remission fit --cure ...
    --format json``).

    ``lifetable`` ("us", a CSV path or a :class:`~remission.models.background.LifeTable`) with
    the ``age``/``sex``/``year`` columns, or ``bhazard`` (a column), make it a relative-survival
    cure model; the document then also reports the loss of lifetime.
    """
    from ..spec import ModelSpec

    spec = ModelSpec(dist=dist, cure=cure, link=link, covariates=covariates,
                     cure_covariates=cure_covariates, categorical=categorical, knots=knots,
                     scale=scale, lifetable=lifetable, age=age, sex=sex, year=year,
                     bhazard=bhazard, ci=ci, bootstrap=bootstrap, reps=reps, seed=seed,
                     conf_level=conf_level)
    fit = spec.fit(data, scheduler=scheduler, progress=progress)
    return fit.to_dict(times)
