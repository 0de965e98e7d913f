"""Kaplan-Meier core against R survival 3.5.3 fixtures in tests/fixtures/r_survival.

Tolerance 1e-8 relative: R and we compute the same closed forms in double precision; the
Cox fit is iterative and converged to |step| < 1e-10.
"""
import numpy as np
import pytest

from remission.nonparametric import (cox_ph, kaplan_meier, logrank_test, median_followup,
                                     nelson_aalen)

from ..reference_cases import CASES, RTOL
from ..reference_cases import load_reference as load


def arr(x):
    return np.array([np.nan if v is None else v for v in x], dtype=float)


@pytest.mark.parametrize("name,tc,ec", CASES)
@pytest.mark.parametrize("ct,key", [("log-log", "km_loglog"), ("log", "km_log")])
def test_km_table_median_landmarks_rmst(name, tc, ec, ct, key):
    ref, _, t, ev = load(name, tc, ec)
    r = ref[key]
    km = kaplan_meier(t, ev, conf_type=ct)
    tab = r["table"]
    for ours, theirs in [("time", "time"), ("n_risk", "n_risk"), ("n_event", "n_event"),
                         ("n_censor", "n_censor"), ("survival", "survival"),
                         ("std_err", "std_err_log"), ("lower", "lower"), ("upper", "upper")]:
        np.testing.assert_allclose(getattr(km, ours), arr(tab[theirs]), rtol=RTOL, atol=0)
    med = km.median()
    # one comparison: None (not reached) must match None exactly, numbers to RTOL
    np.testing.assert_allclose(arr([med.estimate, med.lower, med.upper]),
                               arr([r["median"][k] for k in ("estimate", "lower", "upper")]),
                               rtol=RTOL, atol=0)
    lm = km.landmarks(r["landmarks"]["time"])
    for k in ("survival", "lower", "upper", "n_risk"):
        np.testing.assert_allclose([x[k] for x in lm], arr(r["landmarks"][k]), rtol=RTOL)
    rm = km.rmst(r["rmst"]["tau"])
    assert rm.estimate == pytest.approx(r["rmst"]["estimate"], rel=RTOL)
    assert rm.se == pytest.approx(r["rmst"]["se"], rel=RTOL)


@pytest.mark.parametrize("name,tc,ec", CASES)
def test_followup_nelson_aalen_logrank_cox(name, tc, ec):
    ref, df, t, ev = load(name, tc, ec)
    assert median_followup(t, ev).estimate == ref["median_followup_reverse_km"]
    na = nelson_aalen(t, ev)
    np.testing.assert_allclose(na.cumhaz, ref["nelson_aalen"]["cumhaz"], rtol=RTOL)
    if "logrank" not in ref:
        return
    lr = ref["logrank"]
    g = df[lr["group"]].astype(str).to_numpy()
    res = logrank_test(t, ev, g)
    assert res.chisq == pytest.approx(lr["chisq"], rel=RTOL)
    assert res.p == pytest.approx(lr["p"], rel=RTOL)
    np.testing.assert_allclose(res.expected, lr["expected"], rtol=RTOL)
    x = (g == lr["levels"][1]).astype(float)
    for ties in ("efron", "breslow"):
        c = cox_ph(t, ev, x, ties=ties)
        rc = ref[f"cox_{ties}"]
        assert c.coef[0] == pytest.approx(rc["coef"], rel=RTOL)
        assert c.se[0] == pytest.approx(rc["se"], rel=RTOL)
        np.testing.assert_allclose([c.loglik_null, c.loglik], rc["loglik"], rtol=RTOL)
