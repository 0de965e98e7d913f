"""The bootstrap of a cure fit: the batched refits of :mod:`remission.models.bootstrap`, plus
the cure fraction's boundary.

Without cure covariates a replicate whose cure fraction runs to 0 (no plateau in that
resample) is a legitimate boundary estimate, not a failure: :class:`CureBoundary` stops its
Newton steps early, refits its latency with pi held at the boundary (batched as well), and the
replicate is kept with pi = 0 and counted as ``boundary``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..bootstrap import MAX_NEWTON, BootstrapResult, batched_newton, bootstrap_fit  # noqa: F401
from .boundary import PI_BOUNDARY


@dataclass(frozen=True)
class CureBoundary:
    """The boundary hook of :func:`remission.models.bootstrap.bootstrap_fit` for a free cure
    fraction (the first parameter, through its link)."""

    link: object

    def stop(self, B):
        """Rows whose cure fraction ran to 0: no interior maximum to step towards."""
        return np.asarray(self.link.forward(B[:, 0])) < PI_BOUNDARY * 1e-2

    def refit(self, problem, B, status, ll, T, D, W):
        pi = np.asarray(self.link.forward(B[:, 0]))
        drift = np.flatnonzero(np.isfinite(ll) & (pi < PI_BOUNDARY))
        if drift.size:
            B, status = _refit_at_boundary(problem, B, status, drift, T, D, W)
        return B, status


def _refit_at_boundary(problem, B, status, rows, T, D, W):
    """Resamples whose cure fraction ran to 0: refit the latency with pi held at the boundary
    (0 for the mixture model, the base model exactly; 1e-10 for the non-mixture model, whose
    supremum is only approached), so their latency coefficients are that model's MLE."""
    from ..likelihood import Layout

    lay = problem.layout
    dist = lay.dist
    pi0 = 0.0 if dist.kind == "mixture" else 1e-10
    designs = {p: X for p, X in zip(dist.parameters, lay.designs) if X is not None}
    names = {}
    for p, s in zip(dist.parameters, lay.slices):
        if p in designs:
            names[p] = ["(Intercept)"] + [n.split(":", 1)[1] for n in lay.names[s][1:]]
    fixed = Layout.build(dist, {k: v for k, v in designs.items() if k != "cure"},
                         {k: v for k, v in names.items() if k != "cure"}, {"cure": pi0})
    sub = B[rows][:, 1:]
    Tr = T if np.ndim(T) == 1 else T[rows]
    Dr = D if np.ndim(D) == 1 else D[rows]
    Wr = None if W is None else W[rows]
    Bf, _, conv, _ = batched_newton(fixed, sub, Tr, Dr, Wr, problem.entry, problem.bhazard,
                                    max_iter=problem.max_iter)
    B = B.copy()
    B[rows, 1:] = Bf
    B[rows, 0] = float(dist.bijections()[0].inverse(pi0))
    status = status.copy()
    status[rows] = np.where(conv, 1, 2)
    return B, status


def bootstrap_cure(cfit, data, *, reps=1000, seed=None, kind="nonparametric", scheduler=None,
                   chunk_size=None, n_workers=None, progress=False, bhazard=None,
                   max_iter=MAX_NEWTON) -> BootstrapResult:
    """Bootstrap a :class:`~remission.models.cure.CureFit` (see
    :func:`remission.models.bootstrap.bootstrap_fit`).

    ``kind``: "nonparametric" (resample patients) or "parametric" (simulate from the fit).
    ``scheduler``: None/"sync" (in process), "local", "threads" or a Dask address.
    """
    lay = cfit.fit.layout
    free = cfit.cure_spec is None or cfit.cure_spec.intercept_only
    hook = CureBoundary(lay.dist.bijections()[0]) if free and lay.fixed[0] is None else None
    return bootstrap_fit(cfit.fit, data, reps=reps, seed=seed, kind=kind, scheduler=scheduler,
                         chunk_size=chunk_size, n_workers=n_workers, progress=progress,
                         bhazard=bhazard, max_iter=max_iter, boundary=hook)
