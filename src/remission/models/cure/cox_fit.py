"""Fitting the semi-parametric (Cox-latency) mixture cure model: the full-data EM and its
bootstrap, every replicate refitted at once by :func:`.cox_em.em_batch` (see :mod:`.cox_em`).
"""
from __future__ import annotations

import numpy as np

from ...errors import OptionError
from ..design import DesignSpec
from .cox_em import _prepare, em_batch
from .cox_result import CoxCureFit


def fit_cox_cure(data, *, covariates=(), cure_covariates=(), categorical=(), link="logistic",
                 reps=200, seed=None, conf_level=0.95, scheduler=None, chunk_size=None,
                 stratified=False):
    """Fit the semi-parametric mixture cure model (see :mod:`.cox_em`).

    ``stratified=True`` resamples events and censored subjects separately, as smcure does;
    the default resamples patients (the number of events is random in a new trial, and fixing
    it understates the uncertainty of the cure fraction, which is tied to the censored tail).
    """
    from ..spec import COX, ModelSpec

    ModelSpec(dist=COX, cure="mixture", link=link, conf_level=conf_level)  # the one check
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


def resample_counts(s, w0, stratified, chunk):
    """The bootstrap case weights of a chunk of replicates (R, n), in the sorted order of
    ``s``: multinomial counts from each replicate's own generator, times the data weights."""
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
    return C * w0[None, :]


def _boot_chunk(s, w0, b0, beta0, last_idx, stratified, chunk):
    """Refit every replicate of the chunk at once: one EM batch, warm-started at the
    full-data estimate, one Newton step per M-step (see :func:`.cox_em.em_batch`)."""
    C = resample_counts(s, w0, stratified, chunk)
    R = chunk.size
    res = em_batch(s, C, np.repeat(b0[None], R, 0), np.repeat(beta0[None], R, 0), newton=1)
    H = res["H0"][:, last_idx]
    return [(res["b"][r], res["beta"][r], H[r], bool(res["converged"][r])) for r in range(R)]
