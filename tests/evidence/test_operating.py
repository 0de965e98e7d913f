"""Type-I error and power of the cure tests by simulation with known truth (n = 100).

Scenarios as in benchmarks/operating_characteristics.py (full-size results in
benchmarks/README.md).  The Yuen-Musta test is the governing smoothed-Grenander bootstrap test
(rejects when p < 0.05, the rule's convention).  Bands: a level-0.05 test may reject at most 0.05 + 3 binomial SE
(SE = sqrt(0.05 * 0.95 / R)); a power claim is checked against a floor 3 SE below the
rate measured with R = 400 data sets.  The reduced run (the default; tests/sizes.py) shrinks R from 300 to 60 (and the
bootstrap from 199 to 99 replicates), widening the bands accordingly.
The levels of the sufficient-follow-up tests themselves: test_operating_level.py.
"""

import pytest

from remission.evidence.rule import conclude
from remission.evidence.yuen_musta import yuen_musta_test
from remission.evidence.lrt import model_evidence
from remission.evidence.maller_zhou import sufficient_followup_test
from remission.evidence.presence import presence_test

from .operating_sims import ALPHA, B, LEVEL_BAND, datasets, floor, rate


@pytest.mark.slow
def test_no_cure_presence_and_lrt_hold_their_level():
    pres, lrt = [], []
    for i, (t, e) in enumerate(datasets(1, 0.0, 1.2, 10.0, 20, 50)):
        pres.append(presence_test(t, e, reps=B, seed=i).p_value <= ALPHA)
        lrt.append(model_evidence(t, e).p_value <= ALPHA)
    # measured with R = 400: presence 0.007 (conservative), LRT 0.028
    assert rate(pres) <= LEVEL_BAND
    assert rate(lrt) <= LEVEL_BAND


@pytest.mark.slow
def test_cure_is_detected():
    pres, lrt = [], []
    for i, (t, e) in enumerate(datasets(2, 0.3, 2.0, 8.0, 25, 50)):
        pres.append(presence_test(t, e, reps=B, seed=i).p_value <= ALPHA)
        lrt.append(model_evidence(t, e).p_value <= ALPHA)
    assert rate(pres) >= floor(0.99) and rate(lrt) >= floor(0.99)


@pytest.mark.slow
def test_sufficient_followup_power():
    # latency Weibull(2, 8): F_u(25) = 1 - 1e-4, follow-up 25-50: clearly sufficient
    mz, ym = [], []
    for i, (t, e) in enumerate(datasets(3, 0.3, 2.0, 8.0, 25, 50)):
        mz.append(sufficient_followup_test(t, e, reps=B, seed=i).p_value <= ALPHA)
        ym.append(yuen_musta_test(t, e, reps=B, seed=i).p_value < ALPHA)
    # Yuen-Musta (smoothed Grenander, bootstrap): 1.000 with R = 200 (benchmarks/README.md)
    assert rate(mz) >= floor(0.99) and rate(ym) >= floor(0.99)


@pytest.mark.slow
def test_governing_rule_holds_its_level_at_the_boundary_including_a_sparse_tail():
    # boundary of H0 (F_u(50) = 0.99), once well followed (C ~ U(30, 50)) and once with few
    # patients at risk late (C ~ U(5, 50), scenario (a)): the rule concludes "supported" (which
    # needs the Yuen-Musta test to reject) at most at level 0.05 + 3 SE
    for seed, lo in ((7, 30), (8, 5)):
        sup = []
        for i, (t, e) in enumerate(datasets(seed, 0.3, 1.5, 18.0, lo, 50)):
            fu = yuen_musta_test(t, e, reps=B, seed=i).p_value
            pres = presence_test(t, e, reps=B, seed=i).p_value
            sup.append(conclude(pres, fu) == "supported")
        assert rate(sup) <= LEVEL_BAND
