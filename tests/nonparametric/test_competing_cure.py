"""The cure fraction of the disease with death without relapse competing
(remission.models.cure.competing): simulation with known truth, bias and coverage of pi."""
import numpy as np
import pytest

from remission.data.survival_data import SurvivalData
from remission.models.cure.competing import fit_disease_cure

from ..sizes import FULL

PI, SHAPE, SCALE, NRM_RATE = 0.4, 1.5, 2.0, 0.06


def simulate(rng, n):
    """pi cured of the disease never relapse; the others relapse at Weibull(1.5, 2) times;
    everyone dies without relapse at rate 0.06 per year; censoring uniform on (8, 12)."""
    cured = rng.random(n) < PI
    relapse = np.where(cured, np.inf, SCALE * rng.weibull(SHAPE, n))
    death = rng.exponential(1 / NRM_RATE, n)
    cens = rng.uniform(8, 12, n)
    t = np.minimum.reduce([relapse, death, cens])
    cause = np.where(t == relapse, "relapse", np.where(t == death, "nrm", None))
    return SurvivalData.from_arrays(t, cause=cause.astype(object))


@pytest.mark.slow
def test_cure_of_the_disease_recovers_pi_with_nominal_coverage():
    reps = 400 if FULL else 80
    n = 400
    rng = np.random.default_rng(2026)
    est, cover, endpoint = [], 0, []
    for _ in range(reps):
        r = fit_disease_cure(simulate(rng, n), "relapse").as_dict()
        p = r["cure_fraction_disease"]
        est.append(p["estimate"])
        cover += p["lower"] <= PI <= p["upper"]
        endpoint.append(r["cure_fraction_endpoint"]["estimate"])
    est = np.array(est)
    sd = est.std(ddof=1)
    # bias within 3 Monte Carlo standard errors of the mean
    assert abs(est.mean() - PI) < 3 * sd / np.sqrt(reps), (est.mean(), sd)
    # coverage of the 95% CI: 93-97% at full size (400 reps, MC SE 1.1%); reduced (80 reps,
    # MC SE 2.4%) the band is widened to 3 SE on each side
    lo, hi = (0.93, 0.97) if FULL else (0.88, 1.0)
    assert lo <= cover / reps <= hi, cover / reps
    # the endpoint's (PFS) "cure fraction" counts cured patients who die as not cured
    assert np.mean(endpoint) < PI - 0.1


def test_the_disease_fit_is_the_cause_specific_mixture_cure_fit():
    from remission.models.cure import fit_cure_model

    d = simulate(np.random.default_rng(1), 300)
    got = fit_disease_cure(d, "relapse")
    ref = fit_cure_model(d.for_cause("relapse"), "weibull", "mixture")
    assert got.disease.cure_fraction().estimate[0, 0] == ref.cure_fraction().estimate[0, 0]
    assert got.endpoint.cure_fraction().estimate[0, 0] == fit_cure_model(
        d, "weibull", "mixture").cure_fraction().estimate[0, 0]
