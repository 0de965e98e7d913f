r"""Yuen and Musta's test of sufficient follow-up, plain Grenander version with the asymptotic
law: the former implementation, superseded by :mod:`.yuen_musta` (smoothed Grenander,
bootstrap critical values), which governs the conclusion.  Kept as the contrast in
benchmarks/operating_characteristics.py, where it shows why it cannot govern (it rejects with
p = 0 whenever the tail is sparse), and for its Grenander/LCM helpers.

Reference: T. P. Yuen and E. Musta, "Testing for sufficient follow-up in survival data with a
cure fraction", arXiv:2403.16832 (2024), and their R implementation (``sfu.test(method =
"g")``), whose defaults we follow.

Hypotheses ("practically" sufficient follow-up): with F_u the event-time distribution of the
uncured, q_{1-eps} its (1 - eps)-quantile and tau_G the end of follow-up,

    H0: q_{1-eps} >= tau_G  (insufficient)    vs    H1: q_{1-eps} < tau_G  (sufficient).

Assuming the density of the event time is non-increasing in the tail and that events are
practically impossible after a user-chosen tau > tau_G, H0 implies that the density at tau_G is
at least  eps F(tau_G) / (tau - tau_G).

Statistic.  F_n = 1 - KM; f^G_n is the Grenander estimator, the slope of the least
concave majorant (LCM) of the points (0, 0), (t_i, F_n(t_i)) over all distinct observed times;
with tau_G = t_(n), a = 0.34 and c = tau_G,

    T = f^G_n(tau_G - c n^{-a}),   threshold = eps F_n(tau_G) / (tau - tau_G).

P-value (asymptotic; H0 rejected when T is small):

    x = (threshold - T) * n^{(1-a)/2} sqrt(c (1 - G_n(tau_G-))) / sqrt(T),
    p = P(D > x),   D = D_R[W](1),

the right derivative at 1 of the LCM on [0, inf) of a standard Brownian motion W, and G_n the
reverse Kaplan-Meier estimate of the censoring distribution (its left limit at tau_G).  When
T = 0 (the LCM is flat there, i.e. a long plateau) p = 0, as in the reference code.

The law of D.  By the switching relation, D <= d iff argmax_s {W(s) - d s} <= 1, and by
Brownian scaling argmax_s {W(s) - d s} = sigma / d^2 in law, sigma = argmax_u {W(u) - u}; so
D = sqrt(sigma) in law.  By Williams' path decomposition sigma is the first passage time of a
Brownian motion with drift +1 to an independent level M ~ Exponential(rate 2), i.e. an inverse
Gaussian with mean M and shape M^2 given M.  Hence P(D > x) = P(sigma > x^2) is a
one-dimensional integral, computed here by quadrature (no simulation; the reference code uses
a simulated sample of D instead).  tests/evidence/test_followup_tests.py checks this law against
a direct simulation of the concave majorant of discretised Brownian motion.

Known limitation (measured, benchmarks/README.md): when no event falls after
tau_G - c n^{-a} (a sparse Kaplan-Meier tail) the Grenander estimate there is 0 and the test
rejects with p = 0, as the reference implementation does.  With n = 100, an exponential
latency and follow-up reaching only its 63rd percentile, that happens in about a third to
a half of the data sets: the test is then anti-conservative, so read it together with the
Maller-Zhou bootstrap test, which holds its level there.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy import integrate
from scipy.special import ndtr

#: the reference implementation's rate constant a in (1/3, 1)
A_RATE = 0.34


def lcm_slopes(x: np.ndarray, y: np.ndarray):
    """Least concave majorant of points (x, y) (x increasing): knots and segment slopes."""
    hull: list[int] = []
    for i in range(len(x)):
        while len(hull) >= 2:
            i0, i1 = hull[-2], hull[-1]
            # drop i1 if it lies on or below the chord i0 -> i
            if (y[i1] - y[i0]) * (x[i] - x[i0]) <= (y[i] - y[i0]) * (x[i1] - x[i0]):
                hull.pop()
            else:
                break
        hull.append(i)
    kx = x[hull]
    ky = y[hull]
    return kx, np.diff(ky) / np.diff(kx)


def grenander_at(time, event, u: float) -> float:
    """Grenander estimate f^G_n(u): slope of the LCM of 1 - KM on the segment containing u
    (segments (x_k, x_{k+1}]; 0 beyond the last knot)."""
    from ..nonparametric import kaplan_meier

    km = kaplan_meier(time, event)
    x = np.concatenate(([0.0], km.time))
    y = np.concatenate(([0.0], 1.0 - km.survival))
    kx, slopes = lcm_slopes(x, y)
    if u <= kx[0] or u > kx[-1]:
        return 0.0 if u > kx[-1] else float(slopes[0])
    k = int(np.searchsorted(kx, u, side="left")) - 1
    return float(max(slopes[k], 0.0))


def _sigma_sf(s: float) -> float:
    """P(sigma > s), sigma = argmax_u {W(u) - u}."""
    if s <= 0:
        return 1.0
    r = np.sqrt(s)

    def integrand(m):
        # 2 e^{-2m} P(IG(mean m, shape m^2) > s): the Exponential(2) density of the level m
        # times the inverse-Gaussian survival 1 - Phi((s-m)/sqrt s) - e^{2m} Phi(-(s+m)/sqrt s)
        return 2.0 * np.exp(-2.0 * m) * ndtr((m - s) / r) - 2.0 * ndtr(-(s + m) / r)

    val = sum(integrate.quad(integrand, lo, hi, epsabs=1e-13, epsrel=1e-10, limit=200)[0]
              for lo, hi in ((0.0, s), (s, s + 10.0 * (1.0 + r)), (s + 10.0 * (1.0 + r), np.inf)))
    return float(min(max(val, 0.0), 1.0))


def brownian_lcm_slope_sf(x: float) -> float:
    """P(D > x) for D the slope at 1 of the concave majorant of Brownian motion on [0, inf).

    >>> round(brownian_lcm_slope_sf(0.0), 6)
    1.0
    """
    if x <= 0:
        return 1.0
    return _sigma_sf(x * x)


@dataclass(frozen=True)
class YuenMustaResult:
    statistic: float
    threshold: float
    p_value: float
    eps: float
    tau: float
    tau_g: float
    a: float
    c: float
    evaluated_at: float
    censoring_survival_before_tau_g: float
    n: int

    test = "yuen-musta grenander"

    def to_dict(self) -> dict:
        d = asdict(self)
        d.update(test=self.test, null="q_{1-eps} >= tau_G (follow-up insufficient)",
                 p_value_method="asymptotic (law of the slope of the Brownian concave majorant)")
        return d


def yuen_musta_test(time, event, *, tau: float | None = None, eps: float = 0.01,
                    tau_g: float | None = None) -> YuenMustaResult:
    """Yuen-Musta (2024) test of practically sufficient follow-up (Grenander version).

    ``tau``: a time after which events are practically impossible (must exceed tau_G); default
    2 tau_G, i.e. no event expected after twice the current maximum follow-up.  ``eps``: the
    tolerated fraction of the uncured whose events may fall after tau_G (default 0.01).
    Small p-value = evidence that follow-up suffices.
    """
    from ..errors import OptionError
    from ..nonparametric import kaplan_meier

    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=bool)
    n = t.size
    tg = float(t.max()) if tau_g is None else float(tau_g)
    tau = 2.0 * tg if tau is None else float(tau)
    if tau <= tg:
        raise OptionError(f"--tau must exceed the maximum follow-up {tg:g}")
    if not 0 < eps < 1:
        raise OptionError("eps must be in (0, 1)")
    c = tg
    u = tg - c * n ** (-A_RATE)
    stat = grenander_at(t, e, u)
    km = kaplan_meier(t, e)
    f_tg = 1.0 - float(km.survival_at(tg))
    thr = eps * f_tg / (tau - tg)
    rkm = kaplan_meier(t, ~e)
    sc = float(rkm.survival_at(np.nextafter(tg, -np.inf)))  # 1 - G(tau_G-)
    norm = n ** (0.5 * (1 - A_RATE)) * np.sqrt(c * sc)
    if stat <= 0:
        p = 0.0 if thr > 0 else 1.0
    else:
        p = brownian_lcm_slope_sf((thr - stat) * norm / np.sqrt(stat))
    return YuenMustaResult(stat, thr, p, eps, tau, tg, A_RATE, c, u, sc, n)
