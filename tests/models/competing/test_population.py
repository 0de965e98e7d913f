"""Death without relapse bounded by general-population mortality after a time T (the rule
of remission.models.competing: from T on, h_nrm = max(fitted, SMR x population hazard)).

* The hazard reported after T is exactly the rule, before T exactly the fit (both branches of
  the max are exercised): equality to rounding (rtol 1e-12), since it is the same arithmetic.
* The cumulative incidences equal an independent ODE integration (scipy solve_ivp, rtol
  1e-11, segment by segment between the life table's yearly steps) of dF_k = h_k S,
  dH_excess = max(0, SMR h* - h_fit) for u >= T: 1e-8 absolute.  Our quadrature is
  exact to rounding on smooth stretches; the crossing of the fitted and population hazards
  is a kink inside one panel, which costs O(panel^3 x jump in slope) ~ 1e-10 here.
* A cohort of two patients has the mean of their incidences (the cohort average).
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from remission.data import from_dataframe
from remission.errors import OptionError
from remission.models.background import BackgroundMortality, LifeTable
from remission.models.competing import fit_competing

from ...nonparametric._competing_data import bmt_frame

T0, SMR = 1000.0, 2.0


def data():
    return from_dataframe(bmt_frame(), time="t2", event_type="etype", time_unit="days")


def cohort(ages=(45.0,), years=(2000.0,)):
    return BackgroundMortality(LifeTable.us(), age=list(ages), sex=["male"] * len(ages),
                               year=list(years), time_unit="days")


_CR: dict = {}


def fitted(ages=(45.0,), years=(2000.0,)):
    key = (ages, years)
    if key not in _CR:
        _CR[key] = fit_competing(data(), "weibull", cause="1", background=cohort(ages, years),
                                 nrm_from=T0, smr=SMR)
    return _CR[key]


def test_hazard_after_t_is_the_rule_exactly():
    cr = fitted()
    t = np.array([10.0, 500.0, 999.0, 1000.0, 2000.0, 5000.0, 8000.0, 12000.0, 20000.0])
    fit = cr.fit_of("2").hazard(t).estimate[0]
    pop = SMR * cohort().hazard(t)[0]
    got = cr.hazard("2", t).estimate[0]
    want = np.where(t >= T0, np.maximum(fit, pop), fit)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    after = t >= T0
    assert np.any(after & (pop > fit)) and np.any(after & (fit > pop))  # both branches
    # relapse keeps its fitted hazard
    np.testing.assert_allclose(cr.hazard("1", t).estimate[0],
                               cr.fit_of("1").hazard(t).estimate[0], rtol=1e-12)


def _ode(cr, bg, times):
    """F_1, F_2 at ``times`` by solve_ivp of the rule, for one subject."""
    th = [[float(np.ravel(x)[0]) for x in f.natural_parameters()] for f in cr.fits]
    d1, d2 = cr.fits[0].dist, cr.fits[1].dist

    def rhs(u, y, pop):
        f1, f2, hx = y
        h2 = float(d2.hazard(th[1], u))
        ex = max(0.0, SMR * pop - h2) if u >= T0 else 0.0
        S = np.exp(-float(d1.cumulative_hazard(th[0], u)) - float(d2.cumulative_hazard(th[1], u))
                   - hx)
        return [float(d1.hazard(th[0], u)) * S, (h2 + ex) * S, ex]
    # segments: the yearly steps of the life table (age and year both whole at 0), T0, times
    ends = sorted({0.0, T0, *times, *np.arange(1, 60) * 365.25})
    ends = [e for e in ends if e <= max(times)]
    y, out = [0.0, 0.0, 0.0], {}
    for a, b in zip(ends[:-1], ends[1:]):
        lo = a if a > 0 else 1e-300
        pop = float(bg.hazard([0.5 * (a + b)])[0, 0])  # constant between the yearly steps
        r = solve_ivp(rhs, (lo, b), y, rtol=1e-11, atol=1e-14, method="DOP853", args=(pop,))
        y = list(r.y[:, -1])
        out[b] = y[:2]
    return np.array([out[t] for t in times]).T


def test_cif_equals_an_ode_integration():
    cr = fitted()
    times = [730.5, 1500.0, 5000.0, 12000.0]
    pred = cr._predict(np.array(times))
    want = _ode(cr, cohort(), times)
    for k, c in enumerate(cr.causes):
        np.testing.assert_allclose(pred[c][0].estimate[0], want[k], rtol=0, atol=1e-8)
    tot = pred["event-free"].estimate[0] + sum(pred[c][0].estimate[0] for c in cr.causes)
    np.testing.assert_allclose(tot, 1.0, atol=1e-10)


def test_a_cohort_is_the_mean_of_its_patients():
    times = np.array([2000.0, 8000.0])
    both = fitted((40.0, 70.0), (2000.0, 2005.5))._predict(times)
    one = fitted((40.0,), (2000.0,))._predict(times)
    two = fitted((70.0,), (2005.5,))._predict(times)
    for c in ("1", "2"):
        np.testing.assert_allclose(both[c][0].estimate[0],
                                   0.5 * (one[c][0].estimate[0] + two[c][0].estimate[0]),
                                   rtol=1e-12)


def test_population_mortality_raises_death_without_relapse_only_after_t():
    plain = fit_competing(data(), "weibull", cause="1")
    cr = fitted()
    t = np.array([500.0, T0, 20000.0])
    a, b = plain._predict(t), cr._predict(t)
    np.testing.assert_allclose(b["2"][0].estimate[0][:2], a["2"][0].estimate[0][:2], rtol=1e-12)
    assert b["2"][0].estimate[0, 2] > a["2"][0].estimate[0, 2] + 1e-3
    assert b["1"][0].estimate[0, 2] < a["1"][0].estimate[0, 2]  # fewer left to relapse
    doc = cr.as_dict(horizon=20000.0)
    assert doc["nrm_population"]["cause"] == "2" and doc["nrm_population"]["from"] == T0
    assert doc["nrm_population"]["smr"] == SMR and "max(" in doc["nrm_population"]["rule"]


def test_which_cause_is_death_without_relapse():
    bg = cohort()
    with pytest.raises(OptionError, match="--nrm-cause"):
        fit_competing(data(), "weibull", background=bg)          # no cause of interest
    with pytest.raises(OptionError, match="cause of interest"):
        fit_competing(data(), "weibull", cause="1", background=bg, nrm_cause="1")
    with pytest.raises(OptionError, match="no such cause"):
        fit_competing(data(), "weibull", cause="1", background=bg, nrm_cause="9")
    with pytest.raises(OptionError, match="--nrm-from"):
        fit_competing(data(), "weibull", cause="1", background=bg, nrm_from=-1)
    with pytest.raises(OptionError, match="--smr"):
        fit_competing(data(), "weibull", cause="1", background=bg, smr=0)
    cr = fit_competing(data(), "weibull", background=bg, nrm_cause="2")
    assert cr.nrm_cause == "2" and cr.nrm_from == 0.0


def test_large_cohorts_without_the_steps_as_panel_ends(monkeypatch):
    """A large cohort of distinct ages and years integrates on the panels alone (work
    subjects x panels); on 20 distinct patients over 40 years that moves the incidences by
    less than 1e-5 (measured 8e-6 on mgus2-like data), far below their standard errors."""
    import remission.models.competing.integrate as integrate

    rng = np.random.default_rng(5)
    bg = BackgroundMortality(LifeTable.us(), age=rng.uniform(40, 80, 20).round(1),
                             sex=["male", "female"] * 10, year=rng.uniform(1990, 2010, 20),
                             time_unit="days")
    cr = fit_competing(data(), "weibull", cause="1", background=bg, nrm_from=T0, smr=SMR)
    t = np.array([2000.0, 8000.0, 14600.0])
    assert integrate.lifetable_breaks(bg, t[-1]).size > 100
    exact = cr._values(cr.coef[None], t, t[-1])
    monkeypatch.setattr(integrate, "MAX_BREAKS", 0)
    assert integrate.lifetable_breaks(bg, t[-1]).size == 0
    rough = cr._values(cr.coef[None], t, t[-1])
    np.testing.assert_allclose(rough[0], exact[0], rtol=0, atol=1e-5)
    np.testing.assert_allclose(rough[1], exact[1], rtol=0, atol=1e-5)
