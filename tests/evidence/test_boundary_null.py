"""The boundary-of-H0 cure model (F_u(tau_G) = 1 - eps) fitted with the package's own
mixture cure model: the constraint holds and the fit is the profile maximum (checked against
a dense grid of shapes and an independent closed-form likelihood maximised by scipy)."""
import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import expit

from remission.evidence.simulate import BoundaryProfile, fit_boundary_null

from .conftest_data import cure_data


def closed_form_nll(theta, t, e, tg, big):
    """-log L of the Weibull mixture cure model with scale = tg / big^(1/k), written out."""
    pi, k = expit(theta[0]), np.exp(theta[1])
    log_h = k * (np.log(t) - np.log(tg)) + np.log(big)
    h = np.exp(np.minimum(log_h, 700.0))
    ll_ev = np.log1p(-pi) + np.log(k) - np.log(t) + log_h - h
    ll_c = np.log(pi + (1 - pi) * np.exp(-h))
    return -(ll_ev[e].sum() + ll_c[~e].sum())


@pytest.mark.parametrize("seed,kw", [(1, {}),
                                     (2, dict(cure=0.4, shape=2.0, scale=8.0, c_lo=25, c_hi=50)),
                                     (3, dict(cure=0.3, shape=1.0, scale=30.0, c_lo=10,
                                              c_hi=30))])
def test_constraint_holds_and_fit_is_the_profile_maximum(seed, kw):
    t, e = cure_data(seed, n=150, **kw)
    eps = 0.01
    for tg in (t.max(), t.max() + 12.0):
        m = fit_boundary_null(t, e, eps, tau_g=tg)
        # F_u(tau_G) = 1 - exp(-(tg/scale)^k) = 1 - eps, to rounding
        assert 1 - np.exp(-(tg / m.scale) ** m.shape) == pytest.approx(1 - eps, abs=1e-12)
        big = -np.log(eps)
        best = closed_form_nll([np.log(m.cure / (1 - m.cure)), np.log(m.shape)], t, e, tg, big)
        # dense grid of shapes through the package's own fit: none is better (1e-7: the
        # Brent search's tolerance on the log-likelihood scale)
        prof = BoundaryProfile(t, e, tg, big)
        grid = np.linspace(np.log(m.shape) - 0.5, np.log(m.shape) + 0.5, 41)
        assert min(prof.nll(x) for x in grid) >= best - 1e-7
        # an independent maximisation of the closed form (Nelder-Mead, several starts)
        # reaches the same optimum: shapes agree to 1e-5 relative (the likelihood is flat near
        # its maximum: 1e-7 in log-likelihood allows ~1e-5 in the shape)
        r = min((minimize(closed_form_nll, [np.log(p / (1 - p)), np.log(k)],
                          args=(t, e, tg, big), method="Nelder-Mead",
                          options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 6000})
                 for p in (0.1, 0.4) for k in (0.7, 1.5, 3.0)), key=lambda r: r.fun)
        assert r.fun >= best - 1e-7
        assert np.exp(r.x[1]) == pytest.approx(m.shape, rel=1e-5)
