"""Intercept-only fast paths of the cure combinators over a Weibull base.

The likelihood (:func:`remission.models.likelihood.loglik`) calls ``dist.fast_loglik`` for
intercept-only models without background hazard; these reduce a likelihood-and-gradient pass
to one exponential per observation on log times precomputed once (``FastData``), instead of
the generic per-observation chain rule through the combinator.

With z = log t - log b, u = a z, H_u = exp(u), S_u = exp(-H_u) (Weibull shape a, scale b):

mixture        events:   log(1 - pi) + log a - log t + u - H_u
               censored: log S,  S = pi + (1 - pi) S_u
non-mixture    events:   log c + log a - log t + u - H_u,  c = -log pi
               everyone: -c (1 - S_u)
entry (left truncation) adds + H(e) = -log S(e) for each truncated row.

Sums use ``np.dot`` on 1-d arrays (a plain loop in numpy): the ``@`` operator dispatches to a
threaded BLAS path that costs milliseconds per call on a busy machine.
"""
from __future__ import annotations

import numpy as np


def _weibull_parts(a, b, logt):
    z = logt - np.log(b)
    Hu = np.exp(a * z)
    return z, Hu, np.exp(-Hu)


def _groups(fd):
    """Contiguous copies of log t and weights of events and censorings (cached on ``fd``),
    so a pass needs no gathers; weights None when all are 1."""
    g = fd.__dict__.get("_cure_groups")
    if g is None:
        unit = bool(np.all(fd.w == 1.0))
        g = (np.ascontiguousarray(fd.logt[fd.ev]), None if unit else fd.w[fd.ev].copy(),
             np.ascontiguousarray(fd.logt[fd.ce]), None if unit else fd.w[fd.ce].copy())
        object.__setattr__(fd, "_cure_groups", g)
    return g


def _dot(w, x):
    return float(np.sum(x)) if w is None else float(np.dot(w, x))


def mixture_weibull(params, fd, gradient):
    pi, a, b = params
    if not (0 <= pi < 1 and a > 0 and b > 0):
        return -np.inf, None
    le, we, lc, wc = _groups(fd)
    lb = np.log(b)
    ze = le - lb
    He = np.exp(a * ze)
    zc = lc - lb
    Hc = np.exp(a * zc)
    Sc = np.exp(-Hc)
    S = pi + (1 - pi) * Sc
    sHe = _dot(we, He)
    ll = (fd.D * (np.log1p(-pi) + np.log(a) - lb) + (a - 1) * (fd.SL - fd.D * lb) - sHe
          + _dot(wc, np.log(S)))
    if fd.elogt is not None:
        zt, Ht, St_u = _weibull_parts(a, b, fd.elogt)
        St = pi + (1 - pi) * St_u
        ll -= float(np.dot(fd.ew, np.log(St)))
    if not gradient:
        return ll, None
    q = (1 - pi) * Sc * Hc / S  # -(dS/dH_u) H_u / S
    g_pi = -fd.D / (1 - pi) + _dot(wc, (1 - Sc) / S)
    g_a = fd.D / a + (fd.SL - fd.D * lb) - _dot(we, He * ze) - _dot(wc, q * zc)
    g_b = -fd.D * a / b + a / b * sHe + a / b * _dot(wc, q)
    if fd.elogt is not None:
        qt = (1 - pi) * St_u * Ht / St
        g_pi -= float(np.dot(fd.ew, (1 - St_u) / St))
        g_a += float(np.dot(fd.ew, qt * zt))
        g_b -= a / b * float(np.dot(fd.ew, qt))
    return ll, [g_pi, g_a, g_b]


def nonmixture_weibull(params, fd, gradient):
    pi, a, b = params
    if not (0 < pi < 1 and a > 0 and b > 0):
        return -np.inf, None
    le, we, lc, wc = _groups(fd)
    c = -np.log(pi)
    lb = np.log(b)
    ze = le - lb
    He = np.exp(a * ze)
    Se = np.exp(-He)
    zc = lc - lb
    Hc = np.exp(a * zc)
    Sc = np.exp(-Hc)
    sHe = _dot(we, He)
    sF = _dot(we, 1 - Se) + _dot(wc, 1 - Sc)
    ll = (fd.D * (np.log(c) + np.log(a) - lb) + (a - 1) * (fd.SL - fd.D * lb) - sHe - c * sF)
    if fd.elogt is not None:
        zt, Ht, St_u = _weibull_parts(a, b, fd.elogt)
        ll += c * float(np.dot(fd.ew, 1 - St_u))
    if not gradient:
        return ll, None
    re, rc = Se * He, Sc * Hc  # dF_u/du
    g_pi = -fd.D / (pi * c) + sF / pi
    g_a = (fd.D / a + (fd.SL - fd.D * lb) - _dot(we, He * ze)
           - c * (_dot(we, re * ze) + _dot(wc, rc * zc)))
    g_b = -fd.D * a / b + a / b * sHe + c * a / b * (_dot(we, re) + _dot(wc, rc))
    if fd.elogt is not None:
        rt = St_u * Ht
        g_pi -= float(np.dot(fd.ew, 1 - St_u)) / pi
        g_a += c * float(np.dot(fd.ew, rt * zt))
        g_b -= c * a / b * float(np.dot(fd.ew, rt))
    return ll, [g_pi, g_a, g_b]
