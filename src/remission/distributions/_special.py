"""Numerically careful special functions shared by the gamma-type families."""
from __future__ import annotations

import numpy as np
from scipy.special import gammainc, gammaincc, gammaln

_HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)


def log_gammaincc(a, x):
    """log Q(a, x) (regularised upper incomplete gamma), finite far into the upper tail."""
    a, x = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(x, dtype=float))
    v = np.asarray(gammaincc(a, x))
    with np.errstate(divide="ignore", invalid="ignore"):
        # near 1, log1p of the complement keeps tiny cumulative hazards accurate
        out = np.array(np.where(v > 0.5, np.log1p(-gammainc(a, x)), np.log(v)), dtype=float)
        tail = (v < 1e-250) & (x > a)
        if np.any(tail):
            at, xt = a[tail], x[tail]
            series = 1 + (at - 1) / xt + (at - 1) * (at - 2) / xt ** 2
            out[tail] = (at - 1) * np.log(xt) - xt - gammaln(at) + np.log(series)
    return out


def log_gammainc(a, x):
    """log P(a, x) (regularised lower incomplete gamma), finite far into the lower tail."""
    a, x = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(x, dtype=float))
    v = np.asarray(gammainc(a, x))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.array(np.where(v > 0.5, np.log1p(-gammaincc(a, x)), np.log(v)), dtype=float)
        tail = (v < 1e-250) & (x < a) & (x > 0)
        if np.any(tail):
            at, xt = a[tail], x[tail]
            out[tail] = at * np.log(xt) - xt - gammaln(at + 1) + np.log1p(xt / (at + 1))
    return out


def stirlerr(k):
    """log Gamma(k + 1) - (k + 1/2) log k + k - log sqrt(2 pi), accurate for large k."""
    k = np.asarray(k, dtype=float)
    big = k > 15
    kb = np.where(big, k, 16.0)
    ks = np.where(big, 1.0, k)
    series = 1 / (12 * kb) - 1 / (360 * kb ** 3) + 1 / (1260 * kb ** 5) - 1 / (1680 * kb ** 7)
    direct = gammaln(ks + 1) - (ks + 0.5) * np.log(ks) + ks - _HALF_LOG_2PI
    return np.where(big, series, direct)


def expm1mx(x):
    """exp(x) - 1 - x without cancellation near 0."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < 1e-2
    xs = np.where(small, 0.0, x)
    series = x * x * (0.5 + x * (1 / 6 + x * (1 / 24 + x * (1 / 120 + x / 720))))
    with np.errstate(over="ignore"):
        return np.where(small, series, np.expm1(xs) - xs)
