r"""The kernel-smoothed Grenander estimator of a density, row-wise over many samples.

Definitions (Yuen and Musta 2026, Biometrical Journal, doi 10.1002/bimj.70121, sec. 3;
Groeneboom and Jongbloed 2014, ch. 8 for the boundary kernels).  F_n = 1 - KM on [0, tau_G].

* F^G_n: the least concave majorant (LCM) of the points (0, 0) and (t_i, F_n(t_i)); only event
  times and the last observed time can be vertices (a censoring time sits below the chord to
  the next event), so the hull is built on those points.  The Grenander estimator f^G_n is its
  slope (0 beyond the last vertex).
* f^SG_{nh}(x) = \int k_{B,x}((x - u)/h) f^G_n(u) du / h with the triweight kernel
  k(u) = 35/32 (1 - u^2)^3 on [-1, 1], made a boundary kernel on [0, tau_G] by the local-linear
  correction: on the part [L, U] of [-1, 1] that stays inside [0, tau_G],
  k_B(u) = (m2 - m1 u) / (m0 m2 - m1^2) k(u), m_j = \int_L^U u^j k(u) du.  This is the same
  kernel as the phi/psi boundary kernels of the authors' R code (at the right boundary
  phi(q) - psi(q) u with q = (tau_G - x)/h), written once for both ends.
* \tilde F_{nh0}: the same smoothing applied to the LCM F^G_n itself (a smooth distribution
  function), the world the bootstrap samples from.

Bandwidths follow the authors: h = min(tau_G n^{-1/5}, tau_G / 2) for the statistic and
h0 = min(0.7 tau_G n^{-1/9}, tau_G / 2) for the bootstrap world.
"""
from __future__ import annotations

import numpy as np

_C = 35.0 / 32.0


def kernel_moments(s):
    r"""I_j(s) = \int_{-1}^{s} u^j k(u) du, j = 0, 1, 2, for the triweight kernel (s clamped to
    [-1, 1]).

    >>> [round(float(v), 12) for v in kernel_moments(1.0)]
    [1.0, 0.0, 0.111111111111]
    """
    s = np.clip(np.asarray(s, dtype=float), -1.0, 1.0)
    s2 = s * s
    i0 = _C * s * (1 - s2 + 0.6 * s2 * s2 - s2 ** 3 / 7.0) + 0.5
    i1 = _C * (s2 / 2 - 0.75 * s2 * s2 + 0.5 * s2 ** 3 - s2 ** 4 / 8.0 - 0.125)
    i2 = _C * (s * s2 / 3.0 - 0.6 * s * s2 * s2 + 3.0 * s * s2 ** 3 / 7.0 - s * s2 ** 4 / 9.0
               + 16.0 / 315.0)
    return i0, i1, i2


def _boundary_coefficients(x, h, a, b):
    """(L, U, c0, c1) with k_B(u) = (c0 + c1 u) k(u) on [L, U] at points x."""
    lo = np.maximum(-1.0, (x - b) / h)
    hi = np.minimum(1.0, (x - a) / h)
    a0, a1, a2 = kernel_moments(lo)
    b0, b1, b2 = kernel_moments(hi)
    m0, m1, m2 = b0 - a0, b1 - a1, b2 - a2
    det = m0 * m2 - m1 * m1
    return lo, hi, m2 / det, -m1 / det


def smooth_density_at(kx, ky, x, h, b, a=0.0):
    r"""f^SG(x) = \int k_B((x - u)/h) f^G(u) du / h for piecewise-linear LCMs.

    ``kx``/``ky`` (B, m): hull vertices per row, padded on the right by repeating the last
    vertex (zero-length segments contribute nothing); ``x``, ``h``, ``b``: (B,) or scalars.
    """
    kx = np.atleast_2d(kx)
    ky = np.atleast_2d(ky)
    x = np.asarray(x, float)[..., None] if np.ndim(x) else float(x)
    h = np.asarray(h, float)[..., None] if np.ndim(h) else float(h)
    b = np.asarray(b, float)[..., None] if np.ndim(b) else float(b)
    lo, hi, c0, c1 = _boundary_coefficients(x, h, a, b)
    dx = np.diff(kx, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(dx > 0, np.diff(ky, axis=1) / dx, 0.0)
    # segment j covers u in [(x - kx_{j+1})/h, (x - kx_j)/h], clipped to [L, U]
    u = np.clip((x - kx) / h, lo, hi)
    i0, i1, _ = kernel_moments(u)
    w = c0 * i0 + c1 * i1                  # \int_{-1}^{u} k_B
    return np.sum(slope * (w[:, :-1] - w[:, 1:]), axis=1)


def smooth_cdf_grid(kx, ky, grid, h, b, a=0.0):
    r"""\tilde F(x) = \int k_B((x - u)/h) F^G(u) du / h on ``grid`` for ONE LCM (kx, ky 1-D).

    F^G is linear on each hull segment: a_j y + c_j with y = x - h u, so each segment adds
    (a_j x + c_j) \int k_B - a_j h \int u k_B over its part of [L, U].
    """
    kx = np.asarray(kx, float)
    ky = np.asarray(ky, float)
    x = np.asarray(grid, float)[:, None]
    lo, hi, c0, c1 = _boundary_coefficients(x, h, a, b)
    dx = np.diff(kx)
    slope = np.where(dx > 0, np.diff(ky) / np.where(dx > 0, dx, 1.0), 0.0)
    icpt = ky[:-1] - slope * kx[:-1]
    u = np.clip((x - kx[None, :]) / h, lo, hi)       # (G, m)
    i0, i1, i2 = kernel_moments(u)
    m0 = c0 * i0 + c1 * i1                            # \int_{-1}^{u} k_B
    m1 = c0 * i1 + c1 * i2                            # \int_{-1}^{u} u k_B
    d0 = m0[:, :-1] - m0[:, 1:]
    d1 = m1[:, :-1] - m1[:, 1:]
    return np.sum((slope * x + icpt) * d0 - slope * h * d1, axis=1)


def lcm_rows(x, y, active=None):
    """Least concave majorant of each row's points (x increasing within a row).

    ``active`` (B, m) bool: points that may be vertices (others are skipped; the first and
    last columns must be active).  Returns (kx, ky) (B, m), the vertices padded on the right
    with the last vertex.  Vectorised over rows: one pass over the columns, popping in all
    rows at once.
    """
    x = np.atleast_2d(np.asarray(x, float))
    y = np.atleast_2d(np.asarray(y, float))
    b, m = x.shape
    rows = np.arange(b)
    st = np.zeros((b, m), dtype=np.intp)
    ln = np.ones(b, dtype=np.intp)
    for k in range(1, m):
        act = np.ones(b, bool) if active is None else active[:, k]
        if not act.any():
            continue
        xk, yk = x[:, k], y[:, k]
        while True:
            can = act & (ln >= 2)
            if not can.any():
                break
            i1 = st[rows, np.maximum(ln - 1, 0)]
            i0 = st[rows, np.maximum(ln - 2, 0)]
            x0, y0, x1, y1 = x[rows, i0], y[rows, i0], x[rows, i1], y[rows, i1]
            # drop the middle vertex if it lies on or below the chord to the new point
            pop = can & ((y1 - y0) * (xk - x0) <= (yk - y0) * (x1 - x0))
            if not pop.any():
                break
            ln = ln - pop
        st[rows[act], ln[act]] = k
        ln = ln + act
    w = int(ln.max())
    idx = np.where(np.arange(w)[None, :] < ln[:, None], st[:, :w],
                   st[rows, ln - 1][:, None])
    return np.take_along_axis(x, idx, axis=1), np.take_along_axis(y, idx, axis=1)


def km_lcm_rows(km):
    """Hull of 1 - KM for each row of a :class:`~remission.nonparametric.km_batch.KMBatch`:
    points (0, 0), every distinct event time (at the last position of its tie) and the last
    observed time.  Returns (kx, ky) padded as :func:`lcm_rows`."""
    b, n = km.time.shape
    last = km.last_of_time()
    # a distinct time holds an event iff the first position of its tie does (events sort
    # first); the curve's value there is the one at the tie's last position
    start = np.concatenate((np.ones((b, 1), bool), km.time[:, 1:] != km.time[:, :-1]), axis=1)
    first_pos = np.maximum.accumulate(np.where(start, np.arange(n)[None, :], 0), axis=1)
    is_event_time = last & np.take_along_axis(km.event, first_pos, axis=1)
    act = is_event_time.copy()
    act[:, -1] = True
    x = np.concatenate((np.zeros((b, 1)), km.time), axis=1)
    y = np.concatenate((np.zeros((b, 1)), 1.0 - km.survival), axis=1)
    act = np.concatenate((np.ones((b, 1), bool), act), axis=1)
    # keep only the candidate vertices (in order), padding each row with its last point
    n_act = act.sum(axis=1)
    order = np.argsort(~act, axis=1, kind="stable")[:, :int(n_act.max())]
    pad = np.arange(order.shape[1])[None, :] >= n_act[:, None]
    order = np.where(pad, n, order)   # column n is the last observed time
    return lcm_rows(np.take_along_axis(x, order, axis=1), np.take_along_axis(y, order, axis=1))


def bandwidth(tau_g, n):
    """The statistic's bandwidth h = min(tau_G n^{-1/5}, tau_G / 2)."""
    return np.minimum(tau_g * n ** (-0.2), tau_g / 2.0)


def world_bandwidth(tau_g, n, multiplier: float = 0.7):
    """The bootstrap world's bandwidth h0 = min(0.7 tau_G n^{-1/9}, tau_G / 2)."""
    return np.minimum(multiplier * tau_g * n ** (-1.0 / 9.0), tau_g / 2.0)


def sg_at_end(km, tau_g=None):
    """f^SG_{nh}(tau_G) for every row of a KMBatch (tau_G: the row's last observed time unless
    given; h from :func:`bandwidth`)."""
    n = km.n
    tg = km.time[:, -1] if tau_g is None else np.broadcast_to(np.asarray(tau_g, float),
                                                              (km.time.shape[0],))
    kx, ky = km_lcm_rows(km)
    return smooth_density_at(kx, ky, tg, bandwidth(tg, n), tg)
