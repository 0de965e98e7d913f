"""The Larson-Dinse mixture model (remission.models.competing.mixture), cure on the
cumulative-incidence scale.

* The log-likelihood equals a direct hand computation, pi_k g_k(t) for an event of cause k
  and 1 - sum_k pi_k G_k(t) for a censored time, written with scipy.stats.weibull_min and
  lognorm (another code for the densities; 1e-10 relative: both are sums of the same
  double-precision logs), and its analytic gradient equals central differences of it (1e-5
  relative: the differences' own truncation error at step 1e-6).
* Sanity check, not a reference: on bmt-cr the fitted F_k(t) lies inside the Aalen-Johansen
  95% band (R survfit's, checked elsewhere to 1e-8) at the data's event times, and pi_relapse
  is near the Aalen-Johansen plateau of relapse.  A parametric fit need not lie inside a
  pointwise nonparametric band everywhere; here the Weibull mixture fits well and does.
* The fit is at a maximum: every start gives the same optimum, and the score is zero there.
* Document keys, the CLI printing the API's numbers, and errors (exit 2) for bad input.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import stats

from remission.cli import cli
from remission.data import SurvivalData
from remission.datasets import load_example
from remission.errors import DataError, OptionError
from remission.models.competing import fit_mixture
from remission.nonparametric.competing import cumulative_incidence

_CACHE: dict = {}


def bmt():
    if "bmt" not in _CACHE:
        d = load_example("bmt-cr", group=None)
        _CACHE["bmt"] = (d, fit_mixture(d, cause="relapse"))
    return _CACHE["bmt"]


def small():
    rng = np.random.default_rng(7)
    relapse = rng.random(60) < 0.4
    t = np.where(relapse, rng.weibull(1.5, 60) * 2, rng.lognormal(1.0, 0.8, 60))
    c = rng.uniform(1, 8, 60)
    cause = np.where(t < c, np.where(relapse, "relapse", "nrm"), None)
    return SurvivalData.from_arrays(np.minimum(t, c), cause=cause)


def test_loglik_equals_a_hand_computation():
    d = small()
    m = fit_mixture(d, {"relapse": "weibull", "nrm": "lognormal"}, cause="relapse")
    lik = m.model
    beta = m.coef + np.array([0.3, -0.1, 0.2, 0.15, -0.2])  # away from the optimum
    pi1 = 1 / (1 + np.exp(-beta[0]))
    shape, scale = np.exp(beta[1]), np.exp(beta[2])   # weibull: log shape, log scale
    mu, sd = beta[3], np.exp(beta[4])                  # lognormal: meanlog, log sdlog
    g1 = stats.weibull_min(shape, scale=scale)
    g2 = stats.lognorm(sd, scale=np.exp(mu))
    t = np.asarray(d.time)
    want = 0.0
    for ti, ci in zip(t, d.cause):
        if ci == "relapse":
            want += np.log(pi1 * g1.pdf(ti))
        elif ci == "nrm":
            want += np.log((1 - pi1) * g2.pdf(ti))
        else:
            want += np.log(1 - pi1 * g1.cdf(ti) - (1 - pi1) * g2.cdf(ti))
    got, grad = lik(beta)
    assert got == pytest.approx(want, rel=1e-10)
    num = np.array([(lik(beta + e, False) - lik(beta - e, False)) / 2e-6
                    for e in np.eye(beta.size) * 1e-6])
    np.testing.assert_allclose(grad, num, rtol=1e-5, atol=1e-6)


def test_three_causes_multinomial_logit():
    """With three causes pi = softmax(alpha_1, alpha_2, 0): the hand likelihood again (all
    exponential, scipy.stats.expon) and the gradient against central differences."""
    rng = np.random.default_rng(3)
    k = rng.choice(3, 150, p=[0.5, 0.3, 0.2])
    t = rng.exponential(np.array([1.0, 3.0, 6.0])[k])
    c = rng.uniform(2, 10, 150)
    cause = np.where(t < c, np.array(["a", "b", "c"])[k], None)
    d = SurvivalData.from_arrays(np.minimum(t, c), cause=cause)
    m = fit_mixture(d, "exponential")
    assert m.causes == ("a", "b", "c")
    beta = m.coef + np.array([0.2, -0.3, 0.1, -0.1, 0.2])
    e = np.exp(np.r_[beta[:2], 0.0])
    pi = e / e.sum()
    rate = np.exp(beta[2:])  # exponential: log rate
    want = 0.0
    for ti, ci in zip(np.asarray(d.time), d.cause):
        if ci is None:
            want += np.log(np.sum(pi * stats.expon.sf(ti, scale=1 / rate)))
        else:
            j = "abc".index(ci)
            want += np.log(pi[j] * stats.expon.pdf(ti, scale=1 / rate[j]))
    got, grad = m.model(beta)
    assert got == pytest.approx(want, rel=1e-10)
    num = np.array([(m.model(beta + h, False) - m.model(beta - h, False)) / 2e-6
                    for h in np.eye(beta.size) * 1e-6])
    np.testing.assert_allclose(grad, num, rtol=1e-5, atol=1e-6)
    assert sum(m.probability(x).estimate[0, 0] for x in "abc") == pytest.approx(1, abs=1e-14)


def test_at_the_maximum_with_a_zero_score():
    d, m = bmt()
    ll, grad = m.model(m.coef)
    assert ll == pytest.approx(m.loglik, rel=1e-12)
    # the score at the optimum: tiny next to its size one unit away (n = 137 terms)
    assert np.max(np.abs(grad)) < 1e-5
    assert np.all(np.linalg.eigvalsh(m.vcov) > 0)


def test_cif_inside_the_aalen_johansen_band_on_bmt_cr():
    """Sanity check (see the module docstring), not an outside reference."""
    d, m = bmt()
    aj = cumulative_incidence(d, causes=m.causes)
    times = aj.time[aj.n_event.sum(0) > 0]
    for c in m.causes:
        ref = aj.at(times, c)
        # where the Aalen-Johansen estimate is still 0 its (log-scale) band is undefined
        on = ref["estimate"] > 0
        got = m.cumulative_incidence(c, times[on]).estimate[0]
        assert on.sum() > 30
        assert np.all((ref["lower"][on] <= got) & (got <= ref["upper"][on])), c
    # pi_relapse against the Aalen-Johansen plateau of relapse (30.9%, docs/evidence.md);
    # 0.02 = a fifth of the plateau's own standard error (~0.04)
    plateau = aj.at([aj.time[-1]], "relapse")["estimate"][0]
    assert m.probability("relapse").estimate[0, 0] == pytest.approx(plateau, abs=0.02)


def test_probabilities_and_incidences_are_coherent():
    d, m = bmt()
    p = [m.probability(c) for c in m.causes]
    assert sum(x.estimate[0, 0] for x in p) == pytest.approx(1.0, abs=1e-14)
    nv = m.never("relapse")
    assert nv.estimate[0, 0] == pytest.approx(1 - p[0].estimate[0, 0], abs=1e-14)
    # logit-scale Wald: the limits of 1 - pi are 1 - the limits of pi
    assert nv.lower[0, 0] == pytest.approx(1 - p[0].upper[0, 0], abs=1e-9)
    assert p[0].lower[0, 0] < p[0].estimate[0, 0] < p[0].upper[0, 0]
    far = 1e3 * float(np.max(d.time))
    t = [0.0, 100.0, 1000.0, far]
    F = [m.cumulative_incidence(c, t) for c in m.causes]
    S = m.event_free(t)
    np.testing.assert_allclose(F[0].estimate + F[1].estimate + S.estimate, 1.0, atol=1e-12)
    assert F[0].estimate[0, 0] == 0 and S.estimate[0, 0] == 1
    # F_k(inf) = pi_k for a proper G_k (Weibull)
    assert F[0].estimate[0, -1] == pytest.approx(p[0].estimate[0, 0], abs=1e-9)
    assert np.all(F[0].lower[0, 1:3] < F[0].estimate[0, 1:3])
    assert np.all(F[0].estimate[0, 1:3] < F[0].upper[0, 1:3])


def test_starts_reach_the_same_optimum():
    d, m = bmt()
    other = fit_mixture(d, {"relapse": "weibull", "death": "weibull"}, cause="relapse")
    assert other.loglik == pytest.approx(m.loglik, rel=1e-12)
    # a different family is a different model with its own likelihood
    ln = fit_mixture(d, "lognormal", cause="relapse")
    assert ln.loglik != pytest.approx(m.loglik, rel=1e-6)


def test_a_tail_beyond_the_data_is_noted():
    d, _ = bmt()
    m = fit_mixture(d, "gompertz", cause="relapse")  # death: Gompertz with negative shape
    assert len(m.notes) == 1 and "cause 'death'" in m.notes[0] and "defective" in m.notes[0]
    shape = [p for p in m.fits[1].parameters() if p["name"] == "shape"][0]["estimate"]
    assert shape < 0
    # F_death levels off below pi_death: the gap is what the note says
    far = m.cumulative_incidence("death", [1e9]).estimate[0, 0]
    assert far < m.probability("death").estimate[0, 0] - 0.1


def test_document():
    d, m = bmt()
    b = m.as_dict(times=[365.25, 730.5], horizon=3652.5)
    assert {"causes", "cause_of_interest", "method", "probabilities", "never", "models",
            "cifs", "event_free", "loglik", "aic", "k", "converged", "horizon",
            "notes"} <= set(b)
    assert b["causes"] == ["relapse", "death"] and b["never"]["cause"] == "relapse"
    assert b["probabilities"][0]["interval_scale"] == "logit"
    assert [r["time"] for r in b["cifs"][0]["landmarks"]] == [365.25, 730.5, 3652.5]
    assert [p["name"] for p in b["models"][0]["parameters"]] == ["shape", "scale"]
    assert b["k"] == 5 and b["notes"] == []


def test_beside_the_net_cure_fraction_of_the_disease():
    from remission.models.cure.competing import fit_disease_cure

    d, m = bmt()
    r = fit_disease_cure(d, "relapse").as_dict()
    assert r["never_crude"] == m.never("relapse").triple()
    # never relapsing (crude) counts the cured and those who die first: above the net cure
    # fraction of the disease (here 0.69 against 0.62; a property of the two scales)
    assert r["never_crude"]["estimate"] > r["cure_fraction_disease"]["estimate"]


def test_docstring_example():
    """CI does not pass --doctest-modules: fit_mixture's example runs here."""
    import doctest

    import remission.models.competing.mixture as mod

    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert res.attempted > 0 and res.failed == 0


def test_bad_input():
    d, _ = bmt()
    with pytest.raises(OptionError, match="no cause 'x'"):
        fit_mixture(d, "weibull,x=gompertz")
    with pytest.raises(OptionError, match="cox"):
        fit_mixture(d, "cox")
    with pytest.raises(DataError, match="cause"):
        fit_mixture(SurvivalData.from_arrays([1.0, 2.0, 3.0], [1, 0, 1]))
    one = SurvivalData.from_arrays([1.0, 2.0, 3.0, 4.0], cause=["a", None, "a", "a"])
    with pytest.raises(DataError, match="two causes"):
        fit_mixture(one)
    with pytest.raises(DataError, match="--cause x"):
        fit_mixture(d, cause="x")


def run(*args):
    r = CliRunner().invoke(cli, ["fit", *args], catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def test_cli_json_is_the_api():
    # bmt-cr brings its event type, cause of interest and groups: the CLI fits each group
    label, g1 = next(iter(load_example("bmt-cr").by_group()))
    m = fit_mixture(g1, cause="relapse")
    code, out, _ = run("bmt-cr", "--competing", "--cif-mixture", "--times", "365.25",
                       "--horizon", "3652.5", "--format", "json")
    assert code == 0
    g = json.loads(out)["groups"][0]
    assert g["group"] == label
    b = g["competing_risks_mixture"]
    assert b["probabilities"][0]["estimate"] == pytest.approx(
        m.probability("relapse").estimate[0, 0], rel=1e-12)
    assert b["never"]["lower"] == pytest.approx(m.never("relapse").lower[0, 0], rel=1e-12)
    lm = b["cifs"][0]["landmarks"]
    want = m.cumulative_incidence("relapse", [365.25, 3652.5])
    assert [r["time"] for r in lm] == [365.25, 3652.5]
    np.testing.assert_allclose([r["estimate"] for r in lm], want.estimate[0], rtol=1e-12)
    np.testing.assert_allclose([r["upper"] for r in lm], want.upper[0], rtol=1e-12)


def test_cli_groups_text_and_errors(capsys):
    from remission.cli import main

    code, out, _ = run("bmt-cr", "--competing", "--cif-mixture")
    assert code == 0 and out.count("mixture model (Larson & Dinse 1985") == 3
    assert "never relapse (crude" in out
    code, out, _ = run("bmt-cr", "--competing", "--cif-mixture", "--format", "json")
    doc = json.loads(out)
    assert [g["group"] for g in doc["groups"]] == ["1", "2", "3"]
    assert all("competing_risks_mixture" in g for g in doc["groups"])
    for args, msg in ((("--cif-mixture",), "--cif-mixture needs --competing"),
                      (("--competing", "--cif-mixture", "--lifetable", "us"), "--lifetable"),
                      (("--competing", "--cif-mixture", "--nrm-from", "5"), "--nrm-from"),
                      (("--competing", "--cif-mixture", "--cure", "mixture"), "--cure"),
                      (("--competing", "--cif-mixture", "--dist", "weibull,x=exponential"),
                       "no cause 'x'")):
        assert main(["fit", "bmt-cr", *args]) == 2, args
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and msg in lines[0], lines
