"""The level of the sufficient-follow-up tests by simulation with known truth (n = 100): at the
boundary of H0 and far inside it, and why Maller-Zhou's alpha_n is not the p-value.  Sizes,
bands and scenarios as in test_operating.py (tests/evidence/operating_sims.py)."""

import pytest

from remission.evidence.maller_zhou import sufficient_followup_mz, sufficient_followup_test
from remission.evidence.yuen_musta import yuen_musta_test

from .operating_sims import ALPHA, B, LEVEL_BAND, datasets, rate


@pytest.mark.slow
def test_sufficient_followup_level_at_the_boundary_and_beyond():
    # boundary of H0: F_u(tau_G) = 0.99 (Weibull(1.5, 18), tau_G ~ 50)
    mz = [sufficient_followup_test(t, e, reps=B, seed=i).p_value <= ALPHA
          for i, (t, e) in enumerate(datasets(4, 0.3, 1.5, 18.0, 30, 50))]
    assert rate(mz) <= LEVEL_BAND
    # far inside H0 (uniform latency on [0, 50], follow-up <= 40): both tests hold the level
    mz, ym = [], []
    for i, (t, e) in enumerate(datasets(5, 0.3, None, 50.0, 20, 40, uniform=True)):
        mz.append(sufficient_followup_test(t, e, reps=B, seed=i).p_value <= ALPHA)
        ym.append(yuen_musta_test(t, e, reps=B, seed=i).p_value < ALPHA)
    assert rate(mz) <= LEVEL_BAND and rate(ym) <= LEVEL_BAND


@pytest.mark.slow
def test_alpha_n_is_anticonservative_which_is_why_it_is_not_the_p_value():
    # Exponential latency (mean 30) followed 10-30: F_u(30) = 0.63, follow-up clearly
    # insufficient, yet alpha_n <= 0.05 in 58% of data sets (R = 400); the bootstrap p-value
    # holds the level (0.000).
    an, mz = [], []
    for i, (t, e) in enumerate(datasets(6, 0.3, 1.0, 30.0, 10, 30)):
        an.append(sufficient_followup_mz(t, e).alpha_n <= ALPHA)
        mz.append(sufficient_followup_test(t, e, reps=B, seed=i).p_value <= ALPHA)
    assert rate(an) > 0.3
    assert rate(mz) <= LEVEL_BAND
