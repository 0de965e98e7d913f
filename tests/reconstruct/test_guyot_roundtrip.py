"""Round trips: simulate trials with known truth, digitise their curves as a person would,
reconstruct, and compare with the original patients.

Each simulated publication shows the Kaplan-Meier curve while at least 10 patients are at
risk (the usual convention) with the numbers at risk every 6 months.  The digitiser clicks
85% of the corners of small steps and all corners of steps of 0.01 or more, with errors of
SD 0.1% of the time axis (about half a pixel) and 0.002 in survival, in click order, plus
stray points before zero and duplicated clicks; one arm is read as percentages.

Tolerances: KM within 0.02 of the original (compared within 0.5% of the time axis, i.e.
allowing for the horizontal digitising error; a vertical comparison at a jittered step is a
full step height, 1/n at risk, which is not a property of the algorithm); medians within 5%;
Cox hazard ratio within 0.05 of the original's on the follow-up the publication shows.
"""
import numpy as np
import pytest

from remission.nonparametric.cox import cox_ph
from remission.nonparametric.kaplan_meier import kaplan_meier
from remission.reconstruct import reconstruct_curve
from .digitise import digitise, risk_table

SEEDS = range(6)


def _trial(rng, n=200):
    arms = []
    for scale in (20.0, 30.0):
        T = rng.weibull(1.3, n) * scale
        C = np.minimum(rng.uniform(24, 60, n), rng.exponential(200, n))
        arms.append((np.minimum(T, C), T <= C))
    return arms


def _roundtrip(seed):
    rng = np.random.default_rng(seed)
    arms = _trial(rng)
    out = []
    for k, (time, event) in enumerate(arms):
        km = kaplan_meier(time, event)
        cut = km.time[km.n_risk >= 10].max()
        shown = km.time <= cut
        rt = np.arange(0, cut, 6.0)
        dt, ds = digitise(km.time[shown], km.survival[shown], rng, percent=(k == 1))
        rec = reconstruct_curve(dt, ds, risk_time=rt, n_risk=risk_table(time, rt))
        out.append((time, event, km, cut, rec))
    return out


@pytest.fixture(scope="module")
def results():
    return {s: _roundtrip(s) for s in SEEDS}


@pytest.mark.parametrize("seed", SEEDS)
def test_km_within_002_and_median_within_5pct(results, seed):
    for time, event, km, cut, rec in results[seed]:
        rkm = rec.kaplan_meier()
        grid = np.linspace(0, cut, 3000)
        d = 0.005 * cut
        s = rkm.survival_at(grid)
        gap = np.maximum(s - km.survival_at(grid - d), km.survival_at(grid + d) - s)
        assert gap.max() <= 0.02
        m0, m1 = km.median().estimate, rkm.median().estimate
        assert abs(m1 / m0 - 1) <= 0.05
        # the reconstruction follows its input and the published numbers at risk
        assert rec.quality.max_abs_gap <= 0.02
        assert rec.quality.max_at_risk_gap <= 2
        assert rec.n == time.size


@pytest.mark.parametrize("seed", SEEDS)
def test_cox_hazard_ratio_within_005(results, seed):
    (t0, e0, _, c0, r0), (t1, e1, _, c1, r1) = results[seed]
    x = np.r_[np.zeros(t0.size), np.ones(t1.size)]
    # the original data on the follow-up the publication shows
    tt = np.r_[np.minimum(t0, c0), np.minimum(t1, c1)]
    ee = np.r_[e0 & (t0 <= c0), e1 & (t1 <= c1)]
    hr0 = cox_ph(tt, ee, x).hazard_ratio[0]
    xr = np.r_[np.zeros(r0.n), np.ones(r1.n)]
    hr1 = cox_ph(np.r_[r0.time, r1.time], np.r_[r0.event, r1.event], xr).hazard_ratio[0]
    assert abs(hr1 - hr0) <= 0.05


def test_without_risk_table_total_events_sets_censoring():
    rng = np.random.default_rng(11)
    T = rng.exponential(20, 150)
    C = rng.uniform(10, 40, 150)
    time, event = np.minimum(T, C), T <= C
    km = kaplan_meier(time, event)
    dt, ds = digitise(km.time, km.survival, rng)
    rec = reconstruct_curve(dt, ds, n=150, total_events=int(event.sum()))
    assert rec.n == 150
    assert abs(rec.n_events - event.sum()) <= 2
    assert rec.quality.events["published"] == int(event.sum())
    assert rec.quality.max_abs_gap <= 0.03


def test_exact_curve_is_reproduced_exactly():
    # an undisturbed curve with a full risk table gives back the same Kaplan-Meier estimate
    rng = np.random.default_rng(3)
    T = rng.exponential(10, 80)
    C = rng.uniform(5, 30, 80)
    time, event = np.minimum(T, C), T <= C
    km = kaplan_meier(time, event)
    ev = (km.n_event > 0) & (km.n_risk >= 10)   # the curve as shown (>= 10 at risk)
    rt = np.arange(0, km.time[ev].max(), 2.0)
    rec = reconstruct_curve(km.time[ev], km.survival[ev], risk_time=rt,
                            n_risk=risk_table(time, rt))
    assert rec.quality.max_abs_gap < 0.01
    # every event the curve shows is recovered; those after the cut (< 10 at risk) are not shown
    hidden = int(km.n_event[km.time > km.time[ev].max()].sum())
    assert rec.n_events == event.sum() - hidden
