"""Maller-Zhou tail statistics of many samples at once (rows of (B, n) arrays), on the one
batched Kaplan-Meier (:func:`remission.nonparametric.km_batch.km_batch`).

A leaf module (it imports only the Kaplan-Meier), so that the null simulations
(:mod:`.simulate`) and the tests (:mod:`.maller_zhou`) share it without importing each other.
"""
from __future__ import annotations

import numpy as np


def batch_statistics(times, events, z: float = 1.959963984540054) -> dict:
    """Tail statistics of the rows of ``times``/``events`` (B, n), ties handled as
    :func:`~remission.nonparametric.kaplan_meier` does.

    Returns a dict of (B,) arrays: ``cure`` = KM(t_(n)), ``lower``/``upper`` (log-log Greenwood
    interval, as :func:`remission.nonparametric.kaplan_meier`), ``t_star`` (last event time),
    ``t_n``, ``n_n`` (events in (2 t* - t_(n), t*]), ``alpha_n`` = (1 - n_n/n)^n,
    ``n_events``.  Rows without events get cure = 1, alpha_n = 1 and NaN limits.
    """
    from ..nonparametric.km_batch import km_batch

    return statistics_from_km(km_batch(times, events), z)


def statistics_from_km(km, z: float = 1.959963984540054) -> dict:
    """:func:`batch_statistics` from an already computed
    :class:`~remission.nonparametric.km_batch.KMBatch`."""
    ts, es = km.time, km.event
    n = ts.shape[1]
    cure = km.survival[:, -1]
    var = km.greenwood[:, -1]
    n_ev = es.sum(axis=1)
    t_n = ts[:, -1]
    t_star = np.where(es, ts, -np.inf).max(axis=1)
    lo_int = 2.0 * t_star - t_n
    n_n = np.sum(es & (ts > lo_int[:, None]) & (ts <= t_star[:, None]), axis=1)
    alpha = np.where(n_ev == 0, 1.0, (1.0 - n_n / n) ** n)
    # log-log interval: S^(exp(+-z se / log S)), se = sqrt(Greenwood sum)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = z * np.sqrt(var) / np.log(cure)
        lower = cure ** np.exp(-k)
        upper = cure ** np.exp(k)
    bad = (n_ev == 0) | ~np.isfinite(var) | (cure <= 0)
    return {"cure": cure, "lower": np.where(bad, np.nan, lower),
            "upper": np.where(bad, np.nan, upper), "t_star": t_star, "t_n": t_n, "n_n": n_n,
            "alpha_n": alpha, "n_events": n_ev}
