"""The cure fraction at its lower boundary (pi -> 0): data without a plateau.

When the data show no plateau the likelihood of a cure model increases as pi -> 0, so on the
link scale the estimate runs off to -infinity and the information matrix degenerates.  That is
an answer (no evidence of a cured fraction), not a failure.  We report it honestly:

* estimate 0, "converged at the boundary" (``boundary = True``);
* the log-likelihood of the boundary model (for the mixture model: the base family alone, the
  exact pi = 0 model; for the non-mixture model the supremum is approached with the base's
  scale -> infinity, and we take the larger of the base fit and the profile at tiny pi);
* a one-sided upper confidence bound from the profile likelihood: the largest pi whose
  likelihood-ratio statistic 2 (l_0 - l_p(pi)) stays below the chi-square(1) quantile at
  2 conf_level - 1 (2.706 for 95%).  Because the lower limit 0 always covers a truth at or near
  the boundary, [0, U] has coverage conf_level (Self & Liang 1987: the boundary LR statistic is
  a 50:50 mixture of chi2_0 and chi2_1).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from ..fit import fit_distribution

#: a free fit whose cure fraction is below this is treated as being at the boundary
PI_BOUNDARY = 1e-4


@dataclass(frozen=True)
class Boundary:
    fit: object          # ParametricFit with cure fixed at (or near) 0
    loglik: float        # supremum of the log-likelihood (the boundary value)
    upper: float         # one-sided profile upper bound of pi
    critical: float      # the chi-square quantile used


def _profile(dist, arrays, designs, names, pi, start=None):
    f = fit_distribution(dist, arrays["time"], arrays["event"], entry=arrays.get("entry"),
                         weights=arrays.get("weights"), bhazard=arrays.get("bhazard"),
                         designs=designs, design_names=names, fixed={"cure": pi},
                         start=start, raise_on_failure=False)
    return f


def boundary_fit(dist, arrays, designs, names, conf_level=0.95) -> Boundary:
    """Fit at the boundary and compute the profile upper bound of pi."""
    kind = dist.kind
    pi0 = 0.0 if kind == "mixture" else 1e-10
    f0 = _profile(dist, arrays, designs, names, pi0)
    ll0 = f0.loglik if np.isfinite(f0.loglik) else -np.inf
    if kind != "mixture":
        # the base family alone is the limit pi -> 0 for proportional-hazards-type bases
        from ..fit import fit_distribution as fd

        fb = fd(dist.base, arrays["time"], arrays["event"], entry=arrays.get("entry"),
                weights=arrays.get("weights"), bhazard=arrays.get("bhazard"),
                designs={k: v for k, v in (designs or {}).items() if k != "cure"},
                design_names={k: v for k, v in (names or {}).items() if k != "cure"},
                raise_on_failure=False)
        if fb.converged and fb.loglik > ll0:
            ll0 = fb.loglik
    from scipy.stats import chi2  # here: scipy.stats costs ~0.5 s of every CLI start-up

    crit = float(chi2.ppf(2 * conf_level - 1, 1))

    def gap(logpi):
        f = _profile(dist, arrays, designs, names, float(np.exp(logpi)))
        ll = f.loglik if np.isfinite(f.loglik) else -np.inf
        return 2 * (ll0 - ll) - crit

    lo, hi = np.log(1e-12), np.log(0.999)
    try:
        if gap(hi) <= 0:
            upper = 0.999
        elif gap(lo) >= 0:
            upper = 1e-12
        else:
            upper = float(np.exp(optimize.brentq(gap, lo, hi, xtol=1e-3)))
    except (ValueError, RuntimeError):
        upper = float("nan")
    return Boundary(f0, float(ll0), upper, crit)
