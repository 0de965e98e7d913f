"""Gray's test, Fine-Gray and cause-specific Cox against cmprsk 2.2-11 and survival 3.5-3
(tests/fixtures/competing/competing.R)."""
import numpy as np
import pytest

from remission.errors import DataError
from remission.nonparametric.competing_gray import gray_test
from remission.nonparametric.competing_regression import (cause_specific_cox, fine_gray,
                                                          fine_gray_groups)

from ._competing_data import datasets, fixture

DATA = datasets()
#: Gray's test and Fine-Gray repeat cmprsk's arithmetic (crr's own Newton steps and stopping
#: rule, so not limited by its gtol): measured <= 4e-14
RTOL = 1e-8
#: coxph stops when the log-likelihood changes by < 1e-9 relative, and cox_ph by its own
#: rule, so the two stopping points differ slightly: measured 5.6e-9 on bmt
RTOL_COX = 2e-8


@pytest.mark.parametrize("name", ["bmt", "mgus2"])
@pytest.mark.parametrize("cause", ["1", "2"])
def test_gray_test_equals_cuminc_tests(name, cause):
    ref = fixture(f"{name}_gray.csv")
    r = ref[ref.cause == int(cause)].iloc[0]
    g = gray_test(DATA[name], cause)
    assert g.df == r.df
    np.testing.assert_allclose([g.statistic, g.p], [r.stat, r.pv], rtol=RTOL)


@pytest.mark.parametrize("name", ["bmt", "mgus2"])
@pytest.mark.parametrize("cause", ["1", "2"])
def test_fine_gray_equals_crr(name, cause):
    r = fixture(f"{name}_crr.csv")
    r = r[r.cause == int(cause)]
    f = fine_gray_groups(DATA[name], cause)
    np.testing.assert_allclose(f.coef, r.coef, rtol=RTOL)
    np.testing.assert_allclose(f.se, r.se, rtol=RTOL)
    np.testing.assert_allclose(f.loglik, r.loglik.iloc[0], rtol=RTOL)
    # the second reference, survival::finegray + weighted coxph, estimates the same
    # model with Efron ties and a slightly different censoring weight: close, not equal
    np.testing.assert_allclose(f.coef, r.coef_finegray_coxph, atol=2e-3)


@pytest.mark.parametrize("name", ["bmt", "mgus2"])
@pytest.mark.parametrize("cause", ["1", "2"])
def test_cause_specific_cox_equals_coxph(name, cause):
    r = fixture(f"{name}_coxph.csv")
    r = r[r.cause == int(cause)]
    f = cause_specific_cox(DATA[name], cause)
    np.testing.assert_allclose(f.coef, r.coef, rtol=RTOL_COX)
    np.testing.assert_allclose(f.se, r.se, rtol=RTOL_COX)


def test_fine_gray_without_competing_events_is_breslow_cox():
    # no other-cause failures: the weights never enter and crr is Cox with Breslow ties
    from remission.nonparametric.cox import cox_ph

    rng = np.random.default_rng(5)
    t = rng.exponential(1, 80).round(1) + 0.1
    x = rng.integers(0, 2, 80).astype(float)
    st = rng.integers(0, 2, 80)
    fg = fine_gray(t, st, x)
    cx = cox_ph(t, st == 1, x, ties="breslow")
    np.testing.assert_allclose(fg.coef, cx.coef, rtol=1e-6)  # both stop at their tolerances
    assert np.all(np.isfinite(fg.se))


def test_refusals():
    d = DATA["bmt"]
    with pytest.raises(DataError, match="groups"):
        gray_test(d.subset(np.array([g == "1" for g in d.group])), "1")
    with pytest.raises(DataError, match="no events"):
        fine_gray([1, 2, 3], [0, 2, 0], [0, 1, 0])


def test_gray_blocks_carry_the_running_sums():
    # the vectorised variance is computed in blocks of event times; tiny blocks (one or two
    # times each) must give cmprsk's numbers too
    from remission.nonparametric.competing_gray import _score_variance

    d = DATA["bmt"]
    codes = d.group_codes()
    st = np.array([0 if v is None else (1 if v == "1" else 2) for v in d.cause])
    s_all, v_all = _score_variance(np.asarray(d.time), st, codes, 3, 0.0)
    s_blk, v_blk = _score_variance(np.asarray(d.time), st, codes, 3, 0.0, block=9)
    np.testing.assert_allclose(s_blk, s_all, rtol=1e-13)
    np.testing.assert_allclose(v_blk, v_all, rtol=1e-12)
    np.testing.assert_allclose(s_all @ np.linalg.solve(v_all, s_all), 11.9228820485918,
                               rtol=1e-8)
